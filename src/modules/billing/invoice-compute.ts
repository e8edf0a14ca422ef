/**
 * The one way an invoice's figures are worked out, for drafts and at issue: discounts onto lines
 * (discounts.ts), tax per line (gst.ts), totals as sums of the lines, the document type and the
 * amount in words. Pure: the same inputs always give the same invoice.
 */
import type { Types } from 'mongoose';
import { amountInWords } from './amount-in-words.js';
import { applyDiscounts } from './discounts.js';
import type { DiscountRule } from './discounts.js';
import { documentTypeOf, grossOf, sumTaxTotals, taxLine } from './gst.js';
import type { DocumentType, Supply } from './gst.js';
import type { InvoiceLine, InvoiceTotals } from './invoice.model.js';
import type { ItemKind, TaxCode } from './price-item.model.js';

/** A line before tax: what was sold, how many, at what price and tax treatment. */
export interface DraftLine {
  lineId: string;
  kind: ItemKind;
  priceItemId?: Types.ObjectId;
  description: string;
  taxCode: TaxCode;
  unit: string;
  quantity: number;
  unitPricePaise: number;
  exempt: boolean;
  rateBp: number;
}

/** The worked-out invoice. */
export interface ComputedInvoice {
  lines: InvoiceLine[];
  totals: InvoiceTotals;
  documentType: DocumentType;
  amountInWords: string;
  /** What each discount request came to, in the order given. */
  appliedDiscounts: number[];
}

/** Discount, tax, totals, type and words for `lines` under `discounts` and `supply`. */
export function computeInvoice(
  lines: readonly DraftLine[],
  discounts: readonly DiscountRule[],
  supply: Supply,
): ComputedInvoice {
  const { perLine, perRule } = applyDiscounts(
    lines.map((line) => ({ lineId: line.lineId, grossPaise: grossOf(line.quantity, line.unitPricePaise) })),
    discounts,
  );
  const computed = lines.map((line, index): InvoiceLine => {
    const tax = taxLine(
      {
        quantity: line.quantity,
        unitPricePaise: line.unitPricePaise,
        discountPaise: perLine[index]!,
        exempt: line.exempt,
        rateBp: line.rateBp,
      },
      supply,
    );
    return {
      lineId: line.lineId,
      kind: line.kind,
      ...(line.priceItemId ? { priceItemId: line.priceItemId } : {}),
      description: line.description,
      taxCode: { scheme: line.taxCode.scheme, code: line.taxCode.code },
      unit: line.unit,
      quantity: line.quantity,
      unitPricePaise: line.unitPricePaise,
      exempt: tax.exempt,
      rateBp: tax.rateBp,
      grossPaise: tax.grossPaise,
      discountPaise: tax.discountPaise,
      taxablePaise: tax.taxablePaise,
      cgstPaise: tax.cgstPaise,
      sgstPaise: tax.sgstPaise,
      igstPaise: tax.igstPaise,
      totalPaise: tax.totalPaise,
    };
  });
  const totals = sumTaxTotals(
    computed.map((line) => ({ ...line, taxPaise: line.cgstPaise + line.sgstPaise + line.igstPaise })),
  );
  return {
    lines: computed,
    totals,
    documentType: documentTypeOf(computed),
    amountInWords: amountInWords(totals.totalPaise),
    appliedDiscounts: perRule,
  };
}

/** The bill-wide discount as a percentage of the gross (exact for the limit check: whole paise ratio). */
export function discountPercentOf(totals: Pick<InvoiceTotals, 'grossPaise' | 'discountPaise'>): number {
  return totals.grossPaise === 0 ? 0 : (totals.discountPaise * 100) / totals.grossPaise;
}
