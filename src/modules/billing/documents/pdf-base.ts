/**
 * A small layout kit over pdfkit for the billing documents: an A4 page with the clinic's
 * letterhead, a title, label/value blocks, a ruled table that continues onto new pages, totals,
 * the amount in words and the signature block. Documents are deterministic: the creation date is
 * the document's own date, so rendering the same record twice gives the same bytes.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { log } from '../../../platform/logger.js';
import type { Supplier } from '../invoice.model.js';

/** Page geometry (points). */
export const PAGE = { width: 595.28, height: 841.89, margin: 40, footer: 50 } as const;
/** Usable width between the margins. */
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const BOTTOM = PAGE.height - PAGE.margin - PAGE.footer;
const INK = '#111111';
const MUTED = '#555555';
const RULE = '#999999';
const SHADE = '#eeeeee';

/** One table column. */
export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

/** Fonts the kit writes with; `unicode` is used for text the standard fonts cannot show. */
interface Fonts {
  regular: string;
  bold: string;
  unicode?: string;
}

/** A document being written. */
export interface Pdf {
  doc: PDFKit.PDFDocument;
  fonts: Fonts;
}

// The standard Helvetica fonts cover Windows-1252; anything else (Devanagari names) needs a TrueType font.
const WIN_ANSI = /^[\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\n]*$/;

/** Starts an A4 document whose metadata carries no patient data. */
export function startPdf(options: {
  title: string;
  subject: string;
  author: string;
  date: Date;
  unicodeFontPath?: string;
}): Pdf {
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: true,
    info: {
      Title: options.title,
      Subject: options.subject,
      Author: options.author,
      Creator: 'CINIC',
      Producer: 'CINIC',
      CreationDate: options.date,
      ModDate: options.date,
    },
  });
  const fonts: Fonts = { regular: 'Helvetica', bold: 'Helvetica-Bold' };
  if (options.unicodeFontPath && existsSync(options.unicodeFontPath)) {
    doc.registerFont('Unicode', options.unicodeFontPath);
    fonts.unicode = 'Unicode';
  }
  doc.font(fonts.regular).fillColor(INK);
  return { doc, fonts };
}

/** The font that can show `text` (the regular or bold standard font when it suffices). */
function fontFor(pdf: Pdf, text: string, bold = false): string {
  if (WIN_ANSI.test(text) || !pdf.fonts.unicode) return bold ? pdf.fonts.bold : pdf.fonts.regular;
  return pdf.fonts.unicode;
}

let missingFontLogged = false;

/** Text no configured font can show is named as such rather than printed as question marks. */
function printable(pdf: Pdf, text: string): string {
  if (WIN_ANSI.test(text) || pdf.fonts.unicode) return text;
  if (!missingFontLogged) {
    missingFontLogged = true;
    log().warn(
      'a document has text the standard PDF fonts cannot show; set PDF_UNICODE_FONT to a TrueType font that can (Debian: fonts-lohit-deva)',
    );
  }
  return '[in a script this document cannot show]';
}

/** Writes `text` at (x, y) within `width`, choosing a font that can show it. */
export function write(
  pdf: Pdf,
  text: string,
  x: number,
  y: number,
  options: { width: number; size?: number; bold?: boolean; align?: 'left' | 'right' | 'center'; color?: string },
): number {
  const { doc } = pdf;
  doc
    .font(fontFor(pdf, text, options.bold))
    .fontSize(options.size ?? 9)
    .fillColor(options.color ?? INK);
  doc.text(printable(pdf, text), x, y, { width: options.width, align: options.align ?? 'left' });
  return doc.y;
}

function heightOf(pdf: Pdf, text: string, width: number, size: number, bold = false): number {
  pdf.doc.font(fontFor(pdf, text, bold)).fontSize(size);
  return pdf.doc.heightOfString(printable(pdf, text), { width });
}

