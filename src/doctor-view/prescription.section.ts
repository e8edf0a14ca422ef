/**
 * Prescriptions on the doctor's screens. A prescription is never edited: the form issues the
 * next version (prefilled with the current one, so a change is a small edit), and every version
 * stays listed with who issued it, when, and its PDF.
 */
import type { PrescriptionItem } from '../modules/clinical/prescription.model.js';
import type { PrescriptionView } from '../modules/clinical/prescription.service.js';
import { dateTimeOf, medicineLine, STATUS_WORDS, timeOf } from './format.js';
import { html } from './html.js';
import type { SafeHtml } from './html.js';

type ItemFields = Omit<PrescriptionItem, 'id'>;

const FIELDS: readonly {
  key: keyof ItemFields;
  label: string;
  size: 'wide' | 'mid' | 'narrow';
  required?: boolean;
  hint?: string;
}[] = [
  { key: 'medicine', label: 'Medicine', size: 'wide', required: true },
  { key: 'strength', label: 'Strength', size: 'narrow', hint: '500 mg' },
  { key: 'form', label: 'Form', size: 'narrow', hint: 'Tab' },
  { key: 'dose', label: 'Dose', size: 'narrow', required: true, hint: '1 tab' },
  { key: 'frequency', label: 'Frequency', size: 'narrow', required: true, hint: '1-0-1' },
  { key: 'duration', label: 'Duration', size: 'narrow', required: true, hint: '5 days' },
  { key: 'route', label: 'Route', size: 'narrow', hint: 'Oral' },
  { key: 'instructions', label: 'Instructions', size: 'mid', hint: 'After food' },
];

/** A version's WhatsApp message state, when the API looked it up (read structurally: older views lack it). */
type Delivery = { status: string; sentAt: Date | string | null } | null | undefined;

const DELIVERY_WORDS: Record<string, { tone: string; text: string }> = {
  queued: { tone: 'warn', text: 'Sending on WhatsApp…' },
  sent: { tone: 'ok', text: 'Sent on WhatsApp' },
  delivered: { tone: 'ok', text: 'Delivered on WhatsApp' },
  read: { tone: 'ok', text: 'Read on WhatsApp' },
  failed: { tone: 'danger', text: 'WhatsApp sending failed: give the printout' },
};

/**
 * "Sent on WhatsApp 10:42" (or not sent, or failed) for an issued prescription or diet plan
 * version. With `poll` (the version's API URL) a badge still `queued` carries it, so the page's
 * script can follow the message out for a short while after issuing (delivery.js).
 */
export function whatsappState(view: object, timeZone: string, poll?: string): SafeHtml {
  const delivery = (view as { whatsapp?: Delivery }).whatsapp;
  if (delivery === undefined) return html``;
  if (delivery === null) return html`<span class="badge wa-state muted-badge">Not sent on WhatsApp</span>`;
  const words = DELIVERY_WORDS[delivery.status] ?? { tone: 'warn', text: `WhatsApp: ${delivery.status}` };
  const follow =
    poll && delivery.status === 'queued' ? html` role="status" data-poll="${poll}" data-zone="${timeZone}"` : '';
  return html`<span class="badge wa-state ${words.tone}"${follow}>${words.text}${delivery.sentAt && words.tone === 'ok' ? ` ${timeOf(delivery.sentAt, timeZone)}` : ''}</span>`;
}

function items(list: PrescriptionItem[]): SafeHtml {
  return html`<ol class="rx-items">
    ${list.map(
      (item) =>
        html`<li>
          <strong>${item.medicine}</strong> <span>${medicineLine(item)}</span>${
            item.instructions ? html`<span class="sub">${item.instructions}</span>` : ''
          }
        </li>`,
    )}
  </ol>`;
}

function version(rx: PrescriptionView, timeZone: string, follow = false): SafeHtml {
  return html`<li class="rx-version ${rx.status}">
    <div class="rx-head">
      <strong>Version ${rx.version}</strong>
      <span class="status ${rx.status}">${STATUS_WORDS[rx.status] ?? rx.status}</span>
      <span class="sub">Issued ${dateTimeOf(rx.issuedAt, timeZone)} by ${rx.issuedBy.name}</span>
      ${
        rx.status === 'active' ? whatsappState(rx, timeZone, follow ? `/api/v1/prescriptions/${rx.id}` : undefined) : ''
      }
      <a class="btn quiet small" href="/api/v1/prescriptions/${rx.id}/pdf" target="_blank" rel="noopener">PDF</a>
    </div>
    ${items(rx.items)} ${rx.advice ? html`<p class="sub">Advice: ${rx.advice}</p>` : ''}
  </li>`;
}

/** Current prescriptions of a patient (patient page). */
export function prescriptionList(list: PrescriptionView[], timeZone: string): SafeHtml {
  if (list.length === 0) return html`<p class="empty">No current prescriptions.</p>`;
  return html`<ol class="rx-list">
    ${list.map((rx) => version(rx, timeZone))}
  </ol>`;
}

/** One medicine row of the issue form (`item` prefills it). */
export function rxRow(item?: Partial<ItemFields>): SafeHtml {
  return html`<fieldset class="rx-row">
    <legend class="visually-hidden">Medicine</legend>
    ${FIELDS.map(
      (field) =>
        html`<label class="f-${field.size}"
          >${field.label}${field.required ? html`<span aria-hidden="true"> *</span>` : ''}
          <input
            name="${field.key}"
            value="${item?.[field.key] ?? ''}"
            placeholder="${field.hint ?? ''}"
            autocomplete="off"
            ${field.required ? html` required` : ''}
        /></label>`,
    )}
    <button type="button" class="btn quiet small remove-row" data-action="remove-row" aria-label="Remove this medicine">
      Remove
    </button>
  </fieldset>`;
}

/** The visit's prescription versions and, for the visit's doctor, the form that issues the next one. */
export function prescriptionSection(
  visitId: string,
  versions: PrescriptionView[],
  own: boolean,
  timeZone: string,
): SafeHtml {
  const current = versions[0];
  const prefill: Partial<ItemFields>[] = current ? current.items : [{}];
  // Once a version is out, the form (prefilled with it) folds away until the doctor needs a change.
  const form = html`<details class="fold" ${current ? '' : html` open`}>
    <summary class="btn quiet">
      ${current ? `Change it: issue version ${current.version + 1}` : 'New prescription'}
    </summary>
    <form
      class="stack rx-form"
      data-api="POST /api/v1/visits/${visitId}/prescriptions"
      data-kind="prescription"
      data-version="${current?.version ?? 0}"
    >
      <div class="rx-rows rows">${prefill.map((item) => rxRow(item))}</div>
      <template class="row-template">${rxRow()}</template>
      <div><button type="button" class="btn quiet" data-action="add-row">Add medicine</button></div>
      <label>Advice <textarea name="advice" rows="2">${current?.advice ?? ''}</textarea></label>
      <div class="row-end">
        <span class="form-error" role="alert"></span
        ><button type="submit" class="btn primary">Issue prescription</button>
      </div>
    </form>
  </details>`;
  return html`<section class="card" id="rx" aria-labelledby="rx-title">
    <h2 id="rx-title">Prescription</h2>
    ${
      versions.length
        ? html`<ol class="rx-list">
          ${versions.map((rx) => version(rx, timeZone, own))}
        </ol>`
        : html`<p class="empty">No prescription issued in this visit.</p>`
    }
    ${own ? form : ''}
  </section>`;
}
