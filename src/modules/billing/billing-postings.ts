/**
 * What each billing event posts to the journal. Every posting balances by construction and is
 * keyed by its source, so a retried operation posts once:
 *
 *   invoice issued   Dr receivable (total), Dr discounts allowed │ Cr revenue (gross), Cr output tax
 *   invoice voided   the exact reverse of its issue posting
 *   payment          Dr cash / bank / Razorpay clearing          │ Cr receivable
 *   payment refused  Dr Razorpay clearing                        │ Cr refunds payable   (online money we must return)
 *   credit note      Dr revenue (taxable), Dr output tax         │ Cr refunds payable (refund) or receivable (correction)
 *   refund paid      Dr refunds payable                          │ Cr cash / bank / Razorpay clearing
 */
import type { Account } from '../ledger/accounts.js';
import type { JournalLine } from '../ledger/journal.model.js';
import { credit, debit, post } from '../ledger/ledger.service.js';
import type { InvoiceRecord, InvoiceTotals } from './invoice.model.js';
import type { ItemKind } from './price-item.model.js';

/** Where counter and online money sits: cash in the till, card/UPI at the desk in the bank, online at Razorpay. */
export function moneyAccountOf(payment: { provider?: string | null; method: string }): Account {
  if (payment.provider) return 'razorpay_clearing';
  return payment.method === 'cash' ? 'cash' : 'bank';
}

function revenueAccountOf(kind: ItemKind): Account {
  return kind === 'consultation' ? 'consultation_revenue' : 'other_revenue';
}

function taxLines(
  side: typeof debit,
  amounts: Pick<InvoiceTotals, 'cgstPaise' | 'sgstPaise' | 'igstPaise'>,
): JournalLine[] {
  return [
    side('output_cgst', amounts.cgstPaise),
    side('output_sgst', amounts.sgstPaise),
    side('output_igst', amounts.igstPaise),
  ];
}

/** The issue posting of an invoice: revenue at gross, discount separately, tax per component. */
export function invoiceIssueLines(invoice: Pick<InvoiceRecord, 'lines' | 'totals'>): JournalLine[] {
  return [
    debit('patient_receivable', invoice.totals.totalPaise),
    debit('discounts_allowed', invoice.totals.discountPaise),
    ...invoice.lines.map((line) => credit(revenueAccountOf(line.kind), line.grossPaise)),
    ...taxLines(credit, invoice.totals),
  ];
}

/** The same lines with debits and credits swapped (a void reverses an issue). */
export function reversed(lines: readonly JournalLine[]): JournalLine[] {
  return lines.map((line) => ({ account: line.account, debitPaise: line.creditPaise, creditPaise: line.debitPaise }));
}

/** One credit-note line: the taxable value and tax it gives back on one invoice line. */
export interface CreditedLine {
  kind: ItemKind;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  igstPaise: number;
  totalPaise: number;
}

/** The credit-note posting: revenue and tax back, owed to the patient (refund) or off what they owe (correction). */
export function creditNoteLines(
  lines: readonly CreditedLine[],
  creditTo: 'refunds_payable' | 'patient_receivable',
): JournalLine[] {
  const total = lines.reduce((sum, line) => sum + line.totalPaise, 0);
  return [
    ...lines.map((line) => debit(revenueAccountOf(line.kind), line.taxablePaise)),
    ...lines.flatMap((line) => taxLines(debit, line)),
    credit(creditTo, total),
  ];
}

interface PostingSource {
  clinicId: string;
  id: string;
  localDate: string;
  at: Date;
  memo?: string;
}

/** Posts an issued invoice (idempotent). */
export async function postInvoiceIssued(invoice: InvoiceRecord): Promise<void> {
  await post({
    clinicId: String(invoice.clinicId),
    sourceKey: `invoice|${String(invoice._id)}`,
    kind: 'invoice',
    source: { type: 'invoice', id: String(invoice._id) },
    localDate: invoice.invoiceDate!,
    postedAt: invoice.issuedAt ?? new Date(),
    ...(invoice.number ? { memo: invoice.number } : {}),
    lines: invoiceIssueLines(invoice),
  });
}

/** Posts the reversal of a voided invoice (idempotent). */
export async function postInvoiceVoided(invoice: InvoiceRecord, localDate: string): Promise<void> {
  await post({
    clinicId: String(invoice.clinicId),
    sourceKey: `invoice-void|${String(invoice._id)}`,
    kind: 'invoice_void',
    source: { type: 'invoice', id: String(invoice._id) },
    localDate,
    postedAt: invoice.voidedAt ?? new Date(),
    ...(invoice.number ? { memo: `void ${invoice.number}` } : {}),
    lines: reversed(invoiceIssueLines(invoice)),
  });
}

/** Posts money received against an invoice (idempotent). */
export async function postPayment(source: PostingSource, amountPaise: number, account: Account): Promise<void> {
  await post({
    clinicId: source.clinicId,
    sourceKey: `payment|${source.id}`,
    kind: 'payment',
    source: { type: 'payment', id: source.id },
    localDate: source.localDate,
    postedAt: source.at,
    ...(source.memo ? { memo: source.memo } : {}),
    lines: [debit(account, amountPaise), credit('patient_receivable', amountPaise)],
  });
}

/** Posts online money that could not be applied to its invoice: it is owed back (idempotent). */
export async function postUnappliedPayment(source: PostingSource, amountPaise: number): Promise<void> {
  await post({
    clinicId: source.clinicId,
    sourceKey: `payment-unapplied|${source.id}`,
    kind: 'payment_unapplied',
    source: { type: 'payment', id: source.id },
    localDate: source.localDate,
    postedAt: source.at,
    lines: [debit('razorpay_clearing', amountPaise), credit('refunds_payable', amountPaise)],
  });
}

/** Posts a credit note (idempotent). */
export async function postCreditNote(
  source: PostingSource,
  lines: readonly CreditedLine[],
  creditTo: 'refunds_payable' | 'patient_receivable',
): Promise<void> {
  await post({
    clinicId: source.clinicId,
    sourceKey: `credit-note|${source.id}`,
    kind: 'credit_note',
    source: { type: 'credit_note', id: source.id },
    localDate: source.localDate,
    postedAt: source.at,
    ...(source.memo ? { memo: source.memo } : {}),
    lines: creditNoteLines(lines, creditTo),
  });
}

/** Posts money paid back to a patient (idempotent). */
export async function postRefundPaid(source: PostingSource, amountPaise: number, account: Account): Promise<void> {
  await post({
    clinicId: source.clinicId,
    sourceKey: `refund|${source.id}`,
    kind: 'refund',
    source: { type: 'refund', id: source.id },
    localDate: source.localDate,
    postedAt: source.at,
    ...(source.memo ? { memo: source.memo } : {}),
    lines: [debit('refunds_payable', amountPaise), credit(account, amountPaise)],
  });
}
