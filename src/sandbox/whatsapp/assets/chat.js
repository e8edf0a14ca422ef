// @ts-check
/**
 * The sandbox chat page: a person chats as any WhatsApp number. What they type or tap goes to
 * POST /sandbox/whatsapp/api/inbound (which signs it and calls our real webhook); both sides of
 * the chat are polled once a second from GET /sandbox/whatsapp/api/messages?to= (what the bot
 * sent, as Cloud API objects, with the status the Graph stand-in reported) and
 * GET /sandbox/whatsapp/api/inbound?from= (what this number sent). Polling rather than SSE: it
 * survives app restarts and proxies with no reconnect logic, and a sandbox needs nothing faster.
 *
 * Plain browser modules, type-checked by tsc through JSDoc (allowJs) and copied into dist/ by
 * the build; the CSP allows no inline script.
 */
import { botMessageView, listRows, messageItem, setTicks } from './chat-messages.js';
import { richText } from './chat-text.js';

/**
 * @typedef {import('./chat-messages.js').CloudMessage} CloudMessage
 * @typedef {import('./chat-messages.js').ListInteractive} ListInteractive
 * @typedef {import('./chat-messages.js').Reply} Reply
 * @typedef {{ wamid: string, at: string, status: string, message: CloudMessage }} Received
 * @typedef {{ type: string, text?: string, id?: string, title?: string }} SentContent
 * @typedef {{ wamid: string, at: string, content: SentContent }} Sent
 * @typedef {{ el: HTMLLIElement, status: string }} Shown
 */

const POLL_MS = 1000;
const STORE_KEY = 'cinic.sandbox.whatsapp';

/**
 * The element with `id`, typed; the shell is static, so a missing one is a bug worth failing on.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function byId(id, type) {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`#${id} is missing from the page`);
  return found;
}

const phone = byId('phone', HTMLElement);
const identity = byId('identity', HTMLFormElement);
const numberInput = byId('number', HTMLInputElement);
const profileInput = byId('profile', HTMLInputElement);
const recentList = byId('recent-numbers', HTMLDataListElement);
const asLabel = byId('as', HTMLSpanElement);
const statusLine = byId('status', HTMLParagraphElement);
const scroller = byId('chat-scroll', HTMLElement);
const empty = byId('empty', HTMLParagraphElement);
const chat = byId('chat', HTMLOListElement);
const composer = byId('composer', HTMLFormElement);
const textInput = byId('text', HTMLTextAreaElement);
const sheet = byId('sheet', HTMLDialogElement);
const sheetTitle = byId('sheet-title', HTMLHeadingElement);
const sheetBody = byId('sheet-body', HTMLDivElement);
const faultSuffixes = (phone.dataset.faultSuffixes ?? '').split(' ').filter(Boolean);

const state = {
  waId: '',
  /** Bumped when the number changes, so answers for the previous chat are dropped. */
  generation: 0,
  /** @type {Map<string, Shown>} keyed `r:<wamid>` (received), `s:<wamid>` (sent) or `p:<n>` (still sending) */
  shown: new Map(),
  sending: 0,
  /** The previous send: a phone delivers in the order the person typed and tapped, so each POST waits for it. */
  outbox: Promise.resolve(),
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  timer: undefined,
};

// ---------------------------------------------------------------- numbers and storage

/**
 * A WhatsApp id (country code and number, digits only) from what a person typed, or null.
 * Ten digits starting 6–9 are an Indian mobile number, so +91 is assumed.
 * @param {string} input
 */
function toWaId(input) {
  const digits = input.replace(/[\s().+-]/g, '').replace(/^0+/, '');
  if (!/^\d+$/.test(digits)) return null;
  const full = digits.length === 10 && /^[6-9]/.test(digits) ? `91${digits}` : digits;
  return /^\d{7,15}$/.test(full) ? full : null;
}

/** @param {string} waId */
function displayNumber(waId) {
  return waId.length === 12 && waId.startsWith('91') ? `+91 ${waId.slice(2, 7)} ${waId.slice(7)}` : `+${waId}`;
}

/** A fresh Indian mobile number that does not trigger a simulated failure. */
function randomNumber() {
  for (;;) {
    const waId = `9198${Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) => byte % 10).join('')}`;
    if (!faultSuffixes.some((suffix) => waId.endsWith(suffix))) return waId;
  }
}

