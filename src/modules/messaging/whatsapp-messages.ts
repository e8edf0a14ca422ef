/**
 * What the app sends on WhatsApp, as plain data: text, reply buttons, lists, link buttons,
 * templates and documents. Builders fit every field to Meta's limits (cutting text on grapheme
 * boundaries with an ellipsis, dropping extra or duplicate options) so a message built here is
 * never rejected for its shape; `toCloudApiPayload` turns one into the exact Cloud API request body.
 *
 * Throws only for programming errors no patient input can cause: an empty body, a malformed
 * template name, a document with neither link nor media id, a link that is not http(s), an empty
 * link-button label, an invalid recipient.
 */
import { MAX_BUTTON_ID_LENGTH, MAX_ROW_ID_LENGTH } from './interactive-ids.js';
import { cleanLine, fitBody, fitLine, truncateText } from './whatsapp-text.js';

/** Meta's limits for each field, in characters (checked as UTF-16 code units). */
export const WHATSAPP_LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  headerText: 60,
  footerText: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: MAX_BUTTON_ID_LENGTH,
  listRows: 10,
  listSections: 10,
  listButton: 20,
  ctaDisplayText: 20,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rowId: MAX_ROW_ID_LENGTH,
  caption: 1024,
  templateParameter: 1024,
  templateHeaderParameter: 60,
} as const;

/** A plain text message; `previewUrl` asks WhatsApp to render a preview of the first link. */
export interface TextMessage {
  kind: 'text';
  body: string;
  previewUrl: boolean;
}

/** One reply button: the id comes back in the webhook when tapped. */
export interface ReplyButton {
  id: string;
  title: string;
}

/** A message with up to three reply buttons. */
export interface ButtonsMessage {
  kind: 'buttons';
  body: string;
  header?: string;
  footer?: string;
  buttons: ReplyButton[];
}

/** One row of a list message. */
export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

/** A titled group of rows; the title is required by Meta once a list has two sections. */
export interface ListSection {
  title?: string;
  rows: ListRow[];
}

/** A list message: `button` opens a sheet with up to ten rows across all sections. */
export interface ListMessage {
  kind: 'list';
  body: string;
  header?: string;
  footer?: string;
  button: string;
  sections: ListSection[];
}

/**
 * A message with one button that opens `url` (Cloud API interactive `cta_url`), so the patient
 * taps a labelled button instead of a long raw link.
 */
export interface CtaUrlMessage {
  kind: 'cta_url';
  body: string;
  header?: string;
  footer?: string;
  /** The button's label (Meta's `display_text`). */
  buttonText: string;
  url: string;
}

/** A header for a template: a text parameter or a document (invoices, prescriptions). */
export type TemplateHeader = { kind: 'text'; text: string } | { kind: 'document'; link: string; filename?: string };

/** An approved template, the only thing WhatsApp delivers outside the 24-hour window. */
export interface TemplateMessage {
  kind: 'template';
  name: string;
  /** Meta language code of the approved translation, e.g. `en`, `hi`, `en_US`. */
  languageCode: string;
  header?: TemplateHeader;
  bodyParameters: string[];
  /** Payloads for the template's quick-reply buttons, in button order. */
  quickReplyPayloads: string[];
  /** An authentication template's one-time code for its copy-code button (Meta's `url` button parameter). */
  copyCode?: string;
}

/** A document (PDF invoice, prescription) by public link or uploaded media id. */
export interface DocumentMessage {
  kind: 'document';
  link?: string;
  mediaId?: string;
  filename?: string;
  caption?: string;
}

/** Everything the app sends to a patient. */
export type OutboundMessage =
  | TextMessage
  | ButtonsMessage
  | ListMessage
  | CtaUrlMessage
  | TemplateMessage
  | DocumentMessage;

const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
const LANGUAGE_CODE = /^[a-z]{2,3}(_[A-Z]{2})?$/;
const RECIPIENT = /^\d{7,15}$/;

function requireBody(body: string, max: number): string {
  const fitted = fitBody(body, max);
  if (fitted.length === 0) throw new TypeError('A WhatsApp message body must not be empty');
  return fitted;
}

function optionalLine(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  const fitted = fitLine(text, max);
  return fitted.length > 0 ? fitted : undefined;
}

function checkId(id: string, max: number): string {
  if (id.length === 0 || id.length > max)
    throw new RangeError(`Interactive id must be 1–${max} characters, got ${id.length}`);
  return id;
}

