/**
 * Lab tests on the doctor's screens: a result with its flag (abnormal ones stand out in colour
 * and in words, so colour is never the only signal), the visit's tests with result entry, and
 * the order form.
 */
import type { LabTestView } from '../modules/clinical/lab.views.js';
import { dateTimeOf } from './format.js';
import { html } from './html.js';
import type { SafeHtml } from './html.js';

const FLAG_WORDS: Record<string, string> = { high: 'HIGH', low: 'LOW', abnormal: 'ABNORMAL' };

function rangeText(test: LabTestView): string {
  const result = test.result;
  if (!result) return '';
  if (result.referenceText) return `ref ${result.referenceText}`;
  if (result.referenceLow !== undefined && result.referenceHigh !== undefined)
    return `ref ${result.referenceLow}–${result.referenceHigh}`;
  if (result.referenceLow !== undefined) return `ref ≥ ${result.referenceLow}`;
  if (result.referenceHigh !== undefined) return `ref ≤ ${result.referenceHigh}`;
  return '';
}

/** "9.8 g/dL LOW (ref 12–15)" with the flag marked up. */
export function labResultText(test: LabTestView): SafeHtml {
  const result = test.result;
  if (!result) return html`<span class="muted">Awaiting result</span>`;
  const flag = result.flag && result.flag !== 'normal' ? FLAG_WORDS[result.flag] : undefined;
  const range = rangeText(test);
  return html`<span class="lab-value">${result.value}${result.unit ? ` ${result.unit}` : ''}</span>${
    flag ? html` <strong class="flag">${flag}</strong>` : ''
  }${range ? html` <span class="muted">(${range})</span>` : ''}`;
}

function resultForm(test: LabTestView): SafeHtml {
  return html`<form
    class="inline-form"
    data-api="PUT /api/v1/lab-tests/${test.id}/result"
    data-kind="labResult"
    data-version="${test.version}"
  >
    <label>Value <input name="value" required autocomplete="off" /></label>
    <label>Unit <input name="unit" autocomplete="off" size="6" /></label>
    <label>Ref. low <input name="referenceLow" inputmode="decimal" size="6" /></label>
    <label>Ref. high <input name="referenceHigh" inputmode="decimal" size="6" /></label>
    <button type="submit" class="btn">Save result</button>
    <span class="form-error" role="alert"></span>
  </form>`;
}

function testRow(test: LabTestView, own: boolean, timeZone: string): SafeHtml {
  const acknowledge =
    own && test.abnormal && !test.acknowledgedAt
      ? html`<form data-api="POST /api/v1/lab-tests/${test.id}/acknowledge" data-kind="empty" class="inline">
          <button type="submit" class="btn">Acknowledge</button><span class="form-error" role="alert"></span>
        </form>`
      : test.acknowledgedAt
        ? html`<span class="muted">Seen ${dateTimeOf(test.acknowledgedAt, timeZone)}</span>`
        : '';
  return html`<li class="lab-row${test.abnormal ? ' abnormal' : ''}">
    <div class="lab-name">
      <strong>${test.name}</strong>${test.code ? html` <span class="muted">${test.code}</span>` : ''}${
        test.notes ? html`<span class="sub">${test.notes}</span>` : ''
      }
    </div>
    <div class="lab-result">
      ${labResultText(test)}${
        test.resultedAt ? html`<span class="sub">${dateTimeOf(test.resultedAt, timeZone)}</span>` : ''
      }
    </div>
    <div class="lab-actions">${acknowledge}</div>
    ${own && test.status === 'ordered' ? resultForm(test) : ''}
  </li>`;
}

/** The visit's lab tests, and for the visit's doctor the order form. */
export function labsSection(visitId: string, tests: LabTestView[], own: boolean, timeZone: string): SafeHtml {
  return html`<section class="card" id="labs" aria-labelledby="labs-title">
    <h2 id="labs-title">Lab tests</h2>
    ${
      tests.length === 0
        ? html`<p class="empty">No tests ordered in this visit.</p>`
        : html`<ol class="lab-list">
          ${tests.map((test) => testRow(test, own, timeZone))}
        </ol>`
    }
    ${
      own
        ? html`<form class="stack" data-api="POST /api/v1/visits/${visitId}/lab-orders" data-kind="labOrder">
          <label
            >Order tests <span class="hint">one per line, e.g. "CBC" or "HbA1c"</span
            ><textarea name="tests" rows="2" required></textarea>
          </label>
          <div class="row-end">
            <span class="form-error" role="alert"></span><button type="submit" class="btn">Order tests</button>
          </div>
        </form>`
        : ''
    }
  </section>`;
}

/** A compact list of recent results (patient page and the editor's side column). */
export function recentLabsList(tests: LabTestView[], timeZone: string): SafeHtml {
  if (tests.length === 0) return html`<p class="empty">No results yet.</p>`;
  return html`<ol class="lab-list compact">
    ${tests.map(
      (test) =>
        html`<li class="lab-row${test.abnormal ? ' abnormal' : ''}">
          <div class="lab-name">
            <strong>${test.name}</strong><span class="sub">${dateTimeOf(test.resultedAt, timeZone)}</span>
          </div>
          <div class="lab-result">${labResultText(test)}</div>
        </li>`,
    )}
  </ol>`;
}
