/**
 * Fonts for clinical PDFs. The built-in Helvetica covers English (Windows-1252) without any font
 * file; instructions and diet notes are often written in Hindi, which needs a Devanagari font,
 * and other scripts need a Unicode font. Those are taken from the system when present (Debian:
 * fonts-lohit-deva, fonts-dejavu-core); without them such text cannot be shown and is printed
 * as "?" rather than as wrong glyphs.
 */
import { existsSync } from 'node:fs';

/** Text weights the documents use. */
export type Weight = 'regular' | 'bold' | 'italic';

/** The fonts registered on a document, by role. */
export interface FontSet {
  devanagari?: string;
  unicode?: { regular: string; bold: string };
}

const DEVANAGARI_FILES = [
  '/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf',
  '/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf',
];
const UNICODE_FILES = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
};

const devanagariFile = DEVANAGARI_FILES.find((file) => existsSync(file));
const unicodeAvailable = existsSync(UNICODE_FILES.regular) && existsSync(UNICODE_FILES.bold);

const BUILT_IN: Record<Weight, string> = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };
const DEVANAGARI = /[\u0900-\u097F]/;
/** What Helvetica's Windows-1252 encoding can show. */
const WIN_ANSI = /^[\u0020-\u00FF\n\r\t\u2013\u2014\u2018\u2019\u201C\u201D\u2022\u2026\u20AC\u2122]*$/;

/** Registers whatever extra fonts this machine has on `doc`. */
export function registerFonts(doc: PDFKit.PDFDocument): FontSet {
  const fonts: FontSet = {};
  if (devanagariFile) {
    doc.registerFont('devanagari', devanagariFile);
    fonts.devanagari = 'devanagari';
  }
  if (unicodeAvailable) {
    doc.registerFont('unicode', UNICODE_FILES.regular);
    doc.registerFont('unicode-bold', UNICODE_FILES.bold);
    fonts.unicode = { regular: 'unicode', bold: 'unicode-bold' };
  }
  return fonts;
}

/** The font to set `text` in, and the text itself (with unshowable characters replaced). */
export function fontFor(fonts: FontSet, text: string, weight: Weight): { font: string; text: string } {
  if (WIN_ANSI.test(text)) return { font: BUILT_IN[weight], text };
  if (DEVANAGARI.test(text) && fonts.devanagari) return { font: fonts.devanagari, text };
  if (fonts.unicode) return { font: weight === 'bold' ? fonts.unicode.bold : fonts.unicode.regular, text };
  return { font: BUILT_IN[weight], text: [...text].map((char) => (WIN_ANSI.test(char) ? char : '?')).join('') };
}
