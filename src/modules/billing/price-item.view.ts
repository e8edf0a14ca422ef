/** What callers see of a price item. */
import { formatPercent } from './money.js';
import type { ItemKind, PriceItemRecord, TaxCode } from './price-item.model.js';
import { rateOn } from './price-rates.js';
import type { TaxTreatment } from './price-rates.js';

/** A price item as the API returns it, with its rate history and today's rate. */
export interface PriceItemView {
  id: string;
  code: string;
  name: string;
  kind: ItemKind;
  doctorId?: string;
  speciality?: string;
  taxCode: TaxCode;
  unitPricePaise: number;
  unit: string;
  active: boolean;
  rates: { effectiveFrom: string; exempt: boolean; rateBp: number; ratePercent: string }[];
  /** The rate in force today (clinic-local), or null before the first rate starts. */
  currentRate: (TaxTreatment & { ratePercent: string }) | null;
  version: number;
}

/** Maps a stored item to its view; `today` is the clinic-local date. */
export function toPriceItemView(doc: PriceItemRecord, today: string): PriceItemView {
  const rates = [...doc.rates]
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))
    .map((rate) => ({
      effectiveFrom: rate.effectiveFrom,
      exempt: rate.exempt,
      rateBp: rate.rateBp,
      ratePercent: formatPercent(rate.rateBp),
    }));
  const current = rateOn(doc.rates, today);
  return {
    id: String(doc._id),
    code: doc.code,
    name: doc.name,
    kind: doc.kind,
    ...(doc.doctorId ? { doctorId: String(doc.doctorId) } : {}),
    ...(doc.speciality ? { speciality: doc.speciality } : {}),
    taxCode: { scheme: doc.taxCode.scheme, code: doc.taxCode.code },
    unitPricePaise: doc.unitPricePaise,
    unit: doc.unit,
    active: doc.active,
    rates,
    currentRate: current ? { ...current, ratePercent: formatPercent(current.rateBp) } : null,
    version: doc.version,
  };
}
