/**
 * Issuing and voiding invoices.
 *
 * Issue is three steps, each safe to repeat: (1) claim the draft — one conditional write moves
 * it to `issuing` with its final figures (rates in force on the issue date) and its date, so two
 * racing issuers cannot both win and nobody can edit it meanwhile; (2) take the next number of
 * its series for that date's financial year (document-numbers.ts, one number per invoice even if
 * retried); (3) write the number and `issued`. Then post it to the ledger (idempotent), store the
 * PDF, audit and publish. An invoice left in `issuing` by a crash is finished by issuing again.
 *
 * Void: a draft may be discarded; an issued invoice with nothing paid or credited may be voided
 * with a reason by accounts or admin. It keeps its number (a gap would be worse), its issue
 * posting is reversed, and its PDF is stamped CANCELLED.
 */
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { publish } from '../../platform/domain-events.js';
import { conflict, unprocessable } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getClinic } from '../clinics/clinic.service.js';
import { patientRecord } from '../patients/patient.service.js';
import { localDateOf } from '../scheduling/clinic-time.js';
import { postInvoiceIssued, postInvoiceVoided } from './billing-postings.js';
import { allocateNumber } from './document-numbers.js';
import { documentKey, storedPdf, storePdfQuietly, unicodeFontPath } from './documents/document-store.js';
import { renderInvoicePdf } from './documents/invoice.pdf.js';
import { computeInvoice } from './invoice-compute.js';
import { assertSupplierCanIssue, placeOfSupplyOf, supplierOf } from './invoice-parts.js';
import { Invoice } from './invoice.model.js';
import type { InvoiceRecord } from './invoice.model.js';
import { loadInvoiceRecord } from './invoice.service.js';
import { DOCUMENT_SERIES, toInvoiceView } from './invoice.view.js';
import type { InvoiceView } from './invoice.view.js';
import { priceItemsById } from './price-item.service.js';
import { rateOn } from './price-rates.js';

/** Options of `issueInvoice`. */
export interface IssueOptions {
  /** The issue instant (default now); it fixes the invoice date, the rates and the financial year. */
  at?: Date;
}

/** Where an issued invoice's PDF is stored. */
export function pdfKeyOf(invoice: Pick<InvoiceRecord, 'clinicId' | '_id'>): string {
  return documentKey(String(invoice.clinicId), 'invoices', String(invoice._id));
}

/** Lines re-taxed with the rates in force on `localDate` (items may have changed rate since drafting). */
async function linesAsOf(invoice: InvoiceRecord, localDate: string) {
  const items = await priceItemsById(
    String(invoice.clinicId),
    invoice.lines.flatMap((line) => (line.priceItemId ? [String(line.priceItemId)] : [])),
  );
  return invoice.lines.map((line) => {
    const item = line.priceItemId ? items.get(String(line.priceItemId)) : undefined;
    if (!item) return line;
    const treatment = rateOn(item.rates, localDate);
    if (!treatment)
      throw unprocessable(`Price item ${item.code} has no GST rate in force on ${localDate}`, {
        reason: 'no_rate_in_force',
        priceItemId: String(item._id),
        date: localDate,
      });
    return { ...line, ...treatment };
  });
}

async function claimDraft(actor: Actor, invoice: InvoiceRecord, at: Date): Promise<InvoiceRecord> {
  if (invoice.lines.length === 0) throw unprocessable('An invoice needs at least one line', { reason: 'no_lines' });
  // The name printed is the patient's name as registered at issue.
  const [clinic, patient] = await Promise.all([
    getClinic(actor.clinicId),
    patientRecord(actor.clinicId, invoice.patientId),
  ]);
  const localDate = localDateOf(at, clinic.timezone);
  const { placeOfSupply, supply } = placeOfSupplyOf(clinic, invoice.patientStateCode);
  const computed = computeInvoice(await linesAsOf(invoice, localDate), invoice.discounts, supply);
  assertSupplierCanIssue(clinic, computed.documentType !== 'bill_of_supply');
  const claimed = await Invoice.findOneAndUpdate(
    { _id: invoice._id, clinicId: invoice.clinicId, status: 'draft', version: invoice.version },
    {
      $set: {
        status: 'issuing',
        issuingAt: at,
        invoiceDate: localDate,
        documentType: computed.documentType,
        lines: computed.lines,
        discounts: invoice.discounts.map((discount, index) => ({
          ...discount,
          appliedPaise: computed.appliedDiscounts[index],
        })),
        totals: computed.totals,
        amountInWords: computed.amountInWords,
        placeOfSupply,
        supply,
        supplier: supplierOf(clinic),
        ...(patient ? { patientName: patient.name, patientCode: patient.code } : {}),
      },
      $inc: { version: 1 },
    },
    { new: true },
  ).lean<InvoiceRecord>();
  if (!claimed)
    throw conflict('The invoice changed or is being issued by someone else; reload it', { reason: 'stale_version' });
  return claimed;
}

/** Steps 2 and 3: number, then `issued` (or `paid` when nothing is due). Returns the invoice and whether this call finished it. */
async function numberAndIssue(invoice: InvoiceRecord): Promise<{ invoice: InvoiceRecord; finished: boolean }> {
  const allocated = await allocateNumber(
    String(invoice.clinicId),
    DOCUMENT_SERIES[invoice.documentType],
    invoice.invoiceDate!,
    `invoice|${String(invoice._id)}`,
  );
  const issued = await Invoice.findOneAndUpdate(
    { _id: invoice._id, clinicId: invoice.clinicId, status: 'issuing' },
    {
      $set: {
        status: invoice.totals.totalPaise === 0 ? 'paid' : 'issued',
        number: allocated.number,
        series: allocated.series,
        financialYear: allocated.financialYear,
        seq: allocated.seq,
        issuedAt: invoice.issuingAt,
        duePaise: invoice.totals.totalPaise,
        pdfKey: pdfKeyOf(invoice),
      },
      $inc: { version: 1 },
    },
    { new: true },
  ).lean<InvoiceRecord>();
  if (issued) return { invoice: issued, finished: true };
  // A concurrent retry finished it first.
  return { invoice: await loadInvoiceRecord(String(invoice.clinicId), invoice._id), finished: false };
}

