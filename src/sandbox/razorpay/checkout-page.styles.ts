/**
 * Styles of the sandbox checkout and index pages, served as /sandbox/razorpay/assets/checkout.css.
 * Kept in a module (not a .css file) so `npm run build` carries them into dist/ with the code.
 * System fonts; Devanagari descriptions fall back to an installed Indic font.
 */

/** The stylesheet. */
export const CHECKOUT_PAGE_CSS = `
:root {
  --navy: #0c2651; --blue: #1566d6; --blue-dark: #0f52ad; --ink: #1b2433; --muted: #5b6678;
  --line: #e3e8ef; --paper: #f3f5f9; --ok: #137a3f; --ok-bg: #e7f6ec; --bad: #b42318; --bad-bg: #fdecea;
  font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Noto Sans Devanagari", "Lohit Devanagari", sans-serif;
  color: var(--ink);
}
* { box-sizing: border-box; }
html, body { margin: 0; min-height: 100%; }
body { background: linear-gradient(var(--navy) 0 11rem, var(--paper) 11rem); padding: 2.5rem 1rem 3rem; }
:focus-visible { outline: 3px solid #7fb0f5; outline-offset: 2px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85em; }
a { color: var(--blue); }

.checkout { max-width: 26rem; margin: 0 auto; background: #fff; border-radius: 14px; box-shadow: 0 10px 30px rgb(12 38 81 / 18%); overflow: hidden; }
.merchant { display: flex; align-items: center; gap: .8rem; padding: 1.1rem 1.3rem; border-bottom: 1px solid var(--line); }
.logo { flex: none; display: grid; place-items: center; width: 2.75rem; height: 2.75rem; border-radius: 10px; background: var(--navy); color: #fff; font-weight: 700; font-size: 1.2rem; }
.who { min-width: 0; flex: 1; }
.who h1 { margin: 0; font-size: 1.05rem; line-height: 1.3; overflow-wrap: anywhere; }
.who p { margin: .1rem 0 0; color: var(--muted); font-size: .8rem; }
.badge { flex: none; padding: .15rem .5rem; border-radius: 999px; background: #fff4d6; color: #7a5300; font-size: .7rem; font-weight: 600; letter-spacing: .02em; text-transform: uppercase; }

.summary { padding: 1.3rem 1.3rem .6rem; }
.description { margin: 0 0 .4rem; color: var(--muted); font-size: .95rem; line-height: 1.45; overflow-wrap: anywhere; }
.amount { margin: 0 0 1rem; font-size: 2.1rem; font-weight: 700; letter-spacing: -.01em; font-variant-numeric: tabular-nums; }
.facts { margin: 0; display: grid; gap: .45rem; font-size: .85rem; }
.facts div { display: flex; justify-content: space-between; gap: 1rem; padding-bottom: .45rem; border-bottom: 1px dashed var(--line); }
.facts div:last-child { border-bottom: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; text-align: right; overflow-wrap: anywhere; }

.status { display: inline-block; padding: .1rem .55rem; border-radius: 999px; font-size: .78rem; font-weight: 600; }
.status-created { background: #e8f0fd; color: var(--blue-dark); }
.status-paid { background: var(--ok-bg); color: var(--ok); }
.status-cancelled, .status-expired { background: #eef0f3; color: var(--muted); }

.outcome { margin: .6rem 1.3rem 0; padding: .8rem .95rem; border-radius: 10px; font-size: .92rem; line-height: 1.45; }
.outcome.success { background: var(--ok-bg); color: #0d5c2f; }
.outcome.failure { background: var(--bad-bg); color: var(--bad); }
.outcome.neutral { background: #eef0f3; color: var(--ink); }
.outcome .fine { display: block; margin-top: .25rem; font-size: .78rem; opacity: .85; }

.actions { display: grid; grid-template-columns: 2fr 1fr; gap: .6rem; padding: 1.1rem 1.3rem 0; }
.actions form { margin: 0; }
.actions button { width: 100%; padding: .8rem 1rem; border-radius: 10px; font: inherit; font-weight: 700; font-size: 1rem; cursor: pointer; }
.pay { border: 0; background: var(--blue); color: #fff; }
.pay:hover { background: var(--blue-dark); }
.fail { border: 1.5px solid #e4a29c; background: #fff; color: var(--bad); }
.fail:hover { background: var(--bad-bg); }
.hint { margin: .7rem 1.3rem 0; color: var(--muted); font-size: .78rem; line-height: 1.45; }

footer { margin-top: 1.2rem; padding: .8rem 1.3rem; border-top: 1px solid var(--line); background: #fafbfc; color: var(--muted); font-size: .75rem; }

.index { max-width: 56rem; margin: 0 auto; padding: 1.4rem 1.5rem 1.6rem; background: #fff; border-radius: 14px; box-shadow: 0 10px 30px rgb(12 38 81 / 18%); }
.index h1 { margin: 0; font-size: 1.4rem; }
.lede, .empty { color: var(--muted); font-size: .9rem; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: .88rem; }
th, td { padding: .55rem .5rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: .78rem; text-transform: uppercase; letter-spacing: .03em; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
/* On a phone the description, amount and status are what matter; the rest is on the checkout page. */
@media (max-width: 40rem) { .wide { display: none; } .index { padding: 1.1rem 1rem 1.2rem; } }
`;
