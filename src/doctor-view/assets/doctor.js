/**
 * The doctor view's script (loaded as a module on every page; no framework): wires the API
 * forms, the live queue and badge, the draft autosave, the keyboard shortcuts and the WhatsApp
 * state of just-issued documents, according to the page's `data-page`.
 */
import { startAutosave } from './autosave.js';
import { followDeliveries } from './delivery.js';
import { wireForms, wireSignOff } from './forms.js';
import { startLive } from './live.js';

/** Alt+Shift+1…6 jumps to these sections (by key code, so the layout's shifted digits do not matter). */
const SECTIONS = ['vitals', 'soap', 'diagnoses', 'rx', 'diet', 'labs'];

function jumpTo(id) {
  const section = document.getElementById(id);
  if (!section) return;
  section.scrollIntoView({ behavior: 'smooth', block: 'start' });
  const target = section.querySelector('input, textarea, summary, button');
  target?.focus({ preventScroll: true });
}

function wireShortcuts(autosave, openSign) {
  document.addEventListener('keydown', (event) => {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && !event.shiftKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void autosave?.flush();
    } else if (mod && event.shiftKey && event.key === 'Enter') {
      event.preventDefault();
      openSign();
    } else if (event.altKey && event.shiftKey && /^Digit[1-6]$/.test(event.code)) {
      event.preventDefault();
      jumpTo(SECTIONS[Number(event.code.slice(5)) - 1]);
    }
  });
}

function main() {
  const pageName = document.body.dataset.page;
  if (pageName === 'login' || pageName === undefined) return;
  const note = document.getElementById('note');
  const state = document.getElementById('save-state');
  const autosave = note && state ? startAutosave(note, state) : null;
  wireForms(async () => autosave?.flush());
  const openSign = autosave ? wireSignOff(autosave, note.dataset.visit) : () => undefined;
  if (pageName === 'visit') {
    wireShortcuts(autosave, openSign);
    followDeliveries();
  }
  if (pageName !== 'error') startLive(pageName === 'queue' ? document.getElementById('queue-live') : null);
}

main();
