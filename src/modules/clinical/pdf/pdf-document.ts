/** A pdfkit document set up the way every clinical PDF is (A4, margins, buffered pages for footers) and its bytes. */
import PDFDocument from 'pdfkit';
import { registerFonts } from './fonts.js';
import type { FontSet, Weight } from './fonts.js';
import { fontFor } from './fonts.js';

/** A document being drawn, with its fonts. */
export interface Page {
  doc: PDFKit.PDFDocument;
  fonts: FontSet;
}

/** Page geometry shared by the documents (points). */
export const LAYOUT = {
  margin: 48,
  footerHeight: 36,
  ink: '#1f2933',
  muted: '#5f6b7a',
  rule: '#c5ccd6',
  accent: '#0b5c73',
} as const;

/** A new A4 document titled `title`. */
export function createPage(title: string, author: string): Page {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: LAYOUT.margin, bottom: LAYOUT.margin, left: LAYOUT.margin, right: LAYOUT.margin },
    bufferPages: true,
    info: { Title: title, Author: author, Creator: 'CINIC' },
  });
  return { doc, fonts: registerFonts(doc) };
}

/** Sets `text` in the right font for its script and weight. */
export function write(
  page: Page,
  text: string,
  weight: Weight,
  size: number,
  options: PDFKit.Mixins.TextOptions & { x?: number; y?: number; color?: string } = {},
): void {
  const { x, y, color, ...rest } = options;
  const chosen = fontFor(page.fonts, text, weight);
  page.doc
    .font(chosen.font)
    .fontSize(size)
    .fillColor(color ?? LAYOUT.ink);
  if (x !== undefined && y !== undefined) page.doc.text(chosen.text, x, y, rest);
  else page.doc.text(chosen.text, rest);
}

/** The height `text` takes in `width` at `size`. */
export function heightOf(page: Page, text: string, weight: Weight, size: number, width: number): number {
  const chosen = fontFor(page.fonts, text, weight);
  return page.doc.font(chosen.font).fontSize(size).heightOfString(chosen.text, { width });
}

/** The width `text` takes on one line at `size`. */
export function widthOf(page: Page, text: string, weight: Weight, size: number): number {
  const chosen = fontFor(page.fonts, text, weight);
  return page.doc.font(chosen.font).fontSize(size).widthOfString(chosen.text);
}

/** Width of the text column. */
export function contentWidth(page: Page): number {
  return page.doc.page.width - LAYOUT.margin * 2;
}

/** The lowest y body content may reach before the footer. */
export function bottomLimit(page: Page): number {
  return page.doc.page.height - LAYOUT.margin - LAYOUT.footerHeight;
}

/** Starts a new page when `height` more points would run into the footer. */
export function ensureSpace(page: Page, height: number): void {
  if (page.doc.y + height > bottomLimit(page)) page.doc.addPage();
}

/** A thin horizontal rule at the current position. */
export function rule(page: Page, gap = 8): void {
  const { doc } = page;
  doc.moveDown(gap / 12);
  doc
    .moveTo(LAYOUT.margin, doc.y)
    .lineTo(doc.page.width - LAYOUT.margin, doc.y)
    .lineWidth(0.7)
    .strokeColor(LAYOUT.rule)
    .stroke();
  doc.moveDown(gap / 12);
}

/** Ends the document and resolves with its bytes. */
export function finish(page: Page): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    page.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    page.doc.on('end', () => resolve(Buffer.concat(chunks)));
    page.doc.on('error', reject);
    page.doc.end();
  });
}
