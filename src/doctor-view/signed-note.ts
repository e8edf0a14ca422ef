/**
 * A note that can no longer be edited here: signed (locked, with the result of recomputing its
 * hash just now) or another doctor's. The signed note's own doctor gets the addendum form, since
 * after sign-off that is the only way the record changes.
 */
import type { IntegrityReport } from '../modules/clinical/note-hash.js';
import type { VisitDetail } from '../modules/clinical/visit.views.js';
import { dateTimeOf, vitalsLine } from './format.js';
import { html } from './html.js';
import type { SafeHtml } from './html.js';

function integrityBadge(visit: VisitDetail, integrity: IntegrityReport | undefined): SafeHtml {
  if (!visit.signature) return html`<span class="badge warn">Draft, not signed</span>`;
  if (integrity?.ok)
    return html`<span class="badge ok" title="SHA-256 ${visit.signature.contentHash}"
      >Hash verified · ${visit.signature.contentHash.slice(0, 12)}</span
    >`;
  return html`<span class="badge danger"
    >Integrity check failed: the stored note does not match its signature. Tell the clinic admin.</span
  >`;
}

function block(label: string, text: string | null | undefined): SafeHtml {
  return text
    ? html`<div class="read-block">
        <h3>${label}</h3>
        <p class="pre">${text}</p>
      </div>`
    : html``;
}

function addendumForm(visitId: string): SafeHtml {
  return html`<form class="stack" data-api="POST /api/v1/visits/${visitId}/addenda" data-kind="addendum">
    <h3>Add an addendum</h3>
    <label>Addendum <textarea name="text" rows="3" maxlength="10000" required></textarea></label>
    <label
      >Reason <span class="hint">Why the signed note needs it, e.g. "lab result received"</span
      ><input name="reason" maxlength="500" required
    /></label>
    <div class="row-end">
      <span class="form-error" role="alert"></span><button type="submit" class="btn primary">Add addendum</button>
    </div>
  </form>`;
}

/** The read-only note, its signature and addenda, and (own signed note) the addendum form. */
export function readOnlyNote(
  visit: VisitDetail,
  integrity: IntegrityReport | undefined,
  own: boolean,
  timeZone: string,
): SafeHtml {
  const signature = visit.signature;
  const vitals = vitalsLine(visit.vitals);
  return html`<section class="card signed-note" id="note-view" aria-labelledby="note-title">
      <div class="note-head">
        <h2 id="note-title">${signature ? 'Signed note' : 'Note (read only)'}</h2>
        ${integrityBadge(visit, integrity)}
      </div>
      ${
        signature
          ? html`<p class="sub">
            Signed by
            ${signature.signer.name}${
              signature.signer.registrationNumber ? ` (Reg. ${signature.signer.registrationNumber})` : ''
            }
            on ${dateTimeOf(signature.signedAt, timeZone)}. Locked: later changes go into an addendum.
          </p>`
          : ''
      }
      ${
        vitals
          ? html`<div class="read-block">
            <h3>Vitals</h3>
            <p>${vitals}</p>
          </div>`
          : ''
      }
      ${block('Chief complaint', visit.chiefComplaint)} ${block('Subjective', visit.soap.subjective)}
      ${block('Objective', visit.soap.objective)} ${block('Assessment', visit.soap.assessment)}
      ${block('Plan', visit.soap.plan)}
      ${
        visit.diagnoses.length
          ? html`<div class="read-block">
            <h3>Diagnoses</h3>
            <ul class="plain">
              ${visit.diagnoses.map(
                (d) => html`<li>${d.text}${d.icd10 ? html` <span class="code">${d.icd10}</span>` : ''}</li>`,
              )}
            </ul>
          </div>`
          : ''
      }
      ${
        visit.followUp
          ? block(
              'Follow-up',
              [visit.followUp.advice, visit.followUp.inDays ? `Review in ${visit.followUp.inDays} days` : '']
                .filter(Boolean)
                .join('. '),
            )
          : ''
      }
    </section>
    <section class="card" id="addenda" aria-labelledby="addenda-title">
      <h2 id="addenda-title">Addenda</h2>
      ${
        visit.addenda.length
          ? html`<ol class="addenda">
            ${visit.addenda.map(
              (addendum) =>
                html`<li>
                  <p class="sub">
                    Addendum ${addendum.seq} · ${dateTimeOf(addendum.at, timeZone)} · ${addendum.author.name} · Reason:
                    ${addendum.reason}
                  </p>
                  <p class="pre">${addendum.text}</p>
                </li>`,
            )}
          </ol>`
          : html`<p class="empty">No addenda.</p>`
      }
      ${own && signature ? addendumForm(visit.id) : ''}
    </section>`;
}
