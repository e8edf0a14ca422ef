/** The printable diet plan: goal, daily targets, meals through the day, foods to prefer and avoid, notes. */
import { MEAL_LABELS } from '../diet-plan.model.js';
import type { DailyTargets, DietPlanContent } from '../diet-plan.model.js';
import { clinicTime, drawFooters, drawHeading, drawLetterhead, drawPatientLine, drawSignature } from './letterhead.js';
import type { IssuedDocumentHeader } from './letterhead.js';
import { LAYOUT, contentWidth, createPage, ensureSpace, finish, heightOf, write } from './pdf-document.js';
import type { Page } from './pdf-document.js';

/** Everything printed on a diet plan. */
export interface DietPlanPdfInput extends IssuedDocumentHeader {
  plan: DietPlanContent;
  contentHash: string;
}

const TARGETS: { key: keyof DailyTargets; label: string; unit: string }[] = [
  { key: 'kcal', label: 'Energy', unit: 'kcal' },
  { key: 'proteinG', label: 'Protein', unit: 'g' },
  { key: 'carbsG', label: 'Carbohydrates', unit: 'g' },
  { key: 'fatG', label: 'Fat', unit: 'g' },
  { key: 'fibreG', label: 'Fibre', unit: 'g' },
  { key: 'waterL', label: 'Water', unit: 'L' },
  { key: 'sodiumMg', label: 'Sodium', unit: 'mg' },
];

function drawTargets(page: Page, targets: DailyTargets): void {
  const present = TARGETS.filter((target) => targets[target.key] !== undefined);
  if (present.length === 0) return;
  drawHeading(page, 'Daily targets');
  const { doc } = page;
  const gap = 6;
  const perRow = 4;
  const width = (contentWidth(page) - gap * (perRow - 1)) / perRow;
  for (let start = 0; start < present.length; start += perRow) {
    ensureSpace(page, 44);
    const y = doc.y;
    present.slice(start, start + perRow).forEach((target, index) => {
      const x = LAYOUT.margin + index * (width + gap);
      doc.roundedRect(x, y, width, 36, 4).fillColor('#eef3f6').fill();
      write(page, target.label, 'regular', 8, { x: x + 8, y: y + 6, width: width - 16, color: LAYOUT.muted });
      write(page, `${targets[target.key]} ${target.unit}`, 'bold', 11, { x: x + 8, y: y + 18, width: width - 16 });
    });
    doc.y = y + 36 + gap;
  }
  doc.x = LAYOUT.margin;
}

function drawMeals(page: Page, meals: DietPlanContent['meals']): void {
  if (meals.length === 0) return;
  drawHeading(page, 'Meals');
  const { doc } = page;
  const labelWidth = 100;
  const itemsWidth = contentWidth(page) - labelWidth;
  const order = Object.keys(MEAL_LABELS);
  for (const meal of [...meals].sort((a, b) => order.indexOf(a.time) - order.indexOf(b.time))) {
    const text = meal.items.map((item) => `•  ${item}`).join('\n');
    const height = Math.max(heightOf(page, text, 'regular', 10, itemsWidth), 14) + 8;
    ensureSpace(page, height);
    const y = doc.y;
    write(page, MEAL_LABELS[meal.time], 'bold', 10, { x: LAYOUT.margin, y, width: labelWidth - 8 });
    for (const [index, item] of meal.items.entries())
      write(page, `•  ${item}`, 'regular', 10, {
        x: LAYOUT.margin + labelWidth,
        ...(index === 0 ? { y } : {}),
        width: itemsWidth,
      });
    doc.y = Math.max(doc.y, y + height - 8) + 8;
    doc.x = LAYOUT.margin;
  }
}

function drawPreferAvoid(page: Page, prefer: string[], avoid: string[]): void {
  if (prefer.length === 0 && avoid.length === 0) return;
  const { doc } = page;
  const gap = 16;
  const width = (contentWidth(page) - gap) / 2;
  const lists = [
    { title: 'Prefer', items: prefer, color: '#1d7a46' },
    { title: 'Avoid', items: avoid, color: '#b42318' },
  ];
  const height =
    Math.max(
      ...lists.map((list) =>
        heightOf(page, list.items.map((item) => `•  ${item}`).join('\n') || ' ', 'regular', 10, width),
      ),
    ) + 24;
  ensureSpace(page, height + 10);
  doc.moveDown(0.5);
  const y = doc.y;
  lists.forEach((list, index) => {
    const x = LAYOUT.margin + index * (width + gap);
    write(page, list.title.toUpperCase(), 'bold', 9, { x, y, width, color: list.color, characterSpacing: 0.6 });
    for (const [itemIndex, item] of list.items.entries())
      write(page, `•  ${item}`, 'regular', 10, { x, ...(itemIndex === 0 ? { y: y + 14 } : {}), width });
  });
  doc.y = y + height;
  doc.x = LAYOUT.margin;
}

/** Renders the diet plan to PDF bytes. */
export async function renderDietPlanPdf(input: DietPlanPdfInput): Promise<Buffer> {
  const page = createPage(`Diet plan v${input.version}`, input.issuedBy.name);
  const issued = clinicTime(input.issuedAt, input.timezone);
  drawLetterhead(page, input.letterhead);
  const note =
    input.version > 1
      ? `Version ${input.version}: replaces version ${input.version - 1} and every earlier one`
      : undefined;
  drawPatientLine(page, 'Diet plan', input.patient, issued, note);
  drawHeading(page, 'Goal');
  write(page, input.plan.goal, 'regular', 10.5, { x: LAYOUT.margin, y: page.doc.y, width: contentWidth(page) });
  drawTargets(page, input.plan.targets);
  drawMeals(page, input.plan.meals);
  drawPreferAvoid(page, input.plan.prefer, input.plan.avoid);
  if (input.plan.notes) {
    drawHeading(page, 'Notes');
    write(page, input.plan.notes, 'regular', 10, { x: LAYOUT.margin, y: page.doc.y, width: contentWidth(page) });
  }
  drawSignature(page, input.issuedBy, issued);
  // Most identifying first: a long name is shortened from the end.
  drawFooters(
    page,
    `Diet plan version ${input.version}   ·   ${input.patient.code}   ·   ${input.patient.name}   ·   ${input.letterhead.clinic.name}`,
    input.contentHash,
  );
  return finish(page);
}
