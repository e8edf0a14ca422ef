// @ts-check
/**
 * Text for the sandbox chat page, as DOM nodes and never as HTML: whatever a patient types or the
 * bot sends is shown as text nodes, with WhatsApp's own markup and clickable http(s) links.
 */

/**
 * A new element with a class and, optionally, its text.
 * @param {string} tag
 * @param {string} className
 * @param {string} [text]
 */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * True for an http(s) URL: the only links the page makes clickable (never `javascript:` and the like).
 * @param {string} href
 */
export function isWebUrl(href) {
  try {
    return ['http:', 'https:'].includes(new URL(href).protocol);
  } catch {
    return false;
  }
}

/**
 * A link opening in a new tab, or plain text when `href` is not http(s).
 * @param {string} href
 * @param {string} label
 */
export function link(href, label) {
  if (!isWebUrl(href)) return document.createTextNode(label);
  return Object.assign(document.createElement('a'), {
    href,
    textContent: label,
    target: '_blank',
    rel: 'noopener noreferrer',
  });
}

const URL_PATTERN = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'*_~]/g;
// WhatsApp's *bold*, _italic_, ~strike~ and ```mono```: markers hug the text and sit outside words,
// so snake_case and 2*3*4 stay as typed.
const FORMAT_PATTERN = /(?<![\p{L}\p{N}\p{M}])(```|[*_~])(?!\s)([^\n]*?[^\s])\1(?![\p{L}\p{N}\p{M}])/u;
/** @type {Record<string, string>} */
const FORMAT_TAGS = { '*': 'strong', _: 'em', '~': 's', '```': 'code' };

/**
 * `text` with WhatsApp's markup applied.
 * @param {string} text
 * @returns {Node[]}
 */
function formatInline(text) {
  const match = FORMAT_PATTERN.exec(text);
  if (!match) return [document.createTextNode(text)];
  const [whole, marker = '', inner = ''] = match;
  const styled = document.createElement(FORMAT_TAGS[marker] ?? 'span');
  styled.append(...(marker === '```' ? [document.createTextNode(inner)] : formatInline(inner)));
  return [
    document.createTextNode(text.slice(0, match.index)),
    styled,
    ...formatInline(text.slice(match.index + whole.length)),
  ];
}

/**
 * A message body: links made clickable, the rest formatted; line breaks kept by CSS (pre-wrap).
 * @param {string} text
 * @param {string} [className]
 */
export function richText(text, className = 'text') {
  const box = el('div', className);
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const index = match.index ?? 0;
    box.append(...formatInline(text.slice(last, index)), link(match[0], match[0]));
    last = index + match[0].length;
  }
  box.append(...formatInline(text.slice(last)));
  return box;
}
