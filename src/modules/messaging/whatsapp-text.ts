/**
 * Text fitting for WhatsApp fields. Meta rejects a message whose fields are too long, so every
 * string is cut to its limit before it leaves the app — on grapheme boundaries, because cutting
 * inside a Devanagari conjunct or an emoji sequence shows the patient a broken glyph.
 *
 * Limits are compared in UTF-16 code units (`string.length`): that is never fewer than the code
 * points or characters Meta may count, so a string that fits here fits there.
 */

/** The character appended to a cut string. One code unit, so it costs one unit of the limit. */
export const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// A cluster ending in a virama or a zero-width (non-)joiner asks to join the next letter; left at
// the end of a cut string it renders as a half-letter, so such clusters are dropped with the cut.
const DANGLING_JOINER = /[\u094D\u200C\u200D]$/u;
// Control characters other than newline and tab are never meaningful in a chat message.
const CONTROL = /[^\P{Cc}\n\t]/gu;
const WHITESPACE_RUN = /\s+/gu;

/** The grapheme clusters of `text`, in order. */
export function splitGraphemes(text: string): string[] {
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

/**
 * `text` if it fits in `max` UTF-16 code units, else its longest whole-grapheme prefix that
 * fits together with an ellipsis. Never splits a grapheme cluster; never throws for max ≥ 1.
 */
export function truncateText(text: string, max: number): string {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
  if (text.length <= max) return text;
  const kept: string[] = [];
  let length = 0;
  for (const cluster of graphemes.segment(text)) {
    if (length + cluster.segment.length > max - ELLIPSIS.length) break;
    kept.push(cluster.segment);
    length += cluster.segment.length;
  }
  // Drop trailing space and half-joined clusters together: either can hide the other.
  while (kept.length > 0) {
    const last = kept[kept.length - 1] ?? '';
    if (!DANGLING_JOINER.test(last) && last.trim().length > 0) break;
    kept.pop();
  }
  return `${kept.join('')}${ELLIPSIS}`;
}

/** `text` without control characters, trimmed; newlines and tabs kept (message bodies). */
export function cleanBody(text: string): string {
  return text.replace(CONTROL, '').trim();
}

/** `text` on one line: controls removed and every whitespace run (newlines too) made one space (titles, labels). */
export function cleanLine(text: string): string {
  return text.replace(CONTROL, '').replace(WHITESPACE_RUN, ' ').trim();
}

/** A body fitted to `max`: cleaned, then cut with an ellipsis if still too long. */
export function fitBody(text: string, max: number): string {
  return truncateText(cleanBody(text), max);
}

/** A one-line field fitted to `max`: cleaned, then cut with an ellipsis if still too long. */
export function fitLine(text: string, max: number): string {
  return truncateText(cleanLine(text), max);
}
