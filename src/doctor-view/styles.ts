/**
 * The doctor view's stylesheet, served as /doctor/assets/doctor.css (a module, not a .css file,
 * so the build carries it into dist/). Written for a tablet between patients: calm colours, large
 * type, touch targets of at least 48 px, flags in colour and in words. System fonts only.
 */

/** The stylesheet. */
export const DOCTOR_VIEW_CSS = `
:root {
  --teal: #0b7a75; --teal-dark: #075e5a; --teal-soft: #e3f2f1; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec;
  --paper: #f4f6f5; --card: #fff; --danger: #b42318; --danger-soft: #fef3f2; --warn: #b54708; --warn-soft: #fffaeb;
  --ok: #067647; --ok-soft: #ecfdf3; --radius: 12px;
  font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  font-size: 17px; line-height: 1.45; color: var(--ink);
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--paper); }
a { color: var(--teal-dark); }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; line-height: 1.2; }
h2 { font-size: 1.2rem; margin: 0 0 .75rem; }
h3 { font-size: 1.02rem; margin: .5rem 0 .4rem; }
button, input, textarea, select { font: inherit; color: inherit; }
:focus-visible { outline: 3px solid #1d6fd6; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.muted, .hint { color: var(--muted); }
.hint { font-size: .85rem; font-weight: 400; }
.sub { display: block; color: var(--muted); font-size: .9rem; }
.pre { white-space: pre-wrap; margin: 0; }
.empty, .quiet-line { color: var(--muted); margin: .25rem 0 .75rem; }
.quiet-line { margin-bottom: 1.25rem; }
ul.plain { margin: .25rem 0; padding-left: 1.2rem; }

.bar { position: sticky; top: 0; z-index: 10; display: flex; align-items: center; gap: 1rem; padding: .5rem 1.25rem; background: var(--teal); color: #fff; min-height: 60px; }
.bar a, .bar .brand { color: #fff; text-decoration: none; }
.brand { font-weight: 800; letter-spacing: .06em; }
.bar-title { opacity: .9; }
.bar-nav { display: flex; gap: .5rem; flex: 1 1 auto; }
.nav-link { display: inline-flex; align-items: center; gap: .5rem; white-space: nowrap; min-height: 44px; padding: 0 .8rem; border-radius: 8px; }
.nav-link:hover { background: rgb(255 255 255 / 12%); }
.alerts-link { background: var(--danger); font-weight: 600; }
.alerts-link .count { background: #fff; color: var(--danger); }
.bar-who { text-align: right; font-weight: 600; white-space: nowrap; }
.bar-who small { display: block; font-weight: 400; opacity: .85; font-size: .8rem; }
@media (max-width: 760px) { .bar-who small { display: none; } .bar { gap: .5rem; padding: .5rem .75rem; } }
.bar-out .btn { color: #fff; border-color: rgb(255 255 255 / 45%); background: transparent; }

.main { max-width: 78rem; margin: 0 auto; padding: 1.25rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 1.1rem 1.25rem; margin-bottom: 1rem; }
.narrow { max-width: 32rem; margin: 2rem auto; }
.page-head { margin-bottom: 1rem; }
.columns { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 1000px) { .columns { grid-template-columns: minmax(0, 1fr) 21rem; align-items: start; } }
.side .card h2 { font-size: 1.05rem; }

.btn { display: inline-flex; align-items: center; justify-content: center; gap: .4rem; min-height: 48px; padding: 0 1.1rem; border-radius: 10px; border: 1px solid var(--line); background: #fff; color: var(--teal-dark); font-weight: 600; text-decoration: none; cursor: pointer; white-space: nowrap; }
.btn:hover { background: var(--teal-soft); }
.btn.primary { background: var(--teal); border-color: var(--teal); color: #fff; }
.btn.primary:hover { background: var(--teal-dark); }
.btn.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
.btn.quiet { border-color: transparent; background: transparent; }
.btn.small { min-height: 40px; padding: 0 .7rem; font-size: .9rem; }
.btn.wide { width: 100%; }
.btn[disabled] { opacity: .55; cursor: progress; }
.row-end { display: flex; flex-wrap: wrap; align-items: center; justify-content: flex-end; gap: .75rem; }
.actions { margin-top: 1.25rem; }

label { display: block; font-weight: 600; font-size: .95rem; }
input, textarea { display: block; width: 100%; margin-top: .3rem; min-height: 48px; padding: .55rem .75rem; border: 1px solid #bcccdc; border-radius: 10px; background: #fff; font-weight: 400; }
textarea { resize: vertical; line-height: 1.5; }
input:focus, textarea:focus { border-color: var(--teal); }
input[aria-invalid="true"], textarea[aria-invalid="true"] { border-color: var(--danger); background: var(--danger-soft); }
.stack > * + * { margin-top: .9rem; }
.stack label + label, .note label + label { margin-top: .9rem; }
.grid-2, .grid-3, .grid-follow { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); }
.grid-3 { grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); }
.grid-follow { grid-template-columns: minmax(0, 1fr) 11rem; margin-top: 1rem; align-items: end; }
.form-error, .field-error { color: var(--danger); font-weight: 600; }
.field-error { margin: .5rem 0 0; }

.notice { padding: .8rem 1rem; border-radius: 10px; margin: 0 0 1rem; font-weight: 600; }
.notice.ok { background: var(--ok-soft); color: var(--ok); }
.notice.warn { background: var(--warn-soft); color: var(--warn); }
.notice.error { background: var(--danger-soft); color: var(--danger); border: 1px solid #fecdca; }
.badge { display: inline-block; padding: .3rem .7rem; border-radius: 999px; font-weight: 700; font-size: .85rem; }
.badge.ok { background: var(--ok-soft); color: var(--ok); }
.badge.warn { background: var(--warn-soft); color: var(--warn); }
.badge.danger { background: var(--danger-soft); color: var(--danger); border-radius: 10px; }
.count { display: inline-block; min-width: 1.6rem; padding: 0 .45rem; border-radius: 999px; background: var(--teal-soft); color: var(--teal-dark); font-size: .85rem; text-align: center; }
.chips { display: flex; flex-wrap: wrap; gap: .4rem; list-style: none; margin: 0; padding: 0; }
.chip { display: inline-block; padding: .2rem .65rem; border-radius: 999px; font-weight: 600; font-size: .9rem; }
.chip.danger { background: var(--danger-soft); color: var(--danger); border: 1px solid #fecdca; }
.chip.warn { background: var(--warn-soft); color: var(--warn); border: 1px solid #fedf89; }
.status { display: inline-block; margin-left: .4rem; padding: .1rem .55rem; border-radius: 6px; font-size: .8rem; font-weight: 700; background: #eef2f6; color: var(--muted); }
.status.in_consult, .status.active { background: var(--teal-soft); color: var(--teal-dark); }
.status.signed, .status.completed { background: var(--ok-soft); color: var(--ok); }
.status.draft, .status.checked_in { background: var(--warn-soft); color: var(--warn); }
.key-hint { font-size: .75rem; font-weight: 500; color: var(--muted); margin-left: .5rem; }
@media (hover: none) { .key-hint, .shortcuts { display: none; } }
.shortcuts { color: var(--muted); font-size: .85rem; text-align: center; }
kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 .3rem; background: #fff; font-size: .8rem; }
.code, code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9rem; }
`;
