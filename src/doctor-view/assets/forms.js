/**
 * The editor's discrete actions: forms marked `data-api="METHOD /path"` are sent as JSON to the
 * API (the body built by their `data-kind`), then the page reloads to show the server's record.
 * Also: adding and removing medicine and diagnosis rows, and the sign-off dialog.
 */
import { field, numberField, problemText, send } from './api.js';

const list = (text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const optional = (value) => (value === '' ? undefined : value);

const RX_FIELDS = ['medicine', 'strength', 'form', 'dose', 'frequency', 'duration', 'route', 'instructions'];
const TARGETS = ['kcal', 'proteinG', 'carbsG', 'fatG', 'waterL', 'sodiumMg'];
const MEALS = ['early_morning', 'breakfast', 'mid_morning', 'lunch', 'evening', 'dinner', 'bedtime'];

/** Request bodies by `data-kind`. */
const BODIES = {
  empty: () => ({}),
  addendum: (form) => ({ text: field(form, 'text'), reason: field(form, 'reason') }),
  labOrder: (form) => ({
    tests: field(form, 'tests')
      .split('\n')
      .map((name) => name.trim())
      .filter(Boolean)
      .map((name) => ({ name })),
  }),
  labResult: (form) => ({
    value: field(form, 'value'),
    unit: optional(field(form, 'unit')),
    referenceLow: numberField(form, 'referenceLow'),
    referenceHigh: numberField(form, 'referenceHigh'),
    version: Number(form.dataset.version),
  }),
  prescription: (form) => ({
    items: [...form.querySelectorAll('.rx-row')]
      .map((row) => Object.fromEntries(RX_FIELDS.map((name) => [name, optional(field(row, name))])))
      .filter((item) => Object.values(item).some(Boolean)),
    advice: optional(field(form, 'advice')),
    supersedesVersion: Number(form.dataset.version),
  }),
  dietPlan: (form) => ({
    goal: field(form, 'goal'),
    targets: Object.fromEntries(
      TARGETS.map((key) => [key, numberField(form, `target.${key}`)]).filter(([, value]) => value !== undefined),
    ),
    meals: MEALS.map((time) => ({ time, items: list(field(form, `meal.${time}`)) })).filter(
      (meal) => meal.items.length > 0,
    ),
    prefer: list(field(form, 'prefer')),
    avoid: list(field(form, 'avoid')),
    notes: optional(field(form, 'notes')),
    supersedesVersion: Number(form.dataset.version),
  }),
};

async function submit(form, beforeSend) {
  const [method, url] = form.dataset.api.split(' ');
  const button = form.querySelector('button[type="submit"]');
  const error = form.querySelector('.form-error');
  if (error) error.textContent = '';
  button.disabled = true;
  try {
    await beforeSend();
    const result = await send(method, url, BODIES[form.dataset.kind](form));
    if (result.ok) return location.reload();
    if (error) error.textContent = problemText(result);
  } catch {
    if (error) error.textContent = 'No connection. Check the network and try again.';
  } finally {
    button.disabled = false;
  }
}

/** Wires every API form and row button on the page; `beforeSend` flushes the autosave first. */
export function wireForms(beforeSend = async () => undefined) {
  document.addEventListener('submit', (event) => {
    const form = event.target.closest('form[data-api]');
    if (!form) return;
    event.preventDefault();
    void submit(form, beforeSend);
  });
  document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-action="add-row"], [data-action="remove-row"]');
    if (!button) return;
    const scope = button.closest('form.rx-form, section');
    if (button.dataset.action === 'add-row') {
      const template = scope.querySelector('template.row-template');
      const row = template.content.firstElementChild.cloneNode(true);
      scope.querySelector('.rows').append(row);
      row.querySelector('input')?.focus();
    } else {
      const rows = button.closest('.rows');
      button.closest('fieldset').remove();
      rows.closest('form')?.dispatchEvent(new Event('rows-changed'));
    }
  });
}

/** The sign-off dialog: flush the draft, then sign at the saved version and reload. */
export function wireSignOff(autosave, visitId) {
  const dialog = document.getElementById('sign-dialog');
  if (!dialog) return () => undefined;
  const error = dialog.querySelector('.form-error');
  const open = () => {
    error.textContent = '';
    dialog.showModal();
  };
  document.addEventListener('click', async (event) => {
    const action = event.target.closest('[data-action]')?.dataset.action;
    if (action === 'sign') open();
    if (action === 'close-dialog') dialog.close();
    if (action !== 'confirm-sign') return;
    const button = event.target.closest('button');
    button.disabled = true;
    try {
      await autosave.flush();
      if (!autosave.isClean()) {
        error.textContent =
          'Some changes are not saved yet. Fix the highlighted fields or wait for the connection, then sign.';
        return;
      }
      const result = await send('POST', `/api/v1/visits/${visitId}/sign`, { version: autosave.version() });
      if (result.ok) return location.replace(`/doctor/visits/${visitId}`);
      error.textContent = problemText(result);
    } catch {
      error.textContent = 'No connection. Nothing was signed; try again.';
    } finally {
      button.disabled = false;
    }
  });
  return open;
}
