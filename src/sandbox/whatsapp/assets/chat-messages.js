// @ts-check
/**
 * How the sandbox chat page draws messages as a phone would: bubbles with the time and delivery
 * ticks, and for the bot's Cloud API messages (see toCloudApiPayload) their text, reply buttons,
 * list opener, link button, template parameters and document card. Taps are handed to the caller.
 */
import { el, isWebUrl, link, richText } from './chat-text.js';

/**
 * @typedef {{ id: string, title: string, description?: string }} Row
 * @typedef {{ header?: { text?: string }, body?: { text?: string }, footer?: { text?: string } }} Frame
 * @typedef {Frame & { type: 'button', action: { buttons: { reply: { id: string, title: string } }[] } }} ButtonsInteractive
 * @typedef {Frame & { type: 'list', action: { button: string, sections: { title?: string, rows: Row[] }[] } }} ListInteractive
 * @typedef {Frame & { type: 'cta_url', action: { parameters: { display_text: string, url: string } } }} CtaUrlInteractive
 * @typedef {{ link?: string, id?: string, filename?: string, caption?: string }} DocumentObject
 * @typedef {{ type: string, text?: string, payload?: string, document?: DocumentObject, currency?: { fallback_value?: string }, date_time?: { fallback_value?: string } }} TemplateParameter
 * @typedef {{ type: string, sub_type?: string, index?: string | number, parameters?: TemplateParameter[] }} TemplateComponent
 * @typedef {{ name: string, language?: { code?: string }, components?: TemplateComponent[] }} TemplateObject
 * @typedef {{ type: string, text?: { body: string }, interactive?: ButtonsInteractive | ListInteractive | CtaUrlInteractive, template?: TemplateObject, document?: DocumentObject }} CloudMessage
 * @typedef {{ replyId: string, replyTitle: string, replyType: 'button' | 'list' | 'quick_reply' }} Reply
 * @typedef {{ reply: (reply: Reply) => void, openList: (list: ListInteractive) => void }} Taps
 * @typedef {{ parts: Node[], actions: (HTMLButtonElement | HTMLAnchorElement)[] }} MessageView
 */

/** @type {Record<string, { mark: string, label: string, className: string }>} */
const TICKS = {
  sending: { mark: '◷', label: 'Sending', className: 'tick' },
  accepted: { mark: '◷', label: 'Accepted by the Graph stand-in, no status yet', className: 'tick' },
  sent: { mark: '✓', label: 'Sent', className: 'tick' },
  delivered: { mark: '✓✓', label: 'Delivered', className: 'tick' },
  read: { mark: '✓✓', label: 'Read', className: 'tick read' },
  failed: { mark: '!', label: 'Failed', className: 'tick failed' },
};

/**
 * Draws `status` into a tick element.
 * @param {HTMLElement} mark
 * @param {string} status
 */
function drawTick(mark, status) {
  const tick = TICKS[status] ?? { mark: '?', label: status, className: 'tick' };
  mark.className = tick.className;
  mark.textContent = tick.mark;
  mark.setAttribute('aria-label', tick.label);
  mark.title = tick.label;
}

/**
 * The time and the delivery ticks in a bubble's corner.
 * @param {number} at
 * @param {string} status
 */
function meta(at, status) {
  const box = el('span', 'meta');
  const time = el('time', '', new Date(at).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' }));
  time.setAttribute('datetime', new Date(at).toISOString());
  const mark = el('span', 'tick');
  mark.setAttribute('role', 'img');
  drawTick(mark, status);
  box.append(time, mark);
  return box;
}

/**
 * A list item for one message: `side` is `me` (the patient, right) or `them` (the clinic, left).
 * @param {'me' | 'them'} side
 * @param {MessageView} view
 * @param {number} at
 * @param {string} status
 */
export function messageItem(side, view, at, status) {
  const item = document.createElement('li');
  item.className = `msg ${side}`;
  const card = el('div', view.actions.length > 0 ? 'card actionable' : 'card');
  const bubble = el('div', 'bubble');
  // The spacer keeps room on the last line for the time and ticks placed in the corner.
  bubble.append(...view.parts, el('span', 'spacer'), meta(at, status));
  card.append(bubble);
  if (view.actions.length > 0) {
    const actions = el('div', 'actions');
    actions.append(...view.actions);
    card.append(actions);
  }
  item.append(card);
  return item;
}

/**
 * Redraws the ticks of a message item for `status`, in place: the chat list is a live region that
 * announces new messages, not tick changes.
 * @param {HTMLLIElement} item
 * @param {string} status
 */
export function setTicks(item, status) {
  const mark = item.querySelector('.tick');
  if (mark instanceof HTMLElement) drawTick(mark, status);
  item.classList.toggle('failed', status === 'failed');
}

/**
 * A button under a bubble: a reply button, a quick reply or a list's opener.
 * @param {string} label
 * @param {() => void} onClick
 */
function actionButton(label, onClick) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'action';
  button.textContent = label;
  button.addEventListener('click', onClick);
  return button;
}

/**
 * A link button under a bubble: opens its URL in a new tab, as WhatsApp opens it in the browser.
 * Anything but an http(s) URL stays inert, so a bad payload cannot run script from the page.
 * @param {string} label
 * @param {string} url
 */