/** `title` cut to `max`, with " (2)", " (3)"… added until it differs from every title in `taken`. */
function uniqueTitle(title: string, max: number, taken: ReadonlySet<string>): string {
  let candidate = fitLine(title, max);
  for (let n = 2; taken.has(candidate); n += 1) {
    const suffix = ` (${n})`;
    candidate = `${truncateText(cleanLine(title), max - suffix.length)}${suffix}`;
  }
  return candidate;
}

/** A text message with the body cut to 4096 characters. */
export function textMessage(body: string, options: { previewUrl?: boolean } = {}): TextMessage {
  return { kind: 'text', body: requireBody(body, WHATSAPP_LIMITS.textBody), previewUrl: options.previewUrl ?? false };
}

/**
 * Reply buttons fitted to Meta's rules: the first three buttons with distinct ids, titles ≤ 20
 * characters and distinct, body ≤ 1024. With no buttons left it degrades to a text message.
 */
export function replyButtonsMessage(input: {
  body: string;
  buttons: readonly ReplyButton[];
  header?: string;
  footer?: string;
}): ButtonsMessage | TextMessage {
  const ids = new Set<string>();
  const titles = new Set<string>();
  const buttons: ReplyButton[] = [];
  for (const button of input.buttons) {
    if (buttons.length === WHATSAPP_LIMITS.buttons) break;
    if (ids.has(button.id) || cleanLine(button.title).length === 0) continue;
    const title = uniqueTitle(button.title, WHATSAPP_LIMITS.buttonTitle, titles);
    ids.add(button.id);
    titles.add(title);
    buttons.push({ id: checkId(button.id, WHATSAPP_LIMITS.buttonId), title });
  }
  if (buttons.length === 0) return textMessage(input.body);
  const header = optionalLine(input.header, WHATSAPP_LIMITS.headerText);
  const footer = optionalLine(input.footer, WHATSAPP_LIMITS.footerText);
  return {
    kind: 'buttons',
    body: requireBody(input.body, WHATSAPP_LIMITS.interactiveBody),
    ...(header ? { header } : {}),
    ...(footer ? { footer } : {}),
    buttons,
  };
}

/**
 * A list fitted to Meta's rules: at most ten rows in total (later ones dropped), distinct row ids,
 * titles ≤ 24, descriptions ≤ 72, button label ≤ 20, body ≤ 1024. Empty sections are dropped;
 * when several remain and one has no title they are merged into one untitled section, because
 * Meta requires titles on every section of a multi-section list. No rows: a text message.
 */
export function listMessage(input: {
  body: string;
  button: string;
  sections: readonly ListSection[];
  header?: string;
  footer?: string;
}): ListMessage | TextMessage {
  const ids = new Set<string>();
  let remaining: number = WHATSAPP_LIMITS.listRows;
  const sections: ListSection[] = [];
  for (const section of input.sections.slice(0, WHATSAPP_LIMITS.listSections)) {
    const rows: ListRow[] = [];
    for (const row of section.rows) {
      if (remaining === 0) break;
      const title = fitLine(row.title, WHATSAPP_LIMITS.rowTitle);
      if (ids.has(row.id) || title.length === 0) continue;
      const description = optionalLine(row.description, WHATSAPP_LIMITS.rowDescription);
      ids.add(row.id);
      rows.push({ id: checkId(row.id, WHATSAPP_LIMITS.rowId), title, ...(description ? { description } : {}) });
      remaining -= 1;
    }
    const title = optionalLine(section.title, WHATSAPP_LIMITS.sectionTitle);
    if (rows.length > 0) sections.push({ ...(title ? { title } : {}), rows });
  }
  if (sections.length === 0) return textMessage(input.body);
  const merged =
    sections.length > 1 && sections.some((section) => !section.title)
      ? [{ rows: sections.flatMap((s) => s.rows) }]
      : sections;
  const header = optionalLine(input.header, WHATSAPP_LIMITS.headerText);
  const footer = optionalLine(input.footer, WHATSAPP_LIMITS.footerText);
  return {
    kind: 'list',
    body: requireBody(input.body, WHATSAPP_LIMITS.interactiveBody),
    ...(header ? { header } : {}),
    ...(footer ? { footer } : {}),
    button: fitLine(input.button, WHATSAPP_LIMITS.listButton) || '…',
    sections: merged,
  };
}

/**
 * A link button fitted to Meta's rules: body ≤ 1024, button label ≤ 20, header and footer ≤ 60.
 * The URL is never cut (a cut link is a broken one); it must be http(s).
 */
