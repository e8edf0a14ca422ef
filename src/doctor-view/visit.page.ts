/**
 * The visit page at /doctor/visits/:id: the patient's flags first, a bar with the save state and
 * the consultation's next step (start, sign, complete), the note (editable while a draft of the
 * doctor's own, read-only otherwise), orders, and the patient's history alongside.
 */
import { dateOf, STATUS_WORDS } from './format.js';
import { csrfField, html } from './html.js';
import type { SafeHtml } from './html.js';
import { dietSection } from './diet.section.js';
import { labsSection, recentLabsList } from './labs.section.js';
import { noteForm } from './note.section.js';
import { patientBanner, visitList } from './patient.page.js';
import { prescriptionList, prescriptionSection } from './prescription.section.js';
import { readOnlyNote } from './signed-note.js';
import type { VisitPageData } from './view.service.js';

function nextStep(data: VisitPageData): SafeHtml {
  const { visit, appointment } = data.bundle;
  if (!data.own) return html``;
  const sign =
    visit.status === 'draft'
      ? html`<button type="button" class="btn primary" data-action="sign">Sign note</button>`
      : html``;
  if (appointment.status === 'checked_in') {
    return html`${sign}
      <form method="post" action="/doctor/consults/${appointment.id}/start">
        ${csrfField()}
        <button type="submit" class="btn">Start consult</button>
      </form>`;
  }
  if (appointment.status === 'in_consult') {
    // Offered before sign-off too: the answer then says plainly that the note must be signed first.
    return html`${sign}
      <form method="post" action="/doctor/consults/${appointment.id}/complete">
        ${csrfField()}
        <button type="submit" class="btn ${visit.status === 'signed' ? 'primary' : ''}">Complete consult</button>
      </form>`;
  }
  return sign;
}

function visitBar(data: VisitPageData, timeZone: string): SafeHtml {
  const { visit, appointment } = data.bundle;
  const editable = data.own && visit.status === 'draft';
  return html`<div class="visit-bar" id="visit-bar">
    <div class="visit-what">
      <strong>Visit ${dateOf(visit.startAt, timeZone)}</strong>${
        appointment.tokenNumber ? html` · Token ${appointment.tokenNumber}` : ''
      }
      <span class="status ${appointment.status}">${STATUS_WORDS[appointment.status] ?? appointment.status}</span>
      <span class="status ${visit.status}">${visit.status === 'signed' ? 'Note signed' : 'Note draft'}</span>
    </div>
    ${
      editable
        ? html`<span id="save-state" class="save-state" role="status" aria-live="polite">All changes saved</span>`
        : ''
    }
    <div class="visit-actions">${nextStep(data)}</div>
  </div>`;
}

const signDialog = html`<dialog id="sign-dialog" class="dialog" aria-labelledby="sign-title">
  <h2 id="sign-title">Sign and lock this note?</h2>
  <p>After signing, the note cannot be edited. Anything you learn later goes into an addendum.</p>
  <p class="form-error" role="alert"></p>
  <div class="row-end">
    <button type="button" class="btn quiet" data-action="close-dialog">Keep editing</button
    ><button type="button" class="btn primary" data-action="confirm-sign">Sign note</button>
  </div>
</dialog>`;

/** The body of /doctor/visits/:id. */
export function visitBody(data: VisitPageData, timeZone: string): SafeHtml {
  const { bundle, own } = data;
  const { visit } = bundle;
  const editable = own && visit.status === 'draft';
  return html`${patientBanner(bundle.patient)} ${visitBar(data, timeZone)}
    <div class="columns">
      <div class="main-col">
        ${editable ? noteForm(visit) : readOnlyNote(visit, data.integrity, own, timeZone)}
        ${prescriptionSection(visit.id, bundle.prescriptions.versions, own, timeZone)}
        ${dietSection(visit.id, bundle.dietPlans.versions, own, timeZone)}
        ${labsSection(visit.id, bundle.labTests, own, timeZone)}
      </div>
      <aside class="side" aria-label="History">
        <section class="card">
          <h2>Earlier visits</h2>
          ${visitList(bundle.history.visits, timeZone)}
        </section>
        <section class="card">
          <h2>Other current prescriptions</h2>
          ${prescriptionList(
            bundle.history.activePrescriptions.filter((rx) => rx.visitId !== visit.id),
            timeZone,
          )}
        </section>
        <section class="card">
          <h2>Recent lab results</h2>
          ${recentLabsList(bundle.history.recentLabs, timeZone)}
        </section>
      </aside>
    </div>
    ${
      own
        ? html`<p class="shortcuts" aria-label="Keyboard shortcuts">
          <kbd>Ctrl</kbd>+<kbd>S</kbd> save now · <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>Enter</kbd> sign ·
          <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>1</kbd>…<kbd>6</kbd> vitals, note, diagnoses, prescription, diet, labs
        </p>`
        : ''
    }
    ${editable ? signDialog : ''}`;
}
