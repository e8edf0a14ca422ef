/**
 * Issuing credit notes against issued invoices — for refunds (refund.service.ts) and for
 * corrections of what is still due. Each step is idempotent on the note's source key:
 * insert `pending` at the next ordinal of its invoice (computed from every earlier note), take a
 * CN number, add it to the invoice's credited totals once, post it, store its PDF.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { conflict, notFound, unprocessable } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getClinic } from '../clinics/clinic.service.js';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { localDateOf } from '../scheduling/clinic-time.js';
import { postCreditNote } from './billing-postings.js';
import { creditNoteFigures, remainingLines } from './credit-note-compute.js';
import { CreditNote } from './credit-note.model.js';
import type { CreditNoteRecord } from './credit-note.model.js';
import { toCreditNoteView } from './credit-note.view.js';
import type { CreditNoteView } from './credit-note.view.js';
import { allocateNumber } from './document-numbers.js';
import { renderCreditNotePdf } from './documents/credit-note.pdf.js';
import { documentKey, storedPdf, storePdfQuietly, unicodeFontPath } from './documents/document-store.js';
import { Invoice } from './invoice.model.js';
import type { InvoiceRecord } from './invoice.model.js';
import { loadInvoiceRecord } from './invoice.service.js';
import { toInvoiceView } from './invoice.view.js';
import type { InvoiceView } from './invoice.view.js';
import { settleInvoiceStatus } from './invoice-status.js';

/** What a credit note is for. */
export interface CreditNoteRequest {
  amountPaise: number;
  reason: string;
  kind: 'refund' | 'correction';
  sourceKey: string;
  refundId?: Types.ObjectId;
  /** Credit only this invoice line (a returned item); by default the whole invoice in proportion. */
  lineId?: string;
}

const MAX_ATTEMPTS = 20;

/** Where a credit note's PDF is stored. */
export function pdfKeyOf(note: { clinicId: unknown; _id: unknown }): string {
  return documentKey(String(note.clinicId), 'credit-notes', String(note._id));
}

async function bySourceKey(clinicId: string, sourceKey: string): Promise<CreditNoteRecord | null> {
  return CreditNote.findOne({ clinicId, sourceKey }).lean<CreditNoteRecord>();
}

