/**
 * Autosave of the draft note. Edits mark their group (note, diagnoses, follow-up, vitals) dirty;
 * 800 ms after the last keystroke one PUT /api/v1/visits/:id/draft sends the dirty groups with
 * the version last saved. One save at a time; network failures retry with back-off; a group the
 * server refuses (a typo in a vital) is held back with its message while the rest still saves.
 * Every save is a keepalive request, and leaving the page (tab hidden, closed) saves at once, so
 * closing the tab loses nothing.
 */
import { field, numberField, problemText, send } from './api.js';

const DEBOUNCE_MS = 800;
const ICD10 = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

function groupOf(name) {
  if (name.startsWith('vitals.')) return 'vitals';
  if (name.startsWith('diagnosis.')) return 'diagnoses';
  if (name.startsWith('followUp.')) return 'followUp';
  return 'note';
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
}

/** Starts autosaving `form`; returns `{ flush, version, isClean }` for sign-off. */
export function startAutosave(form, stateEl) {
  const url = `/api/v1/visits/${form.dataset.visit}/draft`;
  let version = Number(form.dataset.version);
  const dirty = new Set();
  const invalid = new Map();
  let saving = null;
  let timer;
  let retryMs = 0;
  let stopped = false;
  let offline = false;

  function show(kind, text) {
    stateEl.className = `save-state ${kind}`;
    stateEl.textContent = text;
  }
  if (form.dataset.savedAt) show('saved', `Saved ${clock(form.dataset.savedAt)}`);

  function setError(group, message, path) {
    const slot = form.querySelector(`[data-error-for="${group}"]`);
    if (slot) {
      slot.textContent = message;
      slot.hidden = !message;
    }
    for (const input of form.querySelectorAll('[aria-invalid]'))
      if (groupOf(input.name) === group) input.removeAttribute('aria-invalid');
    if (path) form.elements.namedItem(path)?.setAttribute?.('aria-invalid', 'true');
  }

  function diagnoses() {
    const rows = [...form.querySelectorAll('.dx-row')].map((row) => ({
      text: field(row, 'diagnosis.text'),
      icd10: field(row, 'diagnosis.icd10').toUpperCase(),
    }));
    const bad = rows.find((row) => row.icd10 && !ICD10.test(row.icd10));
    if (bad) throw new Error(`"${bad.icd10}" is not an ICD-10 code; use the form J06.9 or E11`);
    return rows.filter((row) => row.text).map((row) => (row.icd10 ? row : { text: row.text }));
  }

  function bodyOf(groups) {
    const body = { version };
    if (groups.has('note')) {
      body.chiefComplaint = field(form, 'chiefComplaint');
      body.soap = Object.fromEntries(
        ['subjective', 'objective', 'assessment', 'plan'].map((part) => [part, field(form, `soap.${part}`)]),
      );
    }
    if (groups.has('diagnoses')) body.diagnoses = diagnoses();
    if (groups.has('followUp')) {
      const advice = field(form, 'followUp.advice');
      const inDays = numberField(form, 'followUp.inDays');
      body.followUp = advice || inDays ? { ...(advice ? { advice } : {}), ...(inDays ? { inDays } : {}) } : null;
    }
    if (groups.has('vitals')) {
      const vitals = {};
      for (const input of form.querySelectorAll('input[name^="vitals."]'))
        if (input.value.trim() !== '') vitals[input.name.slice(7)] = Number(input.value);
      body.vitals = Object.keys(vitals).length > 0 ? vitals : null;
    }
    return body;
  }

  function refuse(group, message, path) {
    invalid.set(group, message);
    setError(group, message, path);
  }

  async function saveLoop() {
    while (!stopped) {
      const groups = new Set([...dirty].filter((group) => !invalid.has(group)));
      if (groups.size === 0) break;
      let body;
      try {
        body = bodyOf(groups);
      } catch (error) {
        refuse('diagnoses', error.message);
        continue;
      }
      groups.forEach((group) => dirty.delete(group));
      show('saving', 'Saving…');
      let result;
      try {
        result = await send('PUT', url, body, { keepalive: true });
      } catch {
        groups.forEach((group) => dirty.add(group));
        offline = true;
        retryMs = Math.min(30_000, retryMs ? retryMs * 2 : 2_000);
        show('offline', 'Offline — retrying');
        timer = setTimeout(flush, retryMs);
        return;
      }
      offline = false;
      if (result.ok) {
        version = result.data.version;
        form.dataset.version = String(version);
        retryMs = 0;
        groups.forEach((group) => setError(group, ''));
        const bmi = document.getElementById('bmi');
        if (bmi && groups.has('vitals')) bmi.textContent = result.data.vitals?.bmi ?? '–';
        show('saved', `Saved ${clock(result.data.savedAt)}`);
        continue;
      }
      groups.forEach((group) => dirty.add(group));
      const errors = result.status === 400 && Array.isArray(result.data?.errors) ? result.data.errors : [];
      const blamed = errors
        .map((error) => ({ ...error, group: groupOf(error.path.replace(/^diagnoses\b/, 'diagnosis.')) }))
        .filter((error) => groups.has(error.group));
      if (blamed.length > 0) {
        for (const error of blamed)
          refuse(
            error.group,
            problemText({ status: 400, data: { errors: [error] } }),
            error.path.startsWith('vitals.') ? error.path : undefined,
          );
        continue;
      }
      stopped = result.status === 409;
      show(
        'error',
        result.status === 409 ? 'Changed elsewhere — reload the page' : `Not saved — ${problemText(result)}`,
      );
      return;
    }
    if (!stopped)
      show(
        invalid.size > 0 ? 'error' : 'saved',
        invalid.size > 0
          ? 'Not saved — fix the highlighted field'
          : stateEl.textContent.startsWith('Saved')
            ? stateEl.textContent
            : 'All changes saved',
      );
  }

  /** Saves everything dirty now; resolves when the queue is idle. */
  function flush() {
    clearTimeout(timer);
    if (!saving) saving = saveLoop().finally(() => (saving = null));
    return saving;
  }

  function edited(event) {
    const name = event.target?.name;
    if (!name || stopped) return;
    const group = groupOf(name);
    dirty.add(group);
    if (invalid.delete(group)) setError(group, '');
    show('pending', 'Editing…');
    clearTimeout(timer);
    timer = setTimeout(flush, DEBOUNCE_MS);
  }
  form.addEventListener('input', edited);
  form.addEventListener('rows-changed', () => edited({ target: { name: 'diagnosis.text' } }));
  form.addEventListener('submit', (event) => event.preventDefault());

  // Leaving or hiding the tab saves at once; keepalive carries the request past the page's end.
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());
  window.addEventListener('pagehide', () => {
    if (!saving) return void flush();
    // A save is in flight and the loop will not live to send the rest: send it now on the version
    // that save will most likely produce (if not, the server refuses it as stale; nothing is overwritten).
    const rest = new Set([...dirty].filter((group) => !invalid.has(group)));
    try {
      if (rest.size > 0)
        send('PUT', url, { ...bodyOf(rest), version: version + 1 }, { keepalive: true }).catch(() => undefined);
    } catch {
      // A diagnosis with a malformed code: it was shown on screen and cannot be saved as it is.
    }
  });
  window.addEventListener('online', () => dirty.size > 0 && flush());
  window.addEventListener('beforeunload', (event) => {
    if (invalid.size > 0 || offline) event.preventDefault();
  });

  return {
    flush: async () => {
      await flush();
      if (saving) await saving;
    },
    version: () => version,
    isClean: () => dirty.size === 0 && invalid.size === 0 && !stopped,
  };
}
