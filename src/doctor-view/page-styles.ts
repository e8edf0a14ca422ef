/**
 * Styles of the doctor view's page parts (queue rows, patient banner, visit bar, note, orders,
 * labs, dialogs), appended to the base sheet in styles.ts.
 */

/** The page-part rules. */
export const PAGE_PARTS_CSS = `
.q-group { margin-bottom: 1.25rem; }
.q-group h2 { display: flex; align-items: center; gap: .5rem; }
.q-list { list-style: none; margin: 0; padding: 0; display: grid; gap: .6rem; }
.q-row, .alert-row { display: flex; align-items: center; gap: 1rem; background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: .8rem 1rem; }
.q-row.in_consult { border-left: 6px solid var(--teal); }
.q-row.completed { opacity: .8; }
.token { flex: none; display: grid; place-items: center; width: 3rem; height: 3rem; border-radius: 50%; background: var(--teal-soft); color: var(--teal-dark); font-weight: 800; font-size: 1.2rem; }
.token.none { background: #eef2f6; color: var(--muted); }
.slot-time { flex: none; display: grid; place-items: center; width: 3rem; font-weight: 800; color: var(--ink); font-variant-numeric: tabular-nums; }
.q-row.expected { border-style: dashed; }
.q-row.tentative { background: #f8fafc; color: var(--muted); }
.q-row.tentative .name, .q-row.tentative .slot-time { color: var(--muted); }
.q-who { flex: 1; min-width: 0; }
.q-who .name { display: block; font-weight: 700; font-size: 1.1rem; }
.q-who .chip { margin-top: .35rem; }
.q-actions { display: flex; flex-wrap: wrap; gap: .5rem; justify-content: flex-end; }
.alerts { border-color: #fecdca; background: #fffbfa; }
.alerts h2 { color: var(--danger); }
.alert-row { border-left: 6px solid var(--danger); }
.alert-value { font-size: 1.05rem; }
.live-state { font-size: .9rem; }

.patient-banner { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.25rem; margin-bottom: 1rem; }
.patient-banner .who { min-width: 14rem; }
.patient-banner .who .sub { font-size: 1rem; }
.flags { flex: 1; margin: 0; display: grid; gap: .5rem; min-width: 18rem; }
.flag-line { display: grid; grid-template-columns: 7rem minmax(0, 1fr); gap: .75rem; align-items: center; }
.flag-line dt { font-weight: 700; color: var(--muted); }
.flag-line.has dt { color: var(--danger); }
.flag-line dd { margin: 0; }

.visit-bar { position: sticky; top: 60px; z-index: 5; display: flex; flex-wrap: wrap; align-items: center; gap: .75rem 1rem; background: #fff; border: 1px solid var(--line); border-radius: var(--radius); padding: .6rem 1rem; margin-bottom: 1rem; box-shadow: 0 4px 12px rgb(15 23 42 / 6%); }
.visit-what { flex: 1; min-width: 14rem; }
.visit-actions { display: flex; flex-wrap: wrap; gap: .5rem; }
.save-state { font-weight: 600; color: var(--muted); padding: .35rem .7rem; border-radius: 8px; background: #eef2f6; }
.save-state.saving { color: var(--teal-dark); background: var(--teal-soft); }
.save-state.saved { color: var(--ok); background: var(--ok-soft); }
.save-state.offline, .save-state.error { color: var(--danger); background: var(--danger-soft); }

.vitals-grid { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr)); align-items: end; }
.unit-input { display: flex; align-items: center; gap: .4rem; }
.unit-input input { flex: 1; min-width: 0; }
.unit { color: var(--muted); font-weight: 500; font-size: .85rem; margin-top: .3rem; min-width: 2.6rem; }
.bmi { padding: .7rem 0; font-weight: 600; color: var(--muted); }
.bmi strong { color: var(--ink); font-size: 1.15rem; }
.dx-row, .rx-row { display: flex; flex-wrap: wrap; gap: .6rem .75rem; align-items: flex-end; border: 0; border-bottom: 1px dashed var(--line); margin: 0 0 .75rem; padding: 0 0 .75rem; }
.f-wide { flex: 3 1 16rem; }
.f-mid { flex: 2 1 12rem; }
.f-narrow { flex: 1 1 7rem; }
.remove-row { color: var(--danger); }
.rows:has(> :only-child) .remove-row { visibility: hidden; }

.rx-list { list-style: none; margin: 0 0 1rem; padding: 0; display: grid; gap: .75rem; }
.rx-version { border: 1px solid var(--line); border-radius: 10px; padding: .75rem 1rem; }
.rx-version.superseded { opacity: .7; background: #f8fafc; }
.rx-head { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem .6rem; }
.rx-head .sub { flex-basis: 100%; order: 9; }
.muted-badge { background: #eef2f6; color: var(--muted); }
.rx-items { margin: .5rem 0 0; padding-left: 1.3rem; }
.rx-items li + li { margin-top: .3rem; }
.rx-form { padding-top: .25rem; }
.fold[open] > summary { color: var(--muted); }
.fold > summary { list-style: none; display: inline-flex; }
.fold > summary::-webkit-details-marker { display: none; }
.fold[open] > summary { margin-bottom: .75rem; }

.lab-list { list-style: none; margin: 0 0 1rem; padding: 0; display: grid; gap: .5rem; }
.lab-row { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .6rem .8rem; border: 1px solid var(--line); border-radius: 10px; }
.lab-row.abnormal { border-color: #fecdca; border-left: 6px solid var(--danger); background: var(--danger-soft); }
.lab-name { flex: 1 1 12rem; }
.lab-result { flex: 1 1 12rem; }
.lab-list.compact .lab-row { padding: .45rem .6rem; }
.flag, .flag-high, .flag-low, .flag-abnormal { color: var(--danger); }
.lab-value { font-weight: 700; }
.inline-form { flex-basis: 100%; display: flex; flex-wrap: wrap; gap: .5rem .75rem; align-items: flex-end; }
.inline-form label { flex: 1 1 7rem; }
.inline { display: inline; }

.visit-list { list-style: none; margin: 0; padding: 0; }
.visit-link { display: grid; grid-template-columns: 7.5rem minmax(0, 1fr); gap: .2rem .75rem; padding: .7rem .4rem; border-bottom: 1px solid var(--line); text-decoration: none; color: inherit; min-height: 48px; }
.visit-link:hover { background: var(--teal-soft); }
.visit-link .when { font-weight: 700; }
.visit-link .meta { grid-column: 2; color: var(--muted); font-size: .9rem; }
.side .visit-link { grid-template-columns: minmax(0, 1fr); }
.side .visit-link .meta { grid-column: 1; }

.note-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem; }
.read-block { padding: .5rem 0; border-bottom: 1px solid #eef2f6; }
.read-block h3 { color: var(--muted); font-size: .85rem; text-transform: uppercase; letter-spacing: .04em; margin: 0 0 .2rem; }
.addenda { list-style: none; margin: 0 0 1rem; padding: 0; }
.addenda li { border-left: 4px solid var(--line); padding: .4rem 0 .4rem .75rem; margin-bottom: .5rem; }
.dialog { border: 0; border-radius: var(--radius); padding: 1.5rem; max-width: 30rem; box-shadow: 0 20px 60px rgb(15 23 42 / 30%); }
.dialog::backdrop { background: rgb(15 23 42 / 40%); }
.login h1 { margin-bottom: .5rem; }
.qr { display: block; margin: 1rem auto; image-rendering: pixelated; }
.key { word-break: break-all; }
.steps { padding-left: 1.2rem; }
.problem h1 { color: var(--ink); }
`;
