/**
 * What every clinical PDF shares: the clinic's letterhead with the doctor's name, qualifications
 * and registration number; the patient line; the signature block; and a footer on every page
 * with the document's version, hash prefix and page number.
 */
import { LAYOUT, contentWidth, ensureSpace, rule, widthOf, write } from './pdf-document.js';
import type { Page } from './pdf-document.js';

/** The clinic and doctor printed at the top. */
export interface LetterheadInfo {
  clinic: { name: string; addressLines: string[]; phone?: string };
  doctor: { name: string; qualifications?: string; speciality?: string; registrationNumber?: string };
}

/** The patient line under the letterhead. */
export interface PatientLine {
  name: string;
  code: string;
  age?: string;
  sex?: string;
}

/** What every issued clinical document prints above and below its own content. */
export interface IssuedDocumentHeader {
  letterhead: LetterheadInfo;
  patient: PatientLine;
  timezone: string;
  version: number;
  issuedAt: Date;
  issuedBy: { name: string; registrationNumber?: string };
}

/** Formats an instant in the clinic's timezone, e.g. "25 Nov 2026, 10:30 am". */
export function clinicTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IN', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(at);
}

/** Draws the letterhead: clinic on the left, doctor on the right, a rule below. */
export function drawLetterhead(page: Page, info: LetterheadInfo): void {
  const { doc } = page;
  const top = doc.y;
  const half = contentWidth(page) / 2;
  const right = LAYOUT.margin + half + 10;
  write(page, info.clinic.name, 'bold', 17, { x: LAYOUT.margin, y: top, width: half, color: LAYOUT.accent });
  for (const line of info.clinic.addressLines) write(page, line, 'regular', 9, { width: half, color: LAYOUT.muted });
  if (info.clinic.phone) write(page, `Phone: ${info.clinic.phone}`, 'regular', 9, { width: half, color: LAYOUT.muted });
  const leftBottom = doc.y;

  const doctorWidth = half - 10;
  write(page, info.doctor.name, 'bold', 12, { x: right, y: top + 2, width: doctorWidth, align: 'right' });
  if (info.doctor.qualifications)
    write(page, info.doctor.qualifications, 'regular', 9, { width: doctorWidth, align: 'right', color: LAYOUT.muted });
  if (info.doctor.speciality)
    write(page, info.doctor.speciality, 'regular', 9, { width: doctorWidth, align: 'right', color: LAYOUT.muted });
  if (info.doctor.registrationNumber)
    write(page, `Reg. No. ${info.doctor.registrationNumber}`, 'bold', 9, { width: doctorWidth, align: 'right' });
  doc.y = Math.max(leftBottom, doc.y);
  doc.x = LAYOUT.margin;
  rule(page, 10);
}

/** Draws the document title and the patient's name, code, age/sex and the date. */
export function drawPatientLine(page: Page, title: string, patient: PatientLine, dated: string, note?: string): void {
  const { doc } = page;
  const width = contentWidth(page);
  const top = doc.y;
  write(page, title, 'bold', 13, { x: LAYOUT.margin, y: top, width: width / 2 });
  write(page, dated, 'regular', 9, {
    x: LAYOUT.margin + width / 2,
    y: top + 3,
    width: width / 2,
    align: 'right',
    color: LAYOUT.muted,
  });
  doc.x = LAYOUT.margin;
  doc.moveDown(0.4);
  const details = [patient.code, [patient.age, patient.sex].filter(Boolean).join(' / ')]
    .filter(Boolean)
    .join('   ·   ');
  write(page, `Patient: ${patient.name}`, 'bold', 10, { x: LAYOUT.margin, y: doc.y, width });
  if (details) write(page, details, 'regular', 9, { width, color: LAYOUT.muted });
  if (note) write(page, note, 'italic', 9, { width, color: LAYOUT.accent });
  rule(page, 10);
}

/** A small section heading. */
export function drawHeading(page: Page, text: string): void {
  ensureSpace(page, 40);
  page.doc.moveDown(0.7);
  write(page, text.toUpperCase(), 'bold', 9, {
    x: LAYOUT.margin,
    y: page.doc.y,
    width: contentWidth(page),
    color: LAYOUT.accent,
    characterSpacing: 0.6,
  });
  page.doc.moveDown(0.2);
}

/** The signature block at the end: who issued it, their registration number and when. */
export function drawSignature(
  page: Page,
  signer: { name: string; registrationNumber?: string },
  issuedAt: string,
): void {
  ensureSpace(page, 70);
  const { doc } = page;
  doc.moveDown(1.5);
  const width = 220;
  const x = doc.page.width - LAYOUT.margin - width;
  doc
    .moveTo(x, doc.y)
    .lineTo(x + width, doc.y)
    .lineWidth(0.7)
    .strokeColor(LAYOUT.rule)
    .stroke();
  doc.moveDown(0.3);
  write(page, signer.name, 'bold', 10, { x, y: doc.y, width, align: 'right' });
  if (signer.registrationNumber)
    write(page, `Reg. No. ${signer.registrationNumber}`, 'regular', 9, { width, align: 'right', color: LAYOUT.muted });
  write(page, `Issued electronically on ${issuedAt}`, 'regular', 8, { width, align: 'right', color: LAYOUT.muted });
  doc.x = LAYOUT.margin;
}

/** `text` cut with an ellipsis to fit `width` on one line. */
function fitted(page: Page, text: string, size: number, width: number): string {
  if (widthOf(page, text, 'regular', size) <= width) return text;
  let cut = text;
  while (cut.length > 1 && widthOf(page, `${cut}…`, 'regular', size) > width) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/**
 * Writes the footer on every buffered page: `label` (clinic, patient, document) on the left, the
 * hash prefix and "Page n of m" on the right — one line, so a loose page still says whose it is.
 */
export function drawFooters(page: Page, label: string, contentHash: string): void {
  const { doc } = page;
  const range = doc.bufferedPageRange();
  const size = 7.5;
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const y = doc.page.height - LAYOUT.margin - 14;
    // Writing inside the bottom margin would otherwise make pdfkit start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .moveTo(LAYOUT.margin, y - 6)
      .lineTo(doc.page.width - LAYOUT.margin, y - 6)
      .lineWidth(0.5)
      .strokeColor(LAYOUT.rule)
      .stroke();
    const right = `Document hash ${contentHash.slice(0, 16)}   ·   Page ${index - range.start + 1} of ${range.count}`;
    const rightWidth = widthOf(page, right, 'regular', size) + 2;
    const leftWidth = contentWidth(page) - rightWidth - 16;
    write(page, fitted(page, label, size, leftWidth), 'regular', size, {
      x: LAYOUT.margin,
      y,
      width: leftWidth,
      color: LAYOUT.muted,
      lineBreak: false,
    });
    write(page, right, 'regular', size, {
      x: doc.page.width - LAYOUT.margin - rightWidth,
      y,
      width: rightWidth,
      align: 'right',
      color: LAYOUT.muted,
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}