export function ctaUrlMessage(input: {
  body: string;
  buttonText: string;
  url: string;
  header?: string;
  footer?: string;
}): CtaUrlMessage {
  assertLink(input.url, 'A link button');
  const buttonText = fitLine(input.buttonText, WHATSAPP_LIMITS.ctaDisplayText);
  if (buttonText.length === 0) throw new TypeError('A link button needs a label');
  const header = optionalLine(input.header, WHATSAPP_LIMITS.headerText);
  const footer = optionalLine(input.footer, WHATSAPP_LIMITS.footerText);
  return {
    kind: 'cta_url',
    body: requireBody(input.body, WHATSAPP_LIMITS.interactiveBody),
    ...(header ? { header } : {}),
    ...(footer ? { footer } : {}),
    buttonText,
    url: input.url,
  };
}

/**
 * A template message. Parameters go on one line with single spaces (Meta rejects newlines, tabs
 * and runs of spaces in parameters) and are cut to 1024 characters (60 for a text header).
 */
export function templateMessage(input: {
  name: string;
  languageCode: string;
  header?: TemplateHeader;
  bodyParameters?: readonly string[];
  quickReplyPayloads?: readonly string[];
  copyCode?: string;
}): TemplateMessage {
  if (!TEMPLATE_NAME.test(input.name)) throw new TypeError(`Invalid template name "${input.name}"`);
  if (!LANGUAGE_CODE.test(input.languageCode)) throw new TypeError(`Invalid template language "${input.languageCode}"`);
  const header: TemplateHeader | undefined =
    input.header?.kind === 'text'
      ? { kind: 'text', text: fitLine(input.header.text, WHATSAPP_LIMITS.templateHeaderParameter) }
      : input.header;
  if (header?.kind === 'document') assertLink(header.link);
  return {
    kind: 'template',
    name: input.name,
    languageCode: input.languageCode,
    ...(header ? { header } : {}),
    bodyParameters: (input.bodyParameters ?? []).map((text) => fitLine(text, WHATSAPP_LIMITS.templateParameter)),
    quickReplyPayloads: (input.quickReplyPayloads ?? []).map((payload) => checkId(payload, WHATSAPP_LIMITS.buttonId)),
    ...(input.copyCode !== undefined ? { copyCode: checkCopyCode(input.copyCode) } : {}),
  };
}

// Meta allows up to 15 characters in an authentication template's code.
function checkCopyCode(code: string): string {
  if (!/^[A-Za-z0-9]{1,15}$/.test(code)) throw new TypeError('A copy-code parameter is 1–15 letters or digits');
  return code;
}