/** Inserts the note `pending` at the invoice's next ordinal, or returns the one already made for `sourceKey`. */
export async function createPendingCreditNote(
  actor: Actor,
  invoice: InvoiceRecord,
  request: CreditNoteRequest,
): Promise<CreditNoteRecord> {
  const clinicId = String(invoice.clinicId);
  const existing = await bySourceKey(clinicId, request.sourceKey);
  if (existing) return existing;
  if (!invoice.number || !invoice.invoiceDate)
    throw conflict('Only issued invoices take credit notes', {
      reason: 'invoice_not_issued',
      currentStatus: invoice.status,
    });
  const clinic = await getClinic(clinicId);
  const now = new Date();
  for (let attempt = 1; ; attempt++) {
    const earlier = await CreditNote.find({ clinicId, invoiceId: invoice._id })
      .sort({ ordinal: 1 })
      .lean<CreditNoteRecord[]>();
    const counted = earlier.filter((note) => note.status !== 'cancelled').map((note) => note.lines);
    const figures = creditNoteFigures(remainingLines(invoice.lines, counted), request.amountPaise, request.lineId);
    try {
      const doc = await CreditNote.create({
        clinicId,
        invoiceId: invoice._id,
        invoiceNumber: invoice.number,
        invoiceDate: invoice.invoiceDate,
        invoiceDocumentType: invoice.documentType,
        ordinal: (earlier.at(-1)?.ordinal ?? 0) + 1,
        sourceKey: request.sourceKey,
        kind: request.kind,
        ...(request.refundId ? { refundId: request.refundId } : {}),
        status: 'pending',
        issuedAt: now,
        localDate: localDateOf(now, clinic.timezone),
        patientId: invoice.patientId,
        patientCode: invoice.patientCode,
        patientName: invoice.patientName,
        supplier: invoice.supplier,
        placeOfSupply: invoice.placeOfSupply,
        supply: invoice.supply,
        reason: request.reason,
        ...figures,
        createdBy: actor.id,
      });
      return doc.toObject() as CreditNoteRecord;
    } catch (error) {
      if (isDuplicateKey(error, 'credit_note_source_unique')) return (await bySourceKey(clinicId, request.sourceKey))!;
      // Another note of this invoice took the ordinal: recompute from it.
      if (!isDuplicateKey(error, 'credit_note_ordinal_unique') || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** Numbers a pending note, adds it to its invoice's credited totals once, posts it and stores its PDF. */
export async function finishCreditNote(actor: Actor, pending: CreditNoteRecord): Promise<CreditNoteRecord> {
  const clinicId = String(pending.clinicId);
  const allocated = await allocateNumber(clinicId, 'CN', pending.localDate, `credit-note|${String(pending._id)}`);
  const issued = await CreditNote.findOneAndUpdate(
    { _id: pending._id, clinicId, status: 'pending' },
    {
      $set: {
        status: 'issued',
        number: allocated.number,
        financialYear: allocated.financialYear,
        pdfKey: pdfKeyOf(pending),
      },
    },
    { new: true },
  ).lean<CreditNoteRecord>();
  const note = issued ?? (await CreditNote.findOne({ _id: pending._id, clinicId }).lean<CreditNoteRecord>())!;
  const amount = note.totals.totalPaise;
  await Invoice.updateOne(
    { _id: note.invoiceId, clinicId, creditNoteIds: { $ne: note._id } },
    {
      $inc: { creditedPaise: amount, refundedPaise: note.kind === 'refund' ? amount : 0, version: 1 },
      $push: { creditNoteIds: note._id },
    },
  );
  await postCreditNote(
    { clinicId, id: String(note._id), localDate: note.localDate, at: note.issuedAt, memo: allocated.number },
    note.lines,
    note.kind === 'refund' ? 'refunds_payable' : 'patient_receivable',
  );
  await storePdfQuietly(pdfKeyOf(note), () => renderCreditNotePdf(note, unicodeFontPath()));
  if (issued) {
    await audit.record({
      actor,
      action: 'credit_note.issued',
      entity: { type: 'credit_note', id: String(note._id) },
      diff: [
        { field: 'number', to: allocated.number },
        { field: 'invoiceId', to: String(note.invoiceId) },
        { field: 'kind', to: note.kind },
        { field: 'totalPaise', to: amount },
        { field: 'taxPaise', to: note.totals.taxPaise },
        { field: 'reason', to: note.reason },
      ],
    });
  }
  return note;
}

/**
 * Issues a correction credit note that takes `amountPaise` off what is still due on an issued
 * invoice (accounts, admin). Money already paid is returned with a refund instead; an unpaid
 * invoice credited in full should be voided instead (422 either way).
 */
export async function issueCorrectionCreditNote(
  actor: Actor,
  invoiceId: string,
  input: { amountPaise: number; reason: string; requestKey?: string; lineId?: string },
): Promise<{ creditNote: CreditNoteView; invoice: InvoiceView }> {
  const invoice = await loadInvoiceRecord(actor.clinicId, invoiceId);
  assertCan(actor, 'update', 'invoices', { clinicId: invoice.clinicId, patientId: invoice.patientId });
  if (invoice.paidPaise === 0 && input.amountPaise === invoice.duePaise)
    throw unprocessable('Nothing is paid: void the invoice instead of crediting all of it', { reason: 'void_instead' });
  if (input.amountPaise > invoice.duePaise)
    throw unprocessable('A correction can only reduce what is still due; refund what was paid', {
      reason: 'exceeds_due',
      duePaise: invoice.duePaise,
    });
  const sourceKey = `correction|${input.requestKey ?? String(new Types.ObjectId())}`;
  return creditDue(actor, invoice, { ...input, sourceKey });
}

/**
 * Takes `amountPaise` off what is due on an issued invoice with a correction credit note under
 * `sourceKey` (idempotent: a repeat with the same key returns the note already made). The rule
 * checks (who may, void instead) are the caller's; this only guards the figures.
 */
export async function creditDue(
  actor: Actor,
  invoice: InvoiceRecord,
  input: { amountPaise: number; reason: string; sourceKey: string; lineId?: string },
): Promise<{ creditNote: CreditNoteView; invoice: InvoiceView }> {
  const { sourceKey } = input;
  const invoiceId = String(invoice._id);
  const note = await createPendingCreditNote(actor, invoice, {
    amountPaise: input.amountPaise,
    reason: input.reason,
    kind: 'correction',
    sourceKey,
    ...(input.lineId ? { lineId: input.lineId } : {}),
  });
  if (note.kind !== 'correction' || note.totals.totalPaise !== input.amountPaise)
    throw conflict('This request key was used for a different credit note', { reason: 'request_mismatch' });
  if (note.status === 'cancelled')
    throw unprocessable('This correction could not be applied', { reason: 'exceeds_due' });
  const reserved = await Invoice.findOneAndUpdate(
    {
      _id: invoice._id,
      clinicId: invoice.clinicId,
      status: { $in: ['issued', 'partially_paid'] },
      duePaise: { $gte: input.amountPaise },
      correctionKeys: { $ne: sourceKey },
      $or: [{ paidPaise: { $gt: 0 } }, { creditedPaise: { $gt: 0 } }, { duePaise: { $gt: input.amountPaise } }],
    },
    { $inc: { duePaise: -input.amountPaise, version: 1 }, $push: { correctionKeys: sourceKey } },
    { new: true },
  ).lean<InvoiceRecord>();
  if (!reserved && !(await loadInvoiceRecord(actor.clinicId, invoiceId)).correctionKeys.includes(sourceKey)) {
    // Something was paid or credited meanwhile: this note never takes a number.
    await CreditNote.updateOne(
      { _id: note._id, clinicId: actor.clinicId, status: 'pending' },
      { $set: { status: 'cancelled' } },
    );
    throw unprocessable('What is due changed meanwhile; reload and try again', { reason: 'exceeds_due' });
  }
  const finished = await finishCreditNote(actor, note);
  const settled = await settleInvoiceStatus(await loadInvoiceRecord(actor.clinicId, invoiceId));
  return { creditNote: toCreditNoteView(finished), invoice: toInvoiceView(settled) };
}

async function loadCreditNote(clinicId: string, creditNoteId: string): Promise<CreditNoteRecord> {
  const doc = Types.ObjectId.isValid(creditNoteId)
    ? await CreditNote.findOne({ _id: creditNoteId, clinicId }).lean<CreditNoteRecord>()
    : null;
  if (!doc) throw notFound('Credit note');
  return doc;
}

/** One credit note. */
export async function getCreditNote(actor: Actor, creditNoteId: string): Promise<CreditNoteView> {
  const note = await loadCreditNote(actor.clinicId, creditNoteId);
  assertCan(actor, 'read', 'invoices', { clinicId: note.clinicId, patientId: note.patientId });
  return toCreditNoteView(note);
}

/** An invoice's credit notes in order. */
export async function listInvoiceCreditNotes(actor: Actor, invoiceId: string): Promise<CreditNoteView[]> {
  const invoice = await loadInvoiceRecord(actor.clinicId, invoiceId);
  assertCan(actor, 'read', 'invoices', { clinicId: invoice.clinicId, patientId: invoice.patientId });
  const notes = await CreditNote.find({ clinicId: actor.clinicId, invoiceId: invoice._id, status: 'issued' })
    .sort({ ordinal: 1 })
    .lean<CreditNoteRecord[]>();
  return notes.map(toCreditNoteView);
}

/** A credit note's PDF (rendered again if missing). */
export async function creditNotePdf(actor: Actor, creditNoteId: string): Promise<{ filename: string; body: Buffer }> {
  const note = await loadCreditNote(actor.clinicId, creditNoteId);
  assertCan(actor, 'read', 'invoices', { clinicId: note.clinicId, patientId: note.patientId });
  if (note.status !== 'issued' || !note.number)
    throw conflict('This credit note has not been issued', {
      reason: 'credit_note_not_issued',
      currentStatus: note.status,
    });
  const body = await storedPdf(pdfKeyOf(note), () => renderCreditNotePdf(note, unicodeFontPath()));
  return { filename: `${note.number.replace(/\//g, '-')}.pdf`, body };
}
