/** What callers see of a credit note. */
import type { CreditNoteLine, CreditNoteRecord, CreditNoteTotals } from './credit-note.model.js';

/** A credit note as the API returns it. */
export interface CreditNoteView {
  id: string;
  status: CreditNoteRecord['status'];
  number?: string;
  date: string;
  kind: 'refund' | 'correction';
  invoice: { id: string; number: string; date: string };
  refundId?: string;
  reason: string;
  lines: CreditNoteLine[];
  totals: CreditNoteTotals;
  amountInWords: string;
}

/** Maps a stored credit note to its view. */
export function toCreditNoteView(doc: CreditNoteRecord): CreditNoteView {
  return {
    id: String(doc._id),
    status: doc.status,
    ...(doc.number ? { number: doc.number } : {}),
    date: doc.localDate,
    kind: doc.kind,
    invoice: { id: String(doc.invoiceId), number: doc.invoiceNumber, date: doc.invoiceDate },
    ...(doc.refundId ? { refundId: String(doc.refundId) } : {}),
    reason: doc.reason,
    lines: doc.lines,
    totals: doc.totals,
    amountInWords: doc.amountInWords,
  };
}
