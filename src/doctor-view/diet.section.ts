/**
 * Diet plans on the doctor's screens: versions like prescriptions (never edited, each with its
 * PDF), and a form for the next version prefilled from the current one. Foods are typed as
 * comma-separated lists, which is how doctors dictate them.
 */
import { MEAL_LABELS, MEAL_TIMES } from '../modules/clinical/diet-plan.model.js';
import type { DailyTargets, MealTime } from '../modules/clinical/diet-plan.model.js';
import type { DietPlanView } from '../modules/clinical/diet-plan.service.js';
import { dateTimeOf, STATUS_WORDS } from './format.js';
import { html } from './html.js';
import type { SafeHtml } from './html.js';
import { whatsappState } from './prescription.section.js';

const TARGETS: readonly { key: keyof DailyTargets; label: string; step: string }[] = [
  { key: 'kcal', label: 'Energy (kcal)', step: '1' },
  { key: 'proteinG', label: 'Protein (g)', step: '1' },
  { key: 'carbsG', label: 'Carbs (g)', step: '1' },
  { key: 'fatG', label: 'Fat (g)', step: '1' },
  { key: 'waterL', label: 'Water (L)', step: '0.1' },
  { key: 'sodiumMg', label: 'Sodium (mg)', step: '1' },
];

function targetsLine(targets: DailyTargets): string {
  return TARGETS.filter((target) => targets[target.key] !== undefined)
    .map((target) => `${target.label} ${targets[target.key]}`)
    .join(' · ');
}

function version(plan: DietPlanView, timeZone: string, follow = false): SafeHtml {
  const content = plan.plan;
  return html`<li class="rx-version ${plan.status}">
    <div class="rx-head">
      <strong>Version ${plan.version}</strong>
      <span class="status ${plan.status}">${STATUS_WORDS[plan.status] ?? plan.status}</span>
      <span class="sub">Issued ${dateTimeOf(plan.issuedAt, timeZone)} by ${plan.issuedBy.name}</span>
      ${
        plan.status === 'active'
          ? whatsappState(plan, timeZone, follow ? `/api/v1/diet-plans/${plan.id}` : undefined)
          : ''
      }
      <a class="btn quiet small" href="/api/v1/diet-plans/${plan.id}/pdf" target="_blank" rel="noopener">PDF</a>
    </div>
    <p>
      <strong>${content.goal}</strong>${
        targetsLine(content.targets) ? html`<span class="sub">${targetsLine(content.targets)}</span>` : ''
      }
    </p>
    ${
      content.meals.length
        ? html`<ul class="plain">
          ${content.meals.map(
            (meal) => html`<li>${MEAL_LABELS[meal.time as MealTime] ?? meal.time}: ${meal.items.join(', ')}</li>`,
          )}
        </ul>`
        : ''
    }
    ${content.prefer.length ? html`<p class="sub">Prefer: ${content.prefer.join(', ')}</p>` : ''}
    ${content.avoid.length ? html`<p class="sub">Avoid: ${content.avoid.join(', ')}</p>` : ''}
  </li>`;
}

/** Current diet plans of a patient (patient page). */
export function dietPlanList(list: DietPlanView[], timeZone: string): SafeHtml {
  if (list.length === 0) return html`<p class="empty">No current diet plan.</p>`;
  return html`<ol class="rx-list">
    ${list.map((plan) => version(plan, timeZone))}
  </ol>`;
}

/** The visit's diet plan versions and, for the visit's doctor, the form for the next one (folded away until needed). */
export function dietSection(visitId: string, versions: DietPlanView[], own: boolean, timeZone: string): SafeHtml {
  const current = versions[0]?.plan;
  const meals = new Map((current?.meals ?? []).map((meal) => [meal.time, meal.items.join(', ')]));
  const form = html`<details class="fold">
    <summary class="btn quiet">
      ${versions.length ? `Change it: issue version ${versions[0]!.version + 1}` : 'Write a diet plan'}
    </summary>
    <form
      class="stack"
      data-api="POST /api/v1/visits/${visitId}/diet-plans"
      data-kind="dietPlan"
      data-version="${versions[0]?.version ?? 0}"
    >
      <label
        >Goal
        <input name="goal" required value="${current?.goal ?? ''}" placeholder="e.g. Weight loss with diabetes control"
      /></label>
      <div class="grid-3">
        ${TARGETS.map(
          (target) =>
            html`<label
              >${target.label}<input
                name="target.${target.key}"
                type="number"
                inputmode="decimal"
                step="${target.step}"
                value="${current?.targets[target.key] ?? ''}"
            /></label>`,
        )}
      </div>
      <div class="grid-2">
        ${MEAL_TIMES.map(
          (time) =>
            html`<label
              >${MEAL_LABELS[time]}<input
                name="meal.${time}"
                value="${meals.get(time) ?? ''}"
                placeholder="comma-separated"
            /></label>`,
        )}
      </div>
      <label
        >Prefer <input name="prefer" value="${current?.prefer.join(', ') ?? ''}" placeholder="comma-separated"
      /></label>
      <label
        >Avoid <input name="avoid" value="${current?.avoid.join(', ') ?? ''}" placeholder="comma-separated"
      /></label>
      <label>Notes <textarea name="notes" rows="2">${current?.notes ?? ''}</textarea></label>
      <div class="row-end">
        <span class="form-error" role="alert"></span><button type="submit" class="btn primary">Issue diet plan</button>
      </div>
    </form>
  </details>`;
  return html`<section class="card" id="diet" aria-labelledby="diet-title">
    <h2 id="diet-title">Diet plan</h2>
    ${
      versions.length
        ? html`<ol class="rx-list">
          ${versions.map((plan) => version(plan, timeZone, own))}
        </ol>`
        : html`<p class="empty">No diet plan in this visit.</p>`
    }
    ${own ? form : ''}
  </section>`;
}
