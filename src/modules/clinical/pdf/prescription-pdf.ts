/** The printable prescription: letterhead, patient, the medicines as a table, advice, signature. */
import type { PrescriptionItem } from '../prescription.model.js';
import { clinicTime, drawFooters, drawHeading, drawLetterhead, drawPatientLine, drawSignature } from './letterhead.js';
import type { IssuedDocumentHeader } from './letterhead.js';
import { LAYOUT, bottomLimit, contentWidth, createPage, finish, heightOf, write } from './pdf-document.js';
import type { Page } from './pdf-document.js';

/** Everything printed on a prescription. */
export interface PrescriptionPdfInput extends IssuedDocumentHeader {
  items: PrescriptionItem[];
  advice?: string;
  contentHash: string;
}

const COLUMNS = [
  { key: 'n', title: '#', width: 24 },
  { key: 'medicine', title: 'Medicine', width: 175 },
  { key: 'dose', title: 'Dose', width: 75 },
  { key: 'frequency', title: 'Frequency', width: 75 },
  { key: 'duration', title: 'Duration', width: 75 },
  { key: 'route', title: 'Route', width: 75 },
] as const;
const PAD = 4;

function columnX(index: number): number {
  return LAYOUT.margin + COLUMNS.slice(0, index).reduce((sum, column) => sum + column.width, 0);
}

function drawHeader(page: Page): void {
  const { doc } = page;
  const y = doc.y;
  doc.rect(LAYOUT.margin, y, contentWidth(page), 18).fillColor('#eef3f6').fill();
  COLUMNS.forEach((column, index) =>
    write(page, column.title, 'bold', 8.5, {
      x: columnX(index) + PAD,
      y: y + 5,
      width: column.width - PAD * 2,
      color: LAYOUT.muted,
    }),
  );
  doc.y = y + 22;
}

function medicineLines(
  item: PrescriptionItem,
): { text: string; weight: 'regular' | 'bold' | 'italic'; size: number; color: string }[] {
  return [
    { text: [item.medicine, item.strength].filter(Boolean).join(' '), weight: 'bold', size: 10, color: LAYOUT.ink },
    ...(item.form ? [{ text: item.form, weight: 'regular' as const, size: 8.5, color: LAYOUT.muted }] : []),
    ...(item.instructions
      ? [{ text: item.instructions, weight: 'italic' as const, size: 8.5, color: LAYOUT.accent }]
      : []),
  ];
}

function drawRow(page: Page, item: PrescriptionItem, index: number): void {
  const { doc } = page;
  const medicineWidth = COLUMNS[1].width - PAD * 2;
  const lines = medicineLines(item);
  const cells = [String(index + 1), '', item.dose, item.frequency, item.duration, item.route ?? ''];
  const medicineHeight = lines.reduce(
    (sum, line) => sum + heightOf(page, line.text, line.weight, line.size, medicineWidth) + 1,
    0,
  );
  const height =
    Math.max(
      medicineHeight,
      ...cells.map((cell, i) => (i === 1 ? 0 : heightOf(page, cell, 'regular', 9.5, COLUMNS[i]!.width - PAD * 2))),
    ) + 8;
  if (doc.y + height > bottomLimit(page)) {
    doc.addPage();
    drawHeader(page);
  }
  const y = doc.y;
  cells.forEach((cell, i) => {
    if (i !== 1 && cell)
      write(page, cell, 'regular', 9.5, { x: columnX(i) + PAD, y: y + 2, width: COLUMNS[i]!.width - PAD * 2 });
  });
  let lineY = y + 2;
  for (const line of lines) {
    write(page, line.text, line.weight, line.size, {
      x: columnX(1) + PAD,
      y: lineY,
      width: medicineWidth,
      color: line.color,
    });
    lineY = doc.y + 1;
  }
  doc.y = y + height;
  doc
    .moveTo(LAYOUT.margin, doc.y - 3)
    .lineTo(LAYOUT.margin + contentWidth(page), doc.y - 3)
    .lineWidth(0.4)
    .strokeColor(LAYOUT.rule)
    .stroke();
}

/** Renders the prescription to PDF bytes. */
export async function renderPrescriptionPdf(input: PrescriptionPdfInput): Promise<Buffer> {
  const page = createPage(`Prescription v${input.version}`, input.issuedBy.name);
  const issued = clinicTime(input.issuedAt, input.timezone);
  drawLetterhead(page, input.letterhead);
  const note =
    input.version > 1
      ? `Version ${input.version}: replaces version ${input.version - 1} and every earlier one`
      : undefined;
  drawPatientLine(page, 'Prescription', input.patient, issued, note);

  write(page, 'Rx', 'bold', 20, { x: LAYOUT.margin, y: page.doc.y, color: LAYOUT.accent });
  page.doc.moveDown(0.3);
  drawHeader(page);
  input.items.forEach((item, index) => drawRow(page, item, index));
  page.doc.x = LAYOUT.margin;

  if (input.advice) {
    drawHeading(page, 'Advice');
    write(page, input.advice, 'regular', 10, { x: LAYOUT.margin, y: page.doc.y, width: contentWidth(page) });
  }
  drawSignature(page, input.issuedBy, issued);
  // Most identifying first: a long name is shortened from the end.
  drawFooters(
    page,
    `Prescription version ${input.version}   ·   ${input.patient.code}   ·   ${input.patient.name}   ·   ${input.letterhead.clinic.name}`,
    input.contentHash,
  );
  return finish(page);
}
