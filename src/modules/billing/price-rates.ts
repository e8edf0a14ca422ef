/** Reading a price item's GST rate history: which rate is in force on a given day. */
import type { RateEntry } from './price-item.model.js';

/** The tax treatment of a line on one day. */
export interface TaxTreatment {
  exempt: boolean;
  rateBp: number;
}

/** SAC 9993, human health and social care services: consultations are exempt health care. */
export const CONSULTATION_SAC = '9993';

/** The rate entry in force on `localDate` (the latest that starts on or before it), or null before the first. */
export function rateOn(
  rates: readonly Pick<RateEntry, 'effectiveFrom' | 'rateBp' | 'exempt'>[],
  localDate: string,
): TaxTreatment | null {
  let current: TaxTreatment | null = null;
  let from = '';
  for (const entry of rates) {
    if (entry.effectiveFrom <= localDate && entry.effectiveFrom >= from) {
      from = entry.effectiveFrom;
      current = { exempt: entry.exempt, rateBp: entry.exempt ? 0 : entry.rateBp };
    }
  }
  return current;
}