/** "2026-11-25" → "25 Nov 2026". */
export function formatLocalDate(localDate: string): string {
  const [year, month, day] = localDate.split('-');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(day)} ${months[Number(month) - 1]} ${year}`;
}

function addressLines(supplier: Supplier): string[] {
  const { line1, line2, city, state, pincode } = supplier.address;
  const cityLine = [city, pincode].filter(Boolean).join(' - ');
  return [line1, line2, [cityLine, state].filter(Boolean).join(', ')].filter((line): line is string => Boolean(line));
}

/** The clinic's letterhead: name, address and phone on the left, GSTIN and state on the right. */
export function letterhead(pdf: Pdf, supplier: Supplier): void {
  const top = PAGE.margin;
  const left = PAGE.margin;
  const rightWidth = 190;
  const leftWidth = CONTENT_WIDTH - rightWidth - 10;
  let y = write(pdf, supplier.name, left, top, { width: leftWidth, size: 16, bold: true });
  for (const line of addressLines(supplier))
    y = write(pdf, line, left, y + 1, { width: leftWidth, size: 9, color: MUTED });
  if (supplier.phone)
    y = write(pdf, `Phone: ${supplier.phone}`, left, y + 1, { width: leftWidth, size: 9, color: MUTED });
  const rightX = PAGE.width - PAGE.margin - rightWidth;
  let ry = write(pdf, `GSTIN: ${supplier.gstin ?? 'Not registered'}`, rightX, top + 2, {
    width: rightWidth,
    size: 9,
    bold: true,
    align: 'right',
  });
  if (supplier.stateCode)
    ry = write(pdf, `State: ${supplier.stateName ?? ''} (${supplier.stateCode})`, rightX, ry + 1, {
      width: rightWidth,
      size: 9,
      align: 'right',
    });
  rule(pdf, Math.max(y, ry) + 8);
}

/** A horizontal rule across the page at `y`; the cursor moves below it. */
export function rule(pdf: Pdf, y: number, color = RULE): void {
  pdf.doc
    .moveTo(PAGE.margin, y)
    .lineTo(PAGE.width - PAGE.margin, y)
    .lineWidth(0.7)
    .strokeColor(color)
    .stroke();
  pdf.doc.y = y + 8;
}

/** The document's title, centred, with an optional line under it. */
export function title(pdf: Pdf, text: string, subtitle?: string): void {
  let y = write(pdf, text.toUpperCase(), PAGE.margin, pdf.doc.y, {
    width: CONTENT_WIDTH,
    size: 14,
    bold: true,
    align: 'center',
  });
  if (subtitle)
    y = write(pdf, subtitle, PAGE.margin, y + 1, { width: CONTENT_WIDTH, size: 8, align: 'center', color: MUTED });
  pdf.doc.y = y + 10;
}

/** Two columns of label: value rows (recipient on the left, document facts on the right). */
export function factBlocks(pdf: Pdf, left: [string, string][], right: [string, string][]): void {
  const top = pdf.doc.y;
  const half = CONTENT_WIDTH / 2 - 10;
  const labelWidth = 92;
  const column = (rows: [string, string][], x: number) => {
    let y = top;
    for (const [label, value] of rows) {
      write(pdf, label, x, y, { width: labelWidth, size: 9, color: MUTED });
      y =
        Math.max(pdf.doc.y, write(pdf, value, x + labelWidth, y, { width: half - labelWidth, size: 9, bold: true })) +
        2;
    }
    return y;
  };
  const bottom = Math.max(column(left, PAGE.margin), column(right, PAGE.margin + CONTENT_WIDTH / 2 + 10));
  pdf.doc.y = bottom + 8;
}

function drawHeader(pdf: Pdf, columns: readonly Column[], size: number): void {
  const { doc } = pdf;
  const height = Math.max(...columns.map((column) => heightOf(pdf, column.header, column.width - 6, size, true))) + 8;
  const top = doc.y;
  doc.rect(PAGE.margin, top, CONTENT_WIDTH, height).fillColor(SHADE).fill();
  let x = PAGE.margin;
  for (const column of columns) {
    write(pdf, column.header, x + 3, top + 4, {
      width: column.width - 6,
      size,
      bold: true,
      align: column.align ?? 'left',
    });
    x += column.width;
  }
  doc.y = top + height;
  rule(pdf, doc.y, RULE);
  doc.y -= 8;
}

/** A ruled table; rows that would cross the footer start a new page with the header again. */
export function table(pdf: Pdf, columns: readonly Column[], rows: readonly string[][], size = 8): void {
  const { doc } = pdf;
  drawHeader(pdf, columns, size);
  for (const row of rows) {
    const height = Math.max(...row.map((cell, index) => heightOf(pdf, cell, columns[index]!.width - 6, size))) + 8;
    if (doc.y + height > BOTTOM) {
      doc.addPage();
      doc.y = PAGE.margin;
      drawHeader(pdf, columns, size);
    }
    const top = doc.y;
    let x = PAGE.margin;
    row.forEach((cell, index) => {
      const column = columns[index]!;
      write(pdf, cell, x + 3, top + 4, { width: column.width - 6, size, align: column.align ?? 'left' });
      x += column.width;
    });
    doc.y = top + height;
    doc
      .moveTo(PAGE.margin, doc.y)
      .lineTo(PAGE.width - PAGE.margin, doc.y)
      .lineWidth(0.3)
      .strokeColor('#cccccc')
      .stroke();
  }
  doc.y += 6;
}

/** Keeps the next `height` points on one page. */
export function keepTogether(pdf: Pdf, height: number): void {
  if (pdf.doc.y + height > BOTTOM) {
    pdf.doc.addPage();
    pdf.doc.y = PAGE.margin;
  }
}

/** Right-aligned label/value rows; a row marked strong is bold with a rule above it. */
export function totals(pdf: Pdf, rows: { label: string; value: string; strong?: boolean }[]): void {
  keepTogether(pdf, rows.length * 14 + 10);
  const width = 250;
  const x = PAGE.width - PAGE.margin - width;
  let y = pdf.doc.y;
  for (const row of rows) {
    if (row.strong) {
      pdf.doc
        .moveTo(x, y)
        .lineTo(x + width, y)
        .lineWidth(0.7)
        .strokeColor(INK)
        .stroke();
      y += 3;
    }
    write(pdf, row.label, x, y, { width: 150, size: row.strong ? 10 : 9, bold: row.strong });
    y =
      write(pdf, row.value, x + 150, y, { width: 100, size: row.strong ? 10 : 9, bold: row.strong, align: 'right' }) +
      3;
  }
  pdf.doc.y = y + 6;
}

/** A bold label followed by wrapped text across the page ("Amount in words", notes). */
export function paragraph(pdf: Pdf, label: string, text: string): void {
  keepTogether(pdf, 30);
  const y = write(pdf, label, PAGE.margin, pdf.doc.y, { width: CONTENT_WIDTH, size: 9, bold: true });
  pdf.doc.y = write(pdf, text, PAGE.margin, y + 1, { width: CONTENT_WIDTH, size: 9 }) + 8;
}

/** "For <clinic> … Authorised signatory" at the right, as Rules 46(q) and 49 ask. */
export function signature(pdf: Pdf, clinicName: string): void {
  keepTogether(pdf, 60);
  const width = 220;
  const x = PAGE.width - PAGE.margin - width;
  const y = write(pdf, `For ${clinicName}`, x, pdf.doc.y + 6, { width, size: 9, bold: true, align: 'right' });
  write(pdf, 'Authorised signatory', x, y + 28, { width, size: 9, align: 'right', color: MUTED });
}

/** A large diagonal stamp across every page (CANCELLED for void invoices). */
export function stamp(pdf: Pdf, text: string): void {
  const { doc } = pdf;
  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    doc.switchToPage(page);
    doc.save();
    doc.rotate(-30, { origin: [PAGE.width / 2, PAGE.height / 2] });
    doc.font(pdf.fonts.bold).fontSize(72).fillColor('#cc0000').fillOpacity(0.18);
    doc.text(text, 0, PAGE.height / 2 - 40, { width: PAGE.width, align: 'center', lineBreak: false });
    doc.restore();
  }
}

/** Footer on every page — which document, "computer-generated", page x of y — then the finished bytes. */
export async function finishPdf(pdf: Pdf, documentLabel: string): Promise<Buffer> {
  const footerNote = `${documentLabel}. This is a computer-generated document; amounts are in Indian Rupees (Rs.).`;
  const { doc } = pdf;
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    doc.switchToPage(page);
    const y = PAGE.height - PAGE.margin - 14;
    // Writing below the bottom margin would make pdfkit add a page; lift the margin for the footer.
    doc.page.margins.bottom = 0;
    write(pdf, footerNote, PAGE.margin, y, { width: CONTENT_WIDTH - 80, size: 7, color: MUTED });
    write(pdf, `Page ${page - range.start + 1} of ${range.count}`, PAGE.width - PAGE.margin - 80, y, {
      width: 80,
      size: 7,
      color: MUTED,
      align: 'right',
    });
  }
  doc.end();
  return done;
}
