/**
 * The HTML shell of the sandbox chat page. Static apart from two escaped values; everything the
 * patient or the bot says is rendered by the client script (assets/chat.js) with DOM text nodes.
 * No inline script: the CSP is `script-src 'self'`.
 */

/** What the shell shows: the business's name in the chat header, and the wa_id suffixes that simulate failures. */
export interface ChatPageOptions {
  businessName: string;
  faultSuffixes: readonly string[];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The page at GET /sandbox/whatsapp. */
export function chatPageHtml({ businessName, faultSuffixes }: ChatPageOptions): string {
  const name = escapeHtml(businessName);
  const suffixes = escapeHtml(faultSuffixes.join(' '));
  const initial = escapeHtml(businessName.trim().charAt(0).toUpperCase() || 'C');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>WhatsApp sandbox · CINIC</title>
  <link rel="stylesheet" href="/sandbox/whatsapp/assets/chat.css">
  <script type="module" src="/sandbox/whatsapp/assets/chat.js"></script>
</head>
<body>
  <main id="phone" class="phone" data-fault-suffixes="${suffixes}">
    <header class="bar">
      <span class="avatar" aria-hidden="true">${initial}</span>
      <div class="who-am-i">
        <h1>${name}</h1>
        <p>WhatsApp sandbox · you are <span id="as">…</span></p>
      </div>
    </header>
    <form id="identity" class="identity" novalidate>
      <label>Your number <input id="number" name="number" type="tel" inputmode="tel" autocomplete="off" list="recent-numbers" required aria-describedby="number-hint"></label>
      <datalist id="recent-numbers"></datalist>
      <label>Profile name <input id="profile" name="profile" type="text" autocomplete="off" maxlength="60" placeholder="optional"></label>
      <button type="submit">Open chat</button>
      <p id="number-hint" class="hint">Chat as any number. Numbers ending ${suffixes.replaceAll(' ', ', ')} simulate Graph API failures.</p>
    </form>
    <p id="status" class="status" role="status" aria-live="polite"></p>
    <section class="chat" id="chat-scroll" aria-label="Chat">
      <p id="empty" class="empty">No messages yet. Say <b>hi</b> to the clinic to start.</p>
      <ol id="chat" class="messages" aria-live="polite" aria-relevant="additions"></ol>
    </section>
    <div class="chips" role="group" aria-label="Quick replies">
      <button type="button" data-say="hi">hi</button>
      <button type="button" data-say="menu">menu</button>
      <button type="button" data-say="help">help</button>
    </div>
    <form id="composer" class="composer">
      <label for="text" class="visually-hidden">Message</label>
      <textarea id="text" name="text" rows="1" maxlength="4096" placeholder="Message" autocomplete="off" enterkeyhint="send"></textarea>
      <button type="submit" class="send" aria-label="Send"><svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"><path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10.1 15 12 3.4 13.9z"/></svg></button>
    </form>
    <dialog id="sheet" class="sheet" aria-labelledby="sheet-title">
      <div class="sheet-head">
        <button type="button" class="sheet-close" aria-label="Close">×</button>
        <h2 id="sheet-title"></h2>
      </div>
      <div id="sheet-body" class="sheet-body"></div>
    </dialog>
  </main>
</body>
</html>`;
}
