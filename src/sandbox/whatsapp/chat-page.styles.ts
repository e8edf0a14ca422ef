/**
 * Styles of the sandbox chat page, served as /sandbox/whatsapp/assets/chat.css. Kept in a module
 * (not a .css file) so `npm run build` carries them into dist/ with the code. System fonts only;
 * Devanagari falls back to an installed Indic font (Debian: fonts-lohit-deva).
 */

/** The stylesheet. */
export const CHAT_PAGE_CSS = `
/* Lohit draws Devanagari smaller than Latin system fonts beside it; scaled to match, for Devanagari only. */
@font-face { font-family: "CINIC Devanagari"; src: local("Lohit Devanagari"), local("Lohit-Devanagari"); unicode-range: U+0900-097F, U+1CD0-1CFF, U+A8E0-A8FF; size-adjust: 112%; }
:root {
  --teal: #008069; --teal-dark: #005c4b; --ink: #111b21; --muted: #54656f;
  --paper: #efeae2; --mine: #d9fdd3; --theirs: #fff; --read: #0a7cc1; --fail: #c0262d;
  font-family: "CINIC Devanagari", system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Noto Sans Devanagari", "Lohit Devanagari", "Nirmala UI", sans-serif;
  color: var(--ink);
}
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { background: #d1d7db; }
button, input, textarea { font: inherit; color: inherit; }
:focus-visible { outline: 3px solid #1d6fd6; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }

.phone { display: flex; flex-direction: column; height: 100vh; height: 100dvh; max-width: 34rem; margin: 0 auto; background: var(--paper); box-shadow: 0 0 24px rgb(0 0 0 / 15%); }

.bar { display: flex; align-items: center; gap: .75rem; padding: .6rem .9rem; background: var(--teal); color: #fff; }
.avatar { flex: none; display: grid; place-items: center; width: 2.5rem; height: 2.5rem; border-radius: 50%; background: #dfe5e7; color: var(--teal-dark); font-weight: 700; font-size: 1.15rem; }
.who-am-i { min-width: 0; }
.bar h1 { margin: 0; font-size: 1.05rem; line-height: 1.3; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.bar p { margin: 0; font-size: .8rem; opacity: .92; }

.identity { display: flex; flex-wrap: wrap; align-items: flex-end; gap: .3rem .5rem; padding: .4rem .9rem .45rem; background: #f0f2f5; border-bottom: 1px solid #d1d7db; font-size: .75rem; color: var(--muted); }
.identity label { display: flex; flex-direction: column; gap: .1rem; min-width: 0; }
/* Wide enough for a whole Indian number (+91 98765 43210) on a phone. */
.identity label:first-of-type { flex: 1.4 1 9.8rem; }
.identity label:nth-of-type(2) { flex: 1 1 5.5rem; }
.identity input { width: 100%; padding: .3rem .45rem; border: 1px solid #c3cbd0; border-radius: 6px; background: #fff; font-size: .9rem; color: var(--ink); }
.identity button { padding: .35rem .7rem; border: 1px solid var(--teal); border-radius: 6px; background: var(--teal); color: #fff; font-size: .85rem; font-weight: 600; cursor: pointer; }
.identity .hint { flex-basis: 100%; margin: 0; font-size: .7rem; }

.status { margin: 0; padding: .35rem .9rem; background: #fff3c4; font-size: .85rem; }
.status:empty { display: none; }

.chat { position: relative; flex: 1; overflow-y: auto; padding: .75rem .6rem; }
.empty { margin: 2rem auto; max-width: 18rem; padding: .5rem .8rem; border-radius: 8px; background: #ffeecd; color: #54656f; font-size: .85rem; text-align: center; }
.messages { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .35rem; }
.msg { display: flex; }
.msg.me { justify-content: flex-end; }
.card { display: flex; flex-direction: column; gap: 2px; max-width: min(85%, 26rem); }
.msg.them .card.actionable { min-width: min(85%, 15rem); }

.bubble { position: relative; padding: .4rem .55rem .45rem; border-radius: 8px; background: var(--theirs); box-shadow: 0 1px .5px rgb(11 20 26 / 13%); font-size: .92rem; line-height: 1.5; overflow-wrap: anywhere; }
.msg.me .bubble { background: var(--mine); }
.msg.them .card > .bubble:first-child { border-top-left-radius: 0; }
.msg.me .card > .bubble:first-child { border-top-right-radius: 0; }
.text { white-space: pre-wrap; }
.text a { color: #02689a; }
.text code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88em; }
.head { font-weight: 700; margin-bottom: .15rem; }
.foot { color: var(--muted); font-size: .8rem; margin-top: .2rem; }
.label { display: block; margin-bottom: .2rem; color: var(--muted); font-size: .75rem; }
.params { margin: .25rem 0 0; padding-left: 1.3rem; }
/* Keeps room on the last line for the absolutely placed time and ticks. */
.spacer { display: inline-block; width: 5.6rem; height: 1px; }
.meta { position: absolute; right: .5rem; bottom: .25rem; display: flex; gap: .25rem; align-items: center; color: var(--muted); font-size: .68rem; line-height: 1; white-space: nowrap; }
.tick { font-size: .8rem; letter-spacing: -.32em; padding-right: .32em; }
.tick.read { color: var(--read); }
.tick.failed { color: var(--fail); font-weight: 700; letter-spacing: 0; padding: 0; }
.msg.failed .bubble { outline: 1px solid var(--fail); }
.error { display: block; color: var(--fail); font-size: .75rem; margin-top: .2rem; }

.actions { display: flex; flex-direction: column; gap: 2px; }
.action { display: flex; align-items: center; justify-content: center; gap: .4rem; padding: .5rem .6rem; border: 0; border-radius: 8px; background: var(--theirs); box-shadow: 0 1px .5px rgb(11 20 26 / 13%); color: #00775f; font-weight: 600; font-size: .9rem; cursor: pointer; }
.action:hover { background: #f5f6f6; }
a.action { text-decoration: none; }
a.action[aria-disabled="true"] { color: var(--muted); cursor: not-allowed; }
.list-icon, .link-icon { font-size: 1rem; line-height: 1; }

.doc { display: flex; align-items: center; gap: .6rem; padding: .5rem; border-radius: 6px; background: rgb(0 0 0 / 5%); }
.doc-icon { flex: none; display: grid; place-items: center; width: 2.2rem; height: 2.7rem; border-radius: 3px; background: #c62f36; color: #fff; font-size: .62rem; font-weight: 700; }
.doc-name { min-width: 0; overflow-wrap: anywhere; font-weight: 600; }
.doc-name a { color: inherit; }

.chips { display: flex; gap: .4rem; padding: .35rem .6rem 0; overflow-x: auto; }
.chips button { padding: .25rem .8rem; border: 1px solid #b9c3c9; border-radius: 999px; background: #fff; color: var(--teal-dark); font-size: .85rem; cursor: pointer; }
.composer { display: flex; align-items: flex-end; gap: .45rem; padding: .45rem .6rem .6rem; }
.composer textarea { flex: 1; max-height: 8rem; padding: .55rem .9rem; border: 0; border-radius: 1.3rem; background: #fff; resize: none; line-height: 1.4; font-size: .95rem; }
.send { flex: none; display: grid; place-items: center; width: 2.6rem; height: 2.6rem; border: 0; border-radius: 50%; background: var(--teal); color: #fff; cursor: pointer; }

.sheet { width: min(34rem, 100vw); max-width: 100vw; max-height: 75vh; margin: auto auto 0; padding: 0; border: 0; border-radius: 14px 14px 0 0; background: #fff; color: var(--ink); }
.sheet::backdrop { background: rgb(11 20 26 / 45%); }
.sheet-head { position: sticky; top: 0; display: flex; align-items: center; gap: .5rem; padding: .6rem .7rem; background: #fff; border-bottom: 1px solid #e9edef; }
.sheet-head h2 { margin: 0; font-size: 1rem; }
.sheet-close { width: 2rem; height: 2rem; border: 0; border-radius: 50%; background: transparent; font-size: 1.5rem; line-height: 1; cursor: pointer; }
.sheet-body { padding: 0 0 .8rem; }
.sheet-section { margin: .7rem 1rem .2rem; color: var(--teal-dark); font-size: .8rem; font-weight: 600; }
.row { display: flex; align-items: center; gap: .8rem; width: 100%; padding: .6rem 1rem; border: 0; border-bottom: 1px solid #f0f2f5; background: transparent; text-align: left; cursor: pointer; }
.row:hover { background: #f5f6f6; }
.row-text { flex: 1; display: flex; flex-direction: column; min-width: 0; }
.row-title { font-size: .95rem; line-height: 1.45; }
.row-desc { color: var(--muted); font-size: .8rem; line-height: 1.45; }
.radio { flex: none; width: 1.1rem; height: 1.1rem; border: 2px solid #8696a0; border-radius: 50%; }
`;
