/**
 * Indian financial years (1 April – 31 March) and the document numbers that restart with each.
 * A number is `<series>/<year>/<seq>`, e.g. `INV/2026-27/0001`: at most 16 characters, as CGST
 * Rule 46(b) allows, made of letters, digits, `/` and `-` only.
 */
import { AppError } from '../../platform/errors.js';
import { parseLocalDate } from '../scheduling/clinic-time.js';
import type { LocalDate } from '../scheduling/clinic-time.js';

/** Longest document number Rule 46(b) allows. */
export const MAX_DOCUMENT_NUMBER_LENGTH = 16;

/** The financial year of a clinic-local date: 2027-03-31 → "2026-27", 2027-04-01 → "2027-28". */
export function financialYearOf(localDate: LocalDate): string {
  const { year, month } = parseLocalDate(localDate);
  const start = month >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/**
 * The printed number: `INV/2026-27/0001`. The sequence is padded to four digits; a series that
 * outgrows 9999 in a year keeps within 16 characters by writing the year short (`INV/26-27/10000`).
 */
export function formatDocumentNumber(series: string, financialYear: string, seq: number): string {
  const digits = String(seq).padStart(4, '0');
  const long = `${series}/${financialYear}/${digits}`;
  if (long.length <= MAX_DOCUMENT_NUMBER_LENGTH) return long;
  const short = `${series}/${financialYear.slice(2)}/${digits}`;
  if (short.length <= MAX_DOCUMENT_NUMBER_LENGTH) return short;
  throw new AppError(
    'document_number_exhausted',
    500,
    `Series ${series} ran out of 16-character numbers in ${financialYear}`,
  );
}
