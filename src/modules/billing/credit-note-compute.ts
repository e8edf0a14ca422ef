/**
 * How much of each invoice line and tax a credit note gives back. The amount is spread over
 * everything the invoice still carries — each line's taxable value, CGST, SGST and IGST, less
 * what earlier credit notes took — in proportion (largest remainder), so the note totals exactly
 * the amount, never credits more of a line or tax than remains, and a note for the whole
 * remainder credits it exactly. A note for one line (a returned item) spreads only over that line. On a partial note CGST and SGST can differ by a paisa when the
 * tax being returned is an odd number of paise.
 */
import { AppError } from '../../platform/errors.js';
import { amountInWords } from './amount-in-words.js';
import type { CreditNoteLine, CreditNoteTotals } from './credit-note.model.js';
import type { InvoiceLine } from './invoice.model.js';
import { allocateProportionally } from './money.js';

const COMPONENTS = ['taxablePaise', 'cgstPaise', 'sgstPaise', 'igstPaise'] as const;

/** What remains creditable of each invoice line after earlier notes. */
export function remainingLines(
  lines: readonly InvoiceLine[],
  earlier: readonly (readonly CreditNoteLine[])[],
): InvoiceLine[] {
  return lines.map((line) => {
    const taken = earlier.flat().filter((credited) => credited.lineId === line.lineId);
    const left = { ...line };
    for (const component of COMPONENTS)
      left[component] = line[component] - taken.reduce((sum, credited) => sum + credited[component], 0);
    left.totalPaise = left.taxablePaise + left.cgstPaise + left.sgstPaise + left.igstPaise;
    return left;
  });
}

/** The lines, totals and words of a credit note for `amountPaise` of what remains (of one line when `lineId` is given). */
export function creditNoteFigures(
  remaining: readonly InvoiceLine[],
  amountPaise: number,
  lineId?: string,
): { lines: CreditNoteLine[]; totals: CreditNoteTotals; amountInWords: string } {
  if (lineId !== undefined && !remaining.some((line) => line.lineId === lineId))
    throw new AppError('not_found', 404, 'Invoice line not found');
  const weights = remaining.flatMap((line) =>
    COMPONENTS.map((component) => (lineId === undefined || line.lineId === lineId ? line[component] : 0)),
  );
  const available = weights.reduce((sum, weight) => sum + weight, 0);
  if (amountPaise <= 0 || amountPaise > available)
    throw new AppError(
      'credit_exceeds_invoice',
      422,
      `At most ${available} paise of this invoice can still be credited`,
      { creditablePaise: available },
    );
  const parts = allocateProportionally(amountPaise, weights);
  const lines: CreditNoteLine[] = [];
  remaining.forEach((line, index) => {
    const [taxablePaise, cgstPaise, sgstPaise, igstPaise] = parts.slice(index * 4, index * 4 + 4) as [
      number,
      number,
      number,
      number,
    ];
    const totalPaise = taxablePaise + cgstPaise + sgstPaise + igstPaise;
    if (totalPaise === 0) return;
    lines.push({
      lineId: line.lineId,
      kind: line.kind,
      description: line.description,
      taxCode: { ...line.taxCode },
      exempt: line.exempt,
      rateBp: line.rateBp,
      taxablePaise,
      cgstPaise,
      sgstPaise,
      igstPaise,
      totalPaise,
    });
  });
  const totals: CreditNoteTotals = {
    taxablePaise: 0,
    exemptPaise: 0,
    cgstPaise: 0,
    sgstPaise: 0,
    igstPaise: 0,
    taxPaise: 0,
    totalPaise: 0,
  };
  for (const line of lines) {
    if (line.exempt) totals.exemptPaise += line.taxablePaise;
    else totals.taxablePaise += line.taxablePaise;
    totals.cgstPaise += line.cgstPaise;
    totals.sgstPaise += line.sgstPaise;
    totals.igstPaise += line.igstPaise;
    totals.taxPaise += line.cgstPaise + line.sgstPaise + line.igstPaise;
    totals.totalPaise += line.totalPaise;
  }
  return { lines, totals, amountInWords: amountInWords(totals.totalPaise) };
}