/** @returns {{ waId?: string, profileName?: string, recent?: string[] }} */
function loadStore() {
  try {
    return JSON.parse(localStorage.getItem(STORE_KEY) ?? '{}');
  } catch {
    return {};
  }
}

/** Remembers `waId` as the current and a recent number, with the profile name. */
function remember(/** @type {string} */ waId) {
  const recent = [waId, ...(loadStore().recent ?? []).filter((other) => other !== waId)].slice(0, 8);
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify({ waId, profileName: profileInput.value.trim(), recent }));
  } catch {
    // Storage may be off (private windows); the page works without remembering.
  }
  recentList.replaceChildren(
    ...recent.map((number) => Object.assign(document.createElement('option'), { value: displayNumber(number) })),
  );
}

/** The number in the page's address (`#919876543210`), if any. */
function numberFromHash() {
  try {
    return toWaId(decodeURIComponent(location.hash.slice(1)));
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- the chat list

/** What a tap on the bot's messages does. */
const taps = {
  /** @param {Reply} reply */
  reply: (reply) => void send(reply, reply.replyTitle),
  /** @param {ListInteractive} list */
  openList(list) {
    sheetTitle.textContent = list.action.button;
    sheetBody.replaceChildren(
      ...listRows(list, (row) => {
        sheet.close();
        void send({ replyId: row.id, replyTitle: row.title, replyType: 'list' }, row.title);
      }),
    );
    sheet.showModal();
  },
};

/**
 * Puts `item` among the shown messages in time order (almost always at the end) and tracks it as `key`.
 * @param {string} key
 * @param {HTMLLIElement} item
 * @param {number} at
 * @param {string} status
 */
function show(key, item, at, status) {
  item.dataset.at = String(at);
  const later = Array.from(chat.children).find(
    (child) => child instanceof HTMLElement && Number(child.dataset.at) > at,
  );
  chat.insertBefore(item, later ?? null);
  empty.hidden = true;
  /** @type {Shown} */
  const shown = { el: item, status };
  state.shown.set(key, shown);
  return shown;
}

/**
 * Moves a shown message's ticks to `status` (statuses only move forward at the stand-in).
 * @param {Shown} shown
 * @param {string} status
 */
function updateStatus(shown, status) {
  if (shown.status === status) return;
  shown.status = status;
  setTicks(shown.el, status);
}

/** @param {SentContent} content */
const sentText = (content) => (content.type === 'text' ? (content.text ?? '') : (content.title ?? content.id ?? ''));

/**
 * Shows what is new in both lists and updates statuses; follows new messages when the view was at the bottom.
 * @param {Received[]} received
 * @param {Sent[]} sent
 */
function render(received, sent) {
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  let added = false;
  for (const message of received) {
    const shown = state.shown.get(`r:${message.wamid}`);
    if (shown) {
      updateStatus(shown, message.status);
      continue;
    }
    const at = Date.parse(message.at);
    show(
      `r:${message.wamid}`,
      messageItem('them', botMessageView(message.message, taps), at, message.status),
      at,
      message.status,
    );
    added = true;
  }
  for (const message of sent) {
    if (state.shown.has(`s:${message.wamid}`)) continue;
    const at = Date.parse(message.at);
    show(
      `s:${message.wamid}`,
      messageItem('me', { parts: [richText(sentText(message.content))], actions: [] }, at, 'delivered'),
      at,
      'delivered',
    );
    added = true;
  }
  if (added && atBottom) scroller.scrollTop = scroller.scrollHeight;
}

/** @param {string} message */
function setStatus(message) {
  if (statusLine.textContent !== message) statusLine.textContent = message;
}

// ---------------------------------------------------------------- talking to the app

/** @param {Response} res */
async function problemOf(res) {
  const body = await res.json().catch(() => null);
  return body && typeof body.detail === 'string' ? body.detail : `HTTP ${res.status}`;
}

/** @param {string} url */
async function getJson(url) {
  const res = await fetch(url, { cache: 'no-store', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(await problemOf(res));
  return res.json();
}

async function poll() {
  const { generation, waId } = state;
  try {
    const query = encodeURIComponent(waId);
    const [received, sent] = await Promise.all([
      getJson(`/sandbox/whatsapp/api/messages?to=${query}`),
      getJson(`/sandbox/whatsapp/api/inbound?from=${query}`),
    ]);
    if (generation !== state.generation) return;
    render(received.messages, sent.messages);
    setStatus('');
  } catch (error) {
    if (generation === state.generation)
      setStatus(`Can't reach the app (${error instanceof Error ? error.message : 'error'}); retrying…`);
  } finally {
    if (generation === state.generation) state.timer = setTimeout(poll, POLL_MS);
  }
}

/**
 * Sends what the person typed or tapped, shown at once as a bubble that settles once delivered.
 * @param {{ text: string } | Reply} outgoing
 * @param {string} label what the bubble shows
 */
async function send(outgoing, label) {
  const { generation, waId } = state;
  const key = `p:${(state.sending += 1)}`;
  const at = Date.now();
  const shown = show(key, messageItem('me', { parts: [richText(label)], actions: [] }, at, 'sending'), at, 'sending');
  scroller.scrollTop = scroller.scrollHeight;
  textInput.focus();
  const profileName = profileInput.value.trim();
  const post = () =>
    fetch('/sandbox/whatsapp/api/inbound', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ from: waId, ...(profileName ? { profileName } : {}), ...outgoing }),
    });
  const sent = state.outbox.then(post, post);
  state.outbox = sent.then(
    () => undefined,
    () => undefined,
  );
  try {
    const res = await sent;
    if (!res.ok) throw new Error(await problemOf(res));
    const { wamid } = await res.json();
    if (generation !== state.generation) return;
    state.shown.delete(key);
    // A poll may already have shown the recorded message: keep one bubble.
    if (state.shown.has(`s:${wamid}`)) shown.el.remove();
    else state.shown.set(`s:${wamid}`, shown);
    updateStatus(shown, 'delivered');
  } catch (error) {
    updateStatus(shown, 'failed');
    const reason = document.createElement('span');
    reason.className = 'error';
    reason.textContent = `Not delivered: ${error instanceof Error ? error.message : 'error'}`;
    shown.el.querySelector('.bubble')?.append(reason);
  }
}

/** Opens the chat of `waId`: clears the view, remembers the number and starts polling it. */
function openChat(/** @type {string} */ waId) {
  state.generation += 1;
  clearTimeout(state.timer);
  state.waId = waId;
  state.shown.clear();
  chat.replaceChildren();
  empty.hidden = false;
  numberInput.value = displayNumber(waId);
  asLabel.textContent = displayNumber(waId);
  history.replaceState(null, '', `#${waId}`);
  remember(waId);
  void poll();
}

// ---------------------------------------------------------------- wiring

identity.addEventListener('submit', (event) => {
  event.preventDefault();
  const waId = toWaId(numberInput.value);
  if (!waId) {
    numberInput.setAttribute('aria-invalid', 'true');
    setStatus('That is not a phone number: type the country code and number, e.g. +91 98765 43210.');
    numberInput.focus();
    return;
  }
  numberInput.removeAttribute('aria-invalid');
  setStatus('');
  if (waId !== state.waId) openChat(waId);
  else remember(waId);
  textInput.focus();
});
profileInput.addEventListener('change', () => remember(state.waId));
// Editing the number in the address bar switches chats too.
window.addEventListener('hashchange', () => {
  const waId = numberFromHash();
  if (waId && waId !== state.waId) openChat(waId);
});

function fitTextInput() {
  textInput.style.height = 'auto';
  textInput.style.height = `${textInput.scrollHeight}px`;
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = textInput.value.trim();
  if (!text) return;
  textInput.value = '';
  fitTextInput();
  void send({ text }, text);
});
// Enter sends, Shift+Enter adds a line; never while an input method (e.g. a Hindi keyboard) is composing.
textInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    composer.requestSubmit();
  }
});
textInput.addEventListener('input', fitTextInput);

for (const chip of Array.from(document.querySelectorAll('[data-say]'))) {
  const text = chip instanceof HTMLElement ? (chip.dataset.say ?? '') : '';
  chip.addEventListener('click', () => void send({ text }, text));
}

sheet.querySelector('.sheet-close')?.addEventListener('click', () => sheet.close());
// A click on the backdrop lands on the dialog element itself, outside its content: close the sheet.
sheet.addEventListener('click', (event) => {
  if (event.target === sheet) sheet.close();
});

profileInput.value = loadStore().profileName ?? '';
openChat(numberFromHash() ?? loadStore().waId ?? randomNumber());
textInput.focus();
