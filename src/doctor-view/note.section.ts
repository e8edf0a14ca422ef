/**
 * The draft note form: vitals, complaint, SOAP, diagnoses and follow-up in one form that the
 * script autosaves as the doctor types (PUT /api/v1/visits/:id/draft with the version it holds).
 * Field names mirror the draft body (`soap.plan`, `vitals.pulseBpm`), so the script needs no map.
 */
import type { VisitDetail } from '../modules/clinical/visit.views.js';
import { VITAL_FIELDS } from './format.js';
import { html } from './html.js';
import type { SafeHtml } from './html.js';

const SOAP = [
  { key: 'subjective', label: 'Subjective', hint: 'History, symptoms in the patient’s words', rows: 4 },
  { key: 'objective', label: 'Objective', hint: 'Examination findings', rows: 4 },
  { key: 'assessment', label: 'Assessment', hint: 'Impression, differential', rows: 3 },
  { key: 'plan', label: 'Plan', hint: 'Treatment, investigations, advice', rows: 3 },
] as const;

function errorSlot(group: string): SafeHtml {
  return html`<p class="field-error" data-error-for="${group}" role="alert" hidden></p>`;
}

/** One diagnosis row (empty for the template). */
export function diagnosisRow(diagnosis?: { text: string; icd10?: string }): SafeHtml {
  return html`<fieldset class="dx-row">
    <legend class="visually-hidden">Diagnosis</legend>
    <label class="f-wide"
      >Diagnosis <input name="diagnosis.text" value="${diagnosis?.text ?? ''}" autocomplete="off"
    /></label>
    <label class="f-narrow"
      >ICD-10
      <input
        name="diagnosis.icd10"
        value="${diagnosis?.icd10 ?? ''}"
        placeholder="J06.9"
        autocomplete="off"
        autocapitalize="characters"
        size="8"
    /></label>
    <button
      type="button"
      class="btn quiet small remove-row"
      data-action="remove-row"
      aria-label="Remove this diagnosis"
    >
      Remove
    </button>
  </fieldset>`;
}

/** The editable note of a draft visit. */
export function noteForm(visit: VisitDetail): SafeHtml {
  const vitals = visit.vitals ?? {};
  return html`<form
    id="note"
    class="note"
    data-visit="${visit.id}"
    data-version="${visit.version}"
    data-saved-at="${visit.lastSavedAt ? new Date(visit.lastSavedAt).toISOString() : ''}"
    autocomplete="off"
    novalidate
  >
    <section class="card" id="vitals" aria-labelledby="vitals-title">
      <h2 id="vitals-title">Vitals <span class="key-hint">Alt+Shift+1</span></h2>
      <div class="vitals-grid">
        ${VITAL_FIELDS.map(
          (field) =>
            html`<label
              >${field.label}<span class="unit-input"
                ><input
                  name="vitals.${field.key}"
                  type="number"
                  inputmode="decimal"
                  step="${field.step}"
                  value="${vitals[field.key] ?? ''}"
                /><span class="unit">${field.unit}</span></span
              ></label
            >`,
        )}
        <div class="bmi" aria-live="polite">BMI <strong id="bmi">${vitals.bmi ?? '–'}</strong></div>
      </div>
      ${errorSlot('vitals')}
    </section>
    <section class="card" id="soap" aria-labelledby="soap-title">
      <h2 id="soap-title">Note <span class="key-hint">Alt+Shift+2</span></h2>
      <label
        >Chief complaint <input name="chiefComplaint" value="${visit.chiefComplaint ?? ''}" maxlength="1000"
      /></label>
      ${SOAP.map(
        (part) =>
          html`<label>${part.label} <span class="hint">${part.hint}</span><textarea name="soap.${part.key}" rows="${part.rows}" maxlength="20000">${visit.soap[part.key] ?? ''}</textarea></label>`,
      )}
      ${errorSlot('note')}
    </section>
    <section class="card" id="diagnoses" aria-labelledby="dx-title">
      <h2 id="dx-title">Diagnoses <span class="key-hint">Alt+Shift+3</span></h2>
      <div class="dx-rows rows">
        ${(visit.diagnoses.length ? visit.diagnoses : [undefined]).map((diagnosis) => diagnosisRow(diagnosis))}
      </div>
      <template class="row-template">${diagnosisRow()}</template>
      <button type="button" class="btn quiet" data-action="add-row">Add diagnosis</button>
      ${errorSlot('diagnoses')}
      <div class="grid-follow">
        <label
          >Follow-up advice
          <textarea name="followUp.advice" rows="2" maxlength="2000">${visit.followUp?.advice ?? ''}</textarea>
        </label>
        <label
          >Review in (days)
          <input
            name="followUp.inDays"
            type="number"
            inputmode="numeric"
            min="1"
            max="365"
            value="${visit.followUp?.inDays ?? ''}"
        /></label>
      </div>
      ${errorSlot('followUp')}
    </section>
  </form>`;
}