/**
 * Issues a draft: final figures at the issue date, a number from its series, the ledger posting
 * and the stored PDF. 409 when it is already issued (with its number) or changed meanwhile;
 * 422 when the clinic profile cannot issue it (tax invoice without GSTIN) or a rate is missing.
 */
export async function issueInvoice(actor: Actor, invoiceId: string, options: IssueOptions = {}): Promise<InvoiceView> {
  let invoice = await loadInvoiceRecord(actor.clinicId, invoiceId);
  assertCan(actor, 'create', 'invoices', { clinicId: invoice.clinicId, patientId: invoice.patientId });
  if (invoice.status === 'draft') invoice = await claimDraft(actor, invoice, options.at ?? new Date());
  else if (invoice.status !== 'issuing') {
    throw conflict(`The invoice is already ${invoice.status}`, {
      reason: 'already_issued',
      currentStatus: invoice.status,
      ...(invoice.number ? { number: invoice.number } : {}),
    });
  }
  const { invoice: issued, finished } = await numberAndIssue(invoice);
  await postInvoiceIssued(issued);
  await storePdfQuietly(pdfKeyOf(issued), () => renderInvoicePdf(issued, unicodeFontPath()));
  if (finished) {
    await audit.record({
      actor,
      action: 'invoice.issued',
      entity: { type: 'invoice', id: String(issued._id) },
      diff: [
        { field: 'status', from: 'draft', to: issued.status },
        { field: 'number', to: issued.number },
        { field: 'documentType', to: issued.documentType },
        { field: 'totalPaise', to: issued.totals.totalPaise },
        { field: 'taxPaise', to: issued.totals.taxPaise },
        { field: 'discountPaise', to: issued.totals.discountPaise },
      ],
    });
    await publish('invoice.issued', {
      clinicId: String(issued.clinicId),
      invoiceId: String(issued._id),
      ...(issued.appointmentId ? { appointmentId: String(issued.appointmentId) } : {}),
      number: issued.number!,
      totalPaise: issued.totals.totalPaise,
    });
  }
  return toInvoiceView(issued);
}

/** Discards a draft, or voids an issued invoice with nothing paid or credited (accounts, admin; reason required). */
export async function voidInvoice(actor: Actor, invoiceId: string, reason?: string): Promise<InvoiceView> {
  const invoice = await loadInvoiceRecord(actor.clinicId, invoiceId);
  const isDraft = invoice.status === 'draft';
  assertCan(actor, isDraft ? 'create' : 'update', 'invoices', {
    clinicId: invoice.clinicId,
    patientId: invoice.patientId,
  });
  if (!isDraft && !reason)
    throw unprocessable('Voiding an issued invoice needs a reason', { reason: 'reason_required' });
  const now = new Date();
  const filter = isDraft
    ? { status: 'draft' }
    : { status: { $in: ['issued', 'paid'] }, paidPaise: 0, creditedPaise: 0 };
  const voided = await Invoice.findOneAndUpdate(
    { _id: invoice._id, clinicId: invoice.clinicId, ...filter },
    {
      $set: {
        status: 'void',
        duePaise: 0,
        voidedAt: now,
        voidedBy: actor.id,
        ...(reason ? { voidReason: reason } : {}),
      },
      $inc: { version: 1 },
    },
    { new: true },
  ).lean<InvoiceRecord>();
  if (!voided) {
    const current = await loadInvoiceRecord(actor.clinicId, invoiceId);
    const hasMoney = current.paidPaise > 0 || current.creditedPaise > 0;
    throw conflict(
      hasMoney
        ? 'Money has been received or credited on this invoice: refund it with a credit note instead'
        : `An invoice that is ${current.status} cannot be voided`,
      {
        reason: hasMoney ? 'invoice_has_payments' : 'invoice_not_voidable',
        currentStatus: current.status,
      },
    );
  }
  if (!isDraft) {
    await postInvoiceVoided(voided, localDateOf(now, (await getClinic(actor.clinicId)).timezone));
    await storePdfQuietly(pdfKeyOf(voided), () => renderInvoicePdf(voided, unicodeFontPath()));
  }
  await audit.record({
    actor,
    action: 'invoice.voided',
    entity: { type: 'invoice', id: invoiceId },
    diff: [
      { field: 'status', from: invoice.status, to: 'void' },
      ...(invoice.number ? [{ field: 'number', to: invoice.number }] : []),
      ...(reason ? [{ field: 'reason', to: reason }] : []),
    ],
  });
  return toInvoiceView(voided);
}

/** The invoice's PDF (rendered and stored again if missing); 409 for drafts, which are not documents yet. */
export async function invoicePdf(actor: Actor, invoiceId: string): Promise<{ filename: string; body: Buffer }> {
  const invoice = await loadInvoiceRecord(actor.clinicId, invoiceId);
  assertCan(actor, 'read', 'invoices', { clinicId: invoice.clinicId, patientId: invoice.patientId });
  if (!invoice.number)
    throw conflict('A draft has no document yet; issue it first', {
      reason: 'invoice_not_issued',
      currentStatus: invoice.status,
    });
  const body = await storedPdf(pdfKeyOf(invoice), () => renderInvoicePdf(invoice, unicodeFontPath()));
  return { filename: `${invoice.number.replace(/\//g, '-')}.pdf`, body };
}
