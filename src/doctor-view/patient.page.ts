/**
 * The patient on the doctor's screens: the banner with allergies and conditions before anything
 * else, the record page (past visits, current prescriptions and diet plans, recent labs) and the
 * break-glass form a doctor without a care relationship sees instead.
 */
import type { PatientHeader, PatientHistory } from '../modules/clinical/visit-bundle.service.js';
import type { VisitSummary } from '../modules/clinical/visit.views.js';
import { ageSex, dateOf, STATUS_WORDS } from './format.js';
import { csrfField, html } from './html.js';
import type { SafeHtml } from './html.js';
import { recentLabsList } from './labs.section.js';
import { dietPlanList } from './diet.section.js';
import { prescriptionList } from './prescription.section.js';

/** Name, age, code, and the flags a doctor must see first. */
export function patientBanner(patient: PatientHeader, heading: 'h1' | 'h2' = 'h1'): SafeHtml {
  const name = heading === 'h1' ? html`<h1>${patient.name}</h1>` : html`<h2>${patient.name}</h2>`;
  const allergies = patient.allergies.length
    ? html`<ul class="chips" aria-label="Allergies">
        ${patient.allergies.map((allergy) => html`<li class="chip danger">${allergy}</li>`)}
      </ul>`
    : html`<span class="muted">No known allergies recorded</span>`;
  const conditions = patient.conditions.length
    ? html`<ul class="chips" aria-label="Conditions">
        ${patient.conditions.map((condition) => html`<li class="chip warn">${condition}</li>`)}
      </ul>`
    : html`<span class="muted">None recorded</span>`;
  return html`<section class="patient-banner" aria-label="Patient">
    <div class="who">
      ${name}
      <p class="sub">${ageSex(patient)} · ${patient.code}${patient.isMinor ? ' · minor' : ''}</p>
    </div>
    <dl class="flags">
      <div class="flag-line${patient.allergies.length ? ' has' : ''}">
        <dt>Allergies</dt>
        <dd>${allergies}</dd>
      </div>
      <div class="flag-line">
        <dt>Conditions</dt>
        <dd>${conditions}</dd>
      </div>
      ${
        patient.flagNotes
          ? html`<div class="flag-line">
            <dt>Notes</dt>
            <dd>${patient.flagNotes}</dd>
          </div>`
          : ''
      }
    </dl>
  </section>`;
}

/** Past visits, newest first, each linking to its note. */
export function visitList(visits: VisitSummary[], timeZone: string): SafeHtml {
  if (visits.length === 0) return html`<p class="empty">No earlier visits.</p>`;
  return html`<ol class="visit-list">
    ${visits.map(
      (visit) =>
        html`<li>
          <a href="/doctor/visits/${visit.id}" class="visit-link">
            <span class="when">${dateOf(visit.startAt, timeZone)}</span>
            <span class="what"
              >${visit.chiefComplaint ?? 'No complaint recorded'}${
                visit.diagnoses.length
                  ? html`<span class="sub"
                    >${visit.diagnoses.map((d) => (d.icd10 ? `${d.text} (${d.icd10})` : d.text)).join('; ')}</span
                  >`
                  : ''
              }</span
            >
            <span class="meta"
              >${visit.doctorName ?? ''}<span class="status ${visit.status}"
                >${STATUS_WORDS[visit.status] ?? visit.status}</span
              >${
                visit.addendaCount
                  ? html`<span class="sub">${visit.addendaCount} addend${visit.addendaCount === 1 ? 'um' : 'a'}</span>`
                  : ''
              }</span
            >
          </a>
        </li>`,
    )}
  </ol>`;
}

/** The body of /doctor/patients/:id. */
export function patientBody(history: PatientHistory, timeZone: string): SafeHtml {
  return html`${patientBanner(history.patient)}
    <div class="columns">
      <section class="card" aria-labelledby="visits-title">
        <h2 id="visits-title">Past visits</h2>
        ${visitList(history.visits, timeZone)}
      </section>
      <div class="side">
        <section class="card" aria-labelledby="rx-title">
          <h2 id="rx-title">Current prescriptions</h2>
          ${prescriptionList(history.activePrescriptions, timeZone)}
        </section>
        <section class="card" aria-labelledby="lab-title">
          <h2 id="lab-title">Recent lab results</h2>
          ${recentLabsList(history.recentLabs, timeZone)}
        </section>
        <section class="card" aria-labelledby="diet-title">
          <h2 id="diet-title">Current diet plans</h2>
          ${dietPlanList(history.activeDietPlans, timeZone)}
        </section>
      </div>
    </div>`;
}

/** What a doctor without a care relationship sees: why, and a reason form to break the glass. */
export function breakGlassBody(
  patient: { id: string; name: string; code: string },
  message: string,
  error?: string,
): SafeHtml {
  return html`<section class="card narrow problem" data-status="403">
    <h1>No care relationship with ${patient.name}</h1>
    <p class="sub">${patient.code}</p>
    <p>${message}</p>
    <form method="post" action="/doctor/patients/${patient.id}/break-glass" class="stack">
      ${csrfField()}
      <label
        >Why do you need this record now?
        <span class="hint">At least 10 characters. Recorded with your name; the clinic reviews every use.</span>
        <textarea name="reason" rows="3" minlength="10" maxlength="500" required></textarea>
      </label>
      ${error ? html`<p class="notice error" role="alert">${error}</p>` : ''}
      <div class="row-end">
        <a class="btn quiet" href="/doctor">Cancel</a
        ><button type="submit" class="btn danger">Open the record for 60 minutes</button>
      </div>
    </form>
  </section>`;
}