function assertLink(link: string, what = 'A document link'): void {
  let protocol = '';
  try {
    protocol = new URL(link).protocol;
  } catch {
    // Falls through to the error below.
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw new TypeError(`${what} must be an http(s) URL`);
}

/** A document by link or media id, caption cut to 1024 characters. */
export function documentMessage(input: {
  link?: string;
  mediaId?: string;
  filename?: string;
  caption?: string;
}): DocumentMessage {
  if (!input.link === !input.mediaId) throw new TypeError('A document needs exactly one of link or mediaId');
  if (input.link) assertLink(input.link);
  const filename = input.filename === undefined ? '' : cleanLine(input.filename);
  const caption = input.caption === undefined ? '' : fitBody(input.caption, WHATSAPP_LIMITS.caption);
  return {
    kind: 'document',
    ...(input.link ? { link: input.link } : { mediaId: input.mediaId }),
    ...(filename ? { filename } : {}),
    ...(caption ? { caption } : {}),
  };
}

/** Re-applies the builder for `message`'s kind, so a hand-made message also meets every limit. */
export function fitMessage(message: OutboundMessage): OutboundMessage {
  switch (message.kind) {
    case 'text':
      return textMessage(message.body, { previewUrl: message.previewUrl });
    case 'buttons':
      return replyButtonsMessage(message);
    case 'list':
      return listMessage(message);
    case 'cta_url':
      return ctaUrlMessage(message);
    case 'template':
      return templateMessage(message);
    case 'document':
      return documentMessage(message);
  }
}

/** The JSON body of `POST /{version}/{phone-number-id}/messages` in Meta's Cloud API. */
export interface CloudApiPayload {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: 'text' | 'interactive' | 'template' | 'document';
  text?: { body: string; preview_url: boolean };
  interactive?: CloudInteractive;
  template?: CloudTemplate;
  document?: { link?: string; id?: string; filename?: string; caption?: string };
}

/** The `interactive` object of a Cloud API message. */
export interface CloudInteractive {
  type: 'button' | 'list' | 'cta_url';
  header?: { type: 'text'; text: string };
  body: { text: string };
  footer?: { text: string };
  action:
    | { buttons: { type: 'reply'; reply: { id: string; title: string } }[] }
    | { button: string; sections: { title?: string; rows: ListRow[] }[] }
    | { name: 'cta_url'; parameters: { display_text: string; url: string } };
}

/** The `template` object of a Cloud API message. */
export interface CloudTemplate {
  name: string;
  language: { code: string };
  components?: CloudTemplateComponent[];
}

/** One component (header, body or quick-reply button) of a template message. */
export type CloudTemplateComponent =
  | {
      type: 'header';
      parameters: (
        | { type: 'text'; text: string }
        | { type: 'document'; document: { link: string; filename?: string } }
      )[];
    }
  | { type: 'body'; parameters: { type: 'text'; text: string }[] }
  | { type: 'button'; sub_type: 'quick_reply'; index: string; parameters: { type: 'payload'; payload: string }[] }
  | { type: 'button'; sub_type: 'url'; index: string; parameters: { type: 'text'; text: string }[] };

function interactiveOf(message: ButtonsMessage | ListMessage | CtaUrlMessage): CloudInteractive {
  const frame = {
    ...(message.header ? { header: { type: 'text' as const, text: message.header } } : {}),
    body: { text: message.body },
    ...(message.footer ? { footer: { text: message.footer } } : {}),
  };
  if (message.kind === 'buttons') {
    return {
      type: 'button',
      ...frame,
      action: { buttons: message.buttons.map((reply) => ({ type: 'reply', reply: { ...reply } })) },
    };
  }
  if (message.kind === 'cta_url') {
    return {
      type: 'cta_url',
      ...frame,
      action: { name: 'cta_url', parameters: { display_text: message.buttonText, url: message.url } },
    };
  }
  const sections = message.sections.map((section) => ({
    ...(section.title ? { title: section.title } : {}),
    rows: section.rows.map((row) => ({ ...row })),
  }));
  return { type: 'list', ...frame, action: { button: message.button, sections } };
}

function templateOf(message: TemplateMessage): CloudTemplate {
  const components: CloudTemplateComponent[] = [];
  if (message.header?.kind === 'text') {
    components.push({ type: 'header', parameters: [{ type: 'text', text: message.header.text }] });
  } else if (message.header?.kind === 'document') {
    const { link, filename } = message.header;
    components.push({
      type: 'header',
      parameters: [{ type: 'document', document: { link, ...(filename ? { filename } : {}) } }],
    });
  }
  if (message.bodyParameters.length > 0) {
    components.push({ type: 'body', parameters: message.bodyParameters.map((text) => ({ type: 'text', text })) });
  }
  message.quickReplyPayloads.forEach((payload, index) => {
    components.push({
      type: 'button',
      sub_type: 'quick_reply',
      index: String(index),
      parameters: [{ type: 'payload', payload }],
    });
  });
  // Authentication templates: the copy-code button is a URL button whose parameter is the code.
  if (message.copyCode !== undefined) {
    components.push({
      type: 'button',
      sub_type: 'url',
      index: '0',
      parameters: [{ type: 'text', text: message.copyCode }],
    });
  }
  return {
    name: message.name,
    language: { code: message.languageCode },
    ...(components.length > 0 ? { components } : {}),
  };
}

/**
 * The exact Cloud API request body for sending `message` to `to` (a WhatsApp id: country code and
 * number; `+`, spaces and dashes are dropped). The message is fitted again first, so even a
 * hand-made message goes out within the limits. Throws TypeError for an invalid recipient.
 */
export function toCloudApiPayload(to: string, message: OutboundMessage): CloudApiPayload {
  const recipient = to.replace(/[\s+()-]/g, '');
  if (!RECIPIENT.test(recipient)) throw new TypeError('Recipient must be a WhatsApp id of 7–15 digits');
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: recipient } as const;
  const fitted = fitMessage(message);
  switch (fitted.kind) {
    case 'text':
      return { ...base, type: 'text', text: { preview_url: fitted.previewUrl, body: fitted.body } };
    case 'buttons':
    case 'list':
    case 'cta_url':
      return { ...base, type: 'interactive', interactive: interactiveOf(fitted) };
    case 'template':
      return { ...base, type: 'template', template: templateOf(fitted) };
    case 'document': {
      const { link, mediaId, filename, caption } = fitted;
      const document = {
        ...(link ? { link } : { id: mediaId }),
        ...(filename ? { filename } : {}),
        ...(caption ? { caption } : {}),
      };
      return { ...base, type: 'document', document };
    }
  }
}
