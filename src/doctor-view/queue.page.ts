/**
 * The queue page at /doctor: abnormal results waiting for review first (they cannot wait for the
 * end of the day), then the patient in consultation, those waiting by token, those booked for
 * today who have not arrived (with Check in, for clinics without a front desk), and those done.
 * `queueLive` is also served alone, so the script can swap it in when the queue changes.
 */
import type { QueueEntry } from '../modules/appointments/walk-in.service.js';
import type { LabTestView } from '../modules/clinical/lab.views.js';
import { ageSex, dateOf, dateTimeOf, timeOf } from './format.js';
import { csrfField, html } from './html.js';
import type { SafeHtml } from './html.js';
import { labResultText } from './labs.section.js';
import type { ExpectedEntry, QueueView, PatientLine } from './view.service.js';

function allergyChips(patient: PatientLine | undefined): SafeHtml {
  if (!patient || patient.allergies.length === 0) return html``;
  return html`<span class="chip danger">Allergy: ${patient.allergies.join(', ')}</span>`;
}

function who(patient: PatientLine | undefined): SafeHtml {
  if (!patient) return html`<span class="name">Patient record unavailable</span>`;
  return html`<span class="name">${patient.name}</span><span class="sub">${ageSex(patient)} · ${patient.code}</span>`;
}

function row(entry: QueueEntry, patient: PatientLine | undefined, timeZone: string): SafeHtml {
  const token = entry.tokenNumber
    ? html`<span class="token" aria-label="Token ${entry.tokenNumber}">${entry.tokenNumber}</span>`
    : html`<span class="token none" aria-hidden="true">–</span>`;
  const action =
    entry.status === 'checked_in'
      ? html`<form method="post" action="/doctor/consults/${entry.appointmentId}/start">
          ${csrfField()}
          <button type="submit" class="btn primary">Start consult</button>
        </form>`
      : entry.status === 'in_consult'
        ? html`<a class="btn primary" href="/doctor/consults/${entry.appointmentId}">Continue</a>`
        : html`<a class="btn" href="/doctor/consults/${entry.appointmentId}">View note</a>`;
  return html`<li class="q-row ${entry.status}" data-appointment="${entry.appointmentId}">
    ${token}
    <div class="q-who">
      ${who(patient)}<span class="sub">${entry.walkIn ? 'Walk-in' : `Booked ${timeOf(entry.startAt, timeZone)}`}</span
      >${allergyChips(patient)}
    </div>
    <div class="q-actions">
      ${patient ? html`<a class="btn quiet" href="/doctor/patients/${patient.id}">Record</a>` : ''}${action}
    </div>
  </li>`;
}

function group(title: string, entries: QueueEntry[], view: QueueView, timeZone: string, empty: string): SafeHtml {
  return html`<section class="q-group" aria-label="${title}">
    <h2>${title} <span class="count">${entries.length}</span></h2>
    ${
      entries.length === 0
        ? html`<p class="empty">${empty}</p>`
        : html`<ol class="q-list">
          ${entries.map((entry) => row(entry, view.patients.get(entry.patientId), timeZone))}
        </ol>`
    }
  </section>`;
}

function expectedRow(entry: ExpectedEntry, patient: PatientLine | undefined, timeZone: string): SafeHtml {
  const time = timeOf(entry.startAt, timeZone);
  const confirmed = entry.status === 'confirmed';
  const action = confirmed
    ? html`<form method="post" action="/doctor/appointments/${entry.appointmentId}/check-in">
        ${csrfField()}
        <button type="submit" class="btn">Check in</button>
      </form>`
    : html`<span class="badge muted-badge">Awaiting payment</span>`;
  return html`<li class="q-row expected ${entry.status}" data-appointment="${entry.appointmentId}">
    <span class="slot-time" aria-label="Booked for ${time}">${time}</span>
    <div class="q-who">
      ${who(patient)}<span class="sub"
        >${confirmed ? 'Booked, not arrived yet' : 'Held until the prepayment is paid'}</span
      >${allergyChips(patient)}
    </div>
    <div class="q-actions">
      ${
        patient && confirmed ? html`<a class="btn quiet" href="/doctor/patients/${patient.id}">Record</a>` : ''
      }${action}
    </div>
  </li>`;
}

function expectedGroup(view: QueueView, timeZone: string): SafeHtml {
  const entries = view.expected;
  return html`<section class="q-group" aria-label="Expected today">
    <h2>Expected today <span class="count">${entries.length}</span></h2>
    ${
      entries.length === 0
        ? html`<p class="empty">No more booked patients today.</p>`
        : html`<ol class="q-list">
          ${entries.map((entry) => expectedRow(entry, view.patients.get(entry.patientId), timeZone))}
        </ol>`
    }
  </section>`;
}

function alert(test: LabTestView, patient: PatientLine | undefined, timeZone: string): SafeHtml {
  return html`<li class="alert-row">
    <div class="q-who">
      ${who(patient)}<span class="sub">${test.name} · resulted ${dateTimeOf(test.resultedAt, timeZone)}</span>
    </div>
    <div class="alert-value flag-${test.result?.flag ?? 'abnormal'}">${labResultText(test)}</div>
    <div class="q-actions">
      <a class="btn quiet" href="/doctor/visits/${test.visitId}#labs">Open visit</a>
      <form data-api="POST /api/v1/lab-tests/${test.id}/acknowledge" data-kind="empty">
        <button type="submit" class="btn">Acknowledge</button><span class="form-error" role="alert"></span>
      </form>
    </div>
  </li>`;
}

/** The part of the queue page that refreshes on its own. */
export function queueLive(view: QueueView, timeZone: string): SafeHtml {
  const alerts = view.alerts.length
    ? html`<section class="card alerts" id="alerts" aria-label="Abnormal results">
        <h2>Abnormal results to review <span class="count">${view.alerts.length}</span></h2>
        <ol class="q-list">
          ${view.alerts.map((test) => alert(test, view.patients.get(test.patientId), timeZone))}
        </ol>
      </section>`
    : html`<p class="quiet-line" id="alerts">No abnormal results waiting for you.</p>`;
  return html`${alerts} ${group('In consultation', view.inConsult, view, timeZone, 'Nobody is with you right now.')}
  ${group('Waiting', view.waiting, view, timeZone, 'Nobody is waiting. Checked-in patients appear here on their own.')}
  ${expectedGroup(view, timeZone)}
  ${group('Done today', view.done, view, timeZone, 'No consultations completed yet today.')}`;
}

/** The body of /doctor. */
export function queueBody(view: QueueView, fingerprint: string, timeZone: string): SafeHtml {
  return html`<div class="page-head">
      <h1>Today's queue</h1>
      <p class="muted">
        ${dateOf(new Date(), timeZone)} ·
        <span id="queue-updated" class="live-state" aria-live="polite">Refreshes on its own</span>
      </p>
    </div>
    <div id="queue-live" data-fingerprint="${fingerprint}">${queueLive(view, timeZone)}</div>`;
}
