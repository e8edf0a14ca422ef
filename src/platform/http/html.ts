/**
 * The one way server-rendered pages (doctor view, patient portal) write HTML: the `html` tagged template escapes every interpolated
 * value unless it is itself a `SafeHtml` made by `html` (nested templates, lists of them). Patient
 * names, notes and lab values are typed by people, so nothing reaches the page unescaped by
 * accident: there is no "raw" string helper to reach for.
 */

/** A fragment of HTML already escaped (only `html` makes these). */
export class SafeHtml {
  /** Wraps markup that came out of `html` (the constructor is not for other callers). */
  constructor(readonly value: string) {}

  /** The markup. */
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => ENTITIES[char]!);
}

/** What may be interpolated: text and numbers are escaped, SafeHtml and lists of it are kept, nullish and false render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>${name}</p>\`` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** JSON for a `data-*` attribute (escaped by `html` like any other value). */
export function dataJson(value: unknown): string {
  return JSON.stringify(value);
}
