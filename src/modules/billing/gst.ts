/**
 * GST on one invoice, defined once.
 *
 * Rounding: tax is computed PER LINE and PER COMPONENT from the line's taxable value and rounded
 * half up to the paisa (`mulDivRoundHalfUp`); CGST and SGST are each charged at half the rate
 * (taxable × rate ÷ 2, rounded), so they are always equal; IGST is charged at the full rate.
 * Invoice totals are sums of the rounded line amounts, so the printed lines always add up to the
 * printed totals. Why per line: CGST Rule 46(1)(j)–(l) asks for the taxable value, rate and
 * amount of tax of each line; Section 170 of the CGST Act rounds to the rupee only what is paid
 * to the government in returns, not invoice amounts, so no rupee round-off is applied here.
 *
 * Exempt supplies: a line that is exempt (health care services, SAC 9993) or nil-rated (0 %) is
 * an "exempt supply" (CGST Act s. 2(47)) and carries no tax. An invoice with only exempt lines is
 * a bill of supply (Rule 49), only taxable lines a tax invoice (Rule 46), both an
 * invoice-cum-bill of supply (Rule 46A).
 *
 * Place of supply: CGST + SGST when it is the clinic's own state, IGST otherwise.
 */
import { AppError } from '../../platform/errors.js';
import { assertWhole, mulDivRoundHalfUp } from './money.js';

/** The GST documents a sale can produce. */
export const DOCUMENT_TYPES = ['tax_invoice', 'bill_of_supply', 'invoice_cum_bill_of_supply'] as const;
/** One sale document type. */
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Intra-state (CGST + SGST) or inter-state (IGST). */
export type Supply = 'intra_state' | 'inter_state';

/** What tax needs to know about a line: quantity × price, the discount on it, and its rate. */
export interface LinePricing {
  quantity: number;
  unitPricePaise: number;
  discountPaise: number;
  exempt: boolean;
  rateBp: number;
}

/** A line with its tax worked out, all in paise. */
export interface LineTax {
  grossPaise: number;
  discountPaise: number;
  taxablePaise: number;
  /** True for exempt and nil-rated lines (no tax). */
  exempt: boolean;
  /** The GST rate applied (0 when exempt). */
  rateBp: number;
  cgstPaise: number;
  sgstPaise: number;
  igstPaise: number;
  taxPaise: number;
  totalPaise: number;
}

/** Sums of the rounded lines. `taxablePaise` is the value of taxable supplies, `exemptPaise` of exempt ones (both after discount). */
export interface TaxTotals {
  grossPaise: number;
  discountPaise: number;
  taxablePaise: number;
  exemptPaise: number;
  cgstPaise: number;
  sgstPaise: number;
  igstPaise: number;
  taxPaise: number;
  totalPaise: number;
}

/** Exempt or nil-rated: no tax, and the line belongs on a bill of supply. */
export function isExemptSupply(exempt: boolean, rateBp: number): boolean {
  return exempt || rateBp === 0;
}

/** quantity × unit price, exactly. */
export function grossOf(quantity: number, unitPricePaise: number): number {
  return mulDivRoundHalfUp(quantity, unitPricePaise, 1);
}

/** CGST + SGST for a clinic supplying within its own state, IGST otherwise. */
export function supplyOf(clinicStateCode: string, placeOfSupplyStateCode: string): Supply {
  return clinicStateCode === placeOfSupplyStateCode ? 'intra_state' : 'inter_state';
}

/** Works out one line's taxable value and tax (see the file comment for the rounding). */
export function taxLine(line: LinePricing, supply: Supply): LineTax {
  assertWhole(line.quantity, 'quantity');
  assertWhole(line.unitPricePaise, 'unitPricePaise');
  assertWhole(line.discountPaise, 'discountPaise');
  assertWhole(line.rateBp, 'rateBp');
  const grossPaise = grossOf(line.quantity, line.unitPricePaise);
  if (line.discountPaise > grossPaise)
    throw new AppError('money_invalid', 500, 'a discount cannot exceed the line value');
  const taxablePaise = grossPaise - line.discountPaise;
  const exempt = isExemptSupply(line.exempt, line.rateBp);
  const rateBp = exempt ? 0 : line.rateBp;
  const half = supply === 'intra_state' ? mulDivRoundHalfUp(taxablePaise, rateBp, 20_000) : 0;
  const igstPaise = supply === 'inter_state' ? mulDivRoundHalfUp(taxablePaise, rateBp, 10_000) : 0;
  const taxPaise = half * 2 + igstPaise;
  return {
    grossPaise,
    discountPaise: line.discountPaise,
    taxablePaise,
    exempt,
    rateBp,
    cgstPaise: half,
    sgstPaise: half,
    igstPaise,
    taxPaise,
    totalPaise: taxablePaise + taxPaise,
  };
}

/** Totals as sums of the already rounded lines. */
export function sumTaxTotals(lines: readonly LineTax[]): TaxTotals {
  const totals: TaxTotals = {
    grossPaise: 0,
    discountPaise: 0,
    taxablePaise: 0,
    exemptPaise: 0,
    cgstPaise: 0,
    sgstPaise: 0,
    igstPaise: 0,
    taxPaise: 0,
    totalPaise: 0,
  };
  for (const line of lines) {
    totals.grossPaise += line.grossPaise;
    totals.discountPaise += line.discountPaise;
    if (line.exempt) totals.exemptPaise += line.taxablePaise;
    else totals.taxablePaise += line.taxablePaise;
    totals.cgstPaise += line.cgstPaise;
    totals.sgstPaise += line.sgstPaise;
    totals.igstPaise += line.igstPaise;
    totals.taxPaise += line.taxPaise;
    totals.totalPaise += line.totalPaise;
  }
  return totals;
}

/** Bill of supply (all exempt), tax invoice (all taxable) or invoice-cum-bill of supply (both). */
export function documentTypeOf(lines: readonly { exempt: boolean }[]): DocumentType {
  const exempt = lines.filter((line) => line.exempt).length;
  if (exempt === lines.length) return 'bill_of_supply';
  return exempt === 0 ? 'tax_invoice' : 'invoice_cum_bill_of_supply';
}