function linkButton(label, url) {
  const anchor = document.createElement('a');
  anchor.className = 'action';
  const icon = el('span', 'link-icon', '↗');
  icon.setAttribute('aria-hidden', 'true');
  anchor.append(icon, document.createTextNode(label));
  if (isWebUrl(url)) Object.assign(anchor, { href: url, target: '_blank', rel: 'noopener noreferrer', title: url });
  else anchor.setAttribute('aria-disabled', 'true');
  return anchor;
}

/**
 * A file card: an icon with the extension and the name, linked when the document has a link.
 * @param {DocumentObject} doc
 */
function documentCard(doc) {
  const name = doc.filename || 'Document';
  const extension = (/\.([a-z0-9]{1,4})$/i.exec(name)?.[1] ?? 'file').toUpperCase();
  const card = el('div', 'doc');
  const title = el('div', 'doc-name');
  title.append(doc.link ? link(doc.link, name) : document.createTextNode(`${name} (media ${doc.id ?? '?'})`));
  card.append(el('span', 'doc-icon', extension), title);
  return card;
}

/** @param {Frame} frame */
function frameParts(frame) {
  /** @type {Node[]} */
  const parts = [];
  if (frame.header?.text) parts.push(richText(frame.header.text, 'text head'));
  parts.push(richText(frame.body?.text ?? ''));
  if (frame.footer?.text) parts.push(richText(frame.footer.text, 'text foot'));
  return parts;
}

/** @param {TemplateParameter} parameter */
function parameterText(parameter) {
  return (
    parameter.text ??
    parameter.payload ??
    parameter.currency?.fallback_value ??
    parameter.date_time?.fallback_value ??
    `[${parameter.type}]`
  );
}

/**
 * A template as the sandbox can show it: Meta holds the approved wording, so the page shows the
 * template's name and language, its header, its body parameters in order and its quick replies
 * (labelled with their payloads, since their approved titles live at Meta too).
 * @param {TemplateObject} template
 * @param {Taps} taps
 * @returns {MessageView}
 */
function templateView(template, taps) {
  /** @type {Node[]} */
  const parts = [el('span', 'label', `Template · ${template.name} · ${template.language?.code ?? '?'}`)];
  /** @type {HTMLButtonElement[]} */
  const actions = [];
  for (const component of template.components ?? []) {
    const parameters = component.parameters ?? [];
    if (component.type === 'header') {
      for (const parameter of parameters)
        parts.push(
          parameter.document ? documentCard(parameter.document) : richText(parameterText(parameter), 'text head'),
        );
    } else if (component.type === 'body') {
      const list = el('ol', 'params');
      for (const parameter of parameters) list.append(el('li', 'text', parameterText(parameter)));
      parts.push(list);
    } else if (component.type === 'button') {
      for (const parameter of parameters) {
        const payload = parameterText(parameter);
        actions.push(
          actionButton(payload, () => taps.reply({ replyId: payload, replyTitle: payload, replyType: 'quick_reply' })),
        );
      }
    }
  }
  return { parts, actions };
}

/**
 * The parts of the bot's message and the buttons under it.
 * @param {CloudMessage} message
 * @param {Taps} taps
 * @returns {MessageView}
 */
export function botMessageView(message, taps) {
  if (message.type === 'text') return { parts: [richText(message.text?.body ?? '')], actions: [] };
  if (message.type === 'document' && message.document) {
    const doc = message.document;
    return { parts: [documentCard(doc), ...(doc.caption ? [richText(doc.caption)] : [])], actions: [] };
  }
  if (message.type === 'template' && message.template) return templateView(message.template, taps);
  const interactive = message.interactive;
  if (message.type === 'interactive' && interactive?.type === 'button') {
    const actions = interactive.action.buttons.map(({ reply }) =>
      actionButton(reply.title, () => taps.reply({ replyId: reply.id, replyTitle: reply.title, replyType: 'button' })),
    );
    return { parts: frameParts(interactive), actions };
  }
  if (message.type === 'interactive' && interactive?.type === 'cta_url') {
    const { display_text: label, url } = interactive.action.parameters;
    return { parts: frameParts(interactive), actions: [linkButton(label, url)] };
  }
  if (message.type === 'interactive' && interactive?.type === 'list') {
    const opener = actionButton('', () => taps.openList(interactive));
    const icon = el('span', 'list-icon', '☰');
    icon.setAttribute('aria-hidden', 'true');
    opener.append(icon, document.createTextNode(interactive.action.button));
    opener.setAttribute('aria-haspopup', 'dialog');
    return { parts: frameParts(interactive), actions: [opener] };
  }
  return { parts: [el('em', 'text', `[${message.type} message: not shown in the sandbox]`)], actions: [] };
}

/**
 * A list message's sections and rows for its sheet; `pick` gets the tapped row.
 * @param {ListInteractive} list
 * @param {(row: Row) => void} pick
 */
export function listRows(list, pick) {
  /** @type {HTMLElement[]} */
  const nodes = [];
  for (const section of list.action.sections) {
    if (section.title) nodes.push(el('h3', 'sheet-section', section.title));
    for (const row of section.rows) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'row';
      const text = el('span', 'row-text');
      text.append(el('span', 'row-title', row.title));
      if (row.description) text.append(el('span', 'row-desc', row.description));
      const radio = el('span', 'radio');
      radio.setAttribute('aria-hidden', 'true');
      button.append(text, radio);
      button.addEventListener('click', () => pick(row));
      nodes.push(button);
    }
  }
  return nodes;
}
