/**
 * Recording payments — the desk's counter payments and, through the same function, online
 * payments reported by the Razorpay webhook.
 *
 * Idempotent: a payment is first inserted `pending` under its dedupe key (unique per clinic), so
 * of five concurrent deliveries of one Razorpay payment exactly one inserts; every other call
 * finds that payment and finishes or returns it. Race-free: the amount is applied to the invoice
 * by ONE conditional update that requires `duePaise ≥ amount` (paid + amount ≤ total) and that
 * this payment is not applied yet, so concurrent payments can never overshoot the invoice. Each
 * later step (receipt number, ledger posting, status, receipt PDF) is idempotent, and a payment
 * left `pending` by a crash is finished when the same payment is recorded again.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { publish } from '../../platform/domain-events.js';
import type { AppError } from '../../platform/errors.js';
import { badRequest, conflict, unprocessable } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getClinic } from '../clinics/clinic.service.js';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { localDateOf } from '../scheduling/clinic-time.js';
import { moneyAccountOf, postPayment, postUnappliedPayment } from './billing-postings.js';
import { allocateNumber } from './document-numbers.js';
import { storePdfQuietly, unicodeFontPath } from './documents/document-store.js';
import { renderReceiptPdf } from './documents/voucher.pdf.js';
import { Invoice } from './invoice.model.js';
import type { InvoiceRecord } from './invoice.model.js';
import { loadInvoiceRecord } from './invoice.service.js';
import { toInvoiceView } from './invoice.view.js';
import type { InvoiceView } from './invoice.view.js';
import { COUNTER_METHODS, Payment } from './payment.model.js';
import type { PaymentMethod, PaymentRecord } from './payment.model.js';
import { loadPaymentRecord, receiptKeyOf } from './payment-read.service.js';
import { settleInvoiceStatus } from './invoice-status.js';
import { toPaymentView } from './payment.view.js';
import type { PaymentView } from './payment.view.js';

/** A payment to record. Online payments name their provider and its payment id. */
export interface RecordPaymentInput {
  invoiceId: string;
  amountPaise: number;
  method: PaymentMethod;
  provider?: 'razorpay';
  providerPaymentId?: string;
  providerOrderId?: string;
  paymentLinkId?: string;
  /** Desk: UPI reference or card approval code. */
  reference?: string;
  /** When the money was received (default now); its clinic-local day is the receipt's date. */
  receivedAt?: Date;
  /** Desk: a client-chosen key so a retried request records one payment. */
  idempotencyKey?: string;
}

/** The outcome: the payment, its invoice now, and whether this call recorded it (false for a repeat). */
export interface RecordedPayment {
  payment: PaymentView;
  invoice: InvoiceView;
  created: boolean;
}

const PAYABLE = ['issued', 'partially_paid'];

function dedupeKeyOf(input: RecordPaymentInput, paymentId: Types.ObjectId): string {
  if (input.provider) return `${input.provider}|${input.providerPaymentId}`;
  return input.idempotencyKey ? `counter|${input.idempotencyKey}` : `counter|${String(paymentId)}`;
}

function validate(input: RecordPaymentInput): void {
  if (!Number.isSafeInteger(input.amountPaise) || input.amountPaise <= 0)
    throw badRequest('amountPaise must be a positive whole number of paise');
  if (input.provider && !input.providerPaymentId) throw badRequest('An online payment needs its providerPaymentId');
  if (!input.provider && !(COUNTER_METHODS as readonly string[]).includes(input.method))
    throw badRequest(`A desk payment is ${COUNTER_METHODS.join(', ')}`);
}

/** Why `amountPaise` cannot be applied to `invoice` now, as the error to answer with. */
function refusal(
  invoice: InvoiceRecord,
  amountPaise: number,
  payment?: { id: Types.ObjectId; status: string },
): AppError {
  const details = {
    currentStatus: invoice.status,
    duePaise: invoice.duePaise,
    ...(payment ? { paymentId: String(payment.id), paymentStatus: payment.status } : {}),
  };
  if (invoice.status === 'draft' || invoice.status === 'issuing')
    return conflict('Issue the invoice before taking payment', { reason: 'invoice_not_issued', ...details });
  if (invoice.status === 'void') return conflict('The invoice is void', { reason: 'invoice_void', ...details });
  return unprocessable(`That is more than is due (${invoice.duePaise} paise)`, {
    reason: 'overpayment',
    amountPaise,
    ...details,
  });
}

/** Applies the amount to the invoice once; null when the invoice cannot take it. */
async function applyToInvoice(payment: PaymentRecord): Promise<InvoiceRecord | null> {
  const applied = await Invoice.findOneAndUpdate(
    {
      _id: payment.invoiceId,
      clinicId: payment.clinicId,
      status: { $in: PAYABLE },
      duePaise: { $gte: payment.amountPaise },
      appliedPaymentIds: { $ne: payment._id },
    },
    {
      $inc: { paidPaise: payment.amountPaise, duePaise: -payment.amountPaise, version: 1 },
      $push: { appliedPaymentIds: payment._id },
    },
    { new: true },
  ).lean<InvoiceRecord>();
  if (applied) return applied;
  const current = await loadInvoiceRecord(String(payment.clinicId), payment.invoiceId);
  return current.appliedPaymentIds.some((id) => String(id) === String(payment._id)) ? current : null;
}

async function refuse(actor: Actor, payment: PaymentRecord): Promise<never> {
  const invoice = await loadInvoiceRecord(String(payment.clinicId), payment.invoiceId);
  const status = payment.channel === 'counter' ? 'rejected' : 'unapplied';
  const error = refusal(invoice, payment.amountPaise, { id: payment._id, status });
  const reason = String(error.details?.reason);
  if (payment.channel === 'counter') {
    await Payment.updateOne(
      { _id: payment._id, clinicId: payment.clinicId, status: 'pending' },
      { $set: { status: 'rejected', rejectReason: reason } },
    );
    throw error;
  }
  // Online money is already with Razorpay: book it as owed back and keep it for a refund.
  const marked = await Payment.findOneAndUpdate(
    { _id: payment._id, clinicId: payment.clinicId, status: 'pending' },
    { $set: { status: 'unapplied', rejectReason: reason } },
    { new: true },
  ).lean<PaymentRecord>();
  await postUnappliedPayment(
    {
      clinicId: String(payment.clinicId),
      id: String(payment._id),
      localDate: payment.localDate,
      at: payment.receivedAt,
    },
    payment.amountPaise,
  );
  if (marked) {
    await audit.record({
      actor,
      action: 'payment.unapplied',
      entity: { type: 'payment', id: String(payment._id) },
      diff: [
        { field: 'status', to: 'unapplied' },
        { field: 'amountPaise', to: payment.amountPaise },
        { field: 'reason', to: reason },
      ],
    });
  }
  throw error;
}

/** Applies a pending payment, numbers its receipt, posts it and settles the invoice status. */
async function complete(actor: Actor, pending: PaymentRecord): Promise<RecordedPayment> {
  const applied = await applyToInvoice(pending);
  if (!applied) return refuse(actor, pending);
  const receipt = await allocateNumber(
    String(pending.clinicId),
    'RCT',
    pending.localDate,
    `payment|${String(pending._id)}`,
  );
  const recorded = await Payment.findOneAndUpdate(
    { _id: pending._id, clinicId: pending.clinicId, status: 'pending' },
    {
      $set: {
        status: 'recorded',
        receiptNumber: receipt.number,
        receiptFinancialYear: receipt.financialYear,
        pdfKey: receiptKeyOf(pending),
      },
    },
    { new: true },
  ).lean<PaymentRecord>();
  const payment = recorded ?? (await loadPaymentRecord(String(pending.clinicId), pending._id));
  await postPayment(
    {
      clinicId: String(payment.clinicId),
      id: String(payment._id),
      localDate: payment.localDate,
      at: payment.receivedAt,
      memo: receipt.number,
    },
    payment.amountPaise,
    moneyAccountOf(payment),
  );
  const invoice = await settleInvoiceStatus(applied);
  await storePdfQuietly(receiptKeyOf(payment), () => renderReceiptPdf(payment, invoice, unicodeFontPath()));
  if (recorded) {
    await audit.record({
      actor,
      action: 'payment.recorded',
      entity: { type: 'payment', id: String(payment._id) },
      diff: [
        { field: 'invoiceId', to: String(payment.invoiceId) },
        { field: 'amountPaise', to: payment.amountPaise },
        { field: 'method', to: payment.method },
        { field: 'channel', to: payment.channel },
        { field: 'receiptNumber', to: receipt.number },
        ...(payment.providerPaymentId ? [{ field: 'providerPaymentId', to: payment.providerPaymentId }] : []),
      ],
    });
    await publish('payment.recorded', {
      clinicId: String(payment.clinicId),
      invoiceId: String(payment.invoiceId),
      paymentId: String(payment._id),
      ...(payment.appointmentId ? { appointmentId: String(payment.appointmentId) } : {}),
      amountPaise: payment.amountPaise,
      invoiceStatus: invoice.status,
      ...(payment.provider ? { provider: payment.provider } : {}),
    });
  }
  return { payment: toPaymentView(payment), invoice: toInvoiceView(invoice), created: Boolean(recorded) };
}

/** A repeat of a payment already stored: finish it if pending, else answer as the first time. */
async function replay(actor: Actor, existing: PaymentRecord, input: RecordPaymentInput): Promise<RecordedPayment> {
  if (String(existing.invoiceId) !== input.invoiceId || existing.amountPaise !== input.amountPaise) {
    throw conflict('This payment was already recorded with a different invoice or amount', {
      reason: 'payment_mismatch',
      paymentId: String(existing._id),
    });
  }
  if (existing.status === 'pending') return complete(actor, existing);
  if (existing.status === 'rejected' || existing.status === 'unapplied') {
    throw refusal(await loadInvoiceRecord(String(existing.clinicId), existing.invoiceId), existing.amountPaise, {
      id: existing._id,
      status: existing.status,
    });
  }
  // Recorded: make sure its posting exists (a crash may have stopped the first call after the status write).
  await postPayment(
    {
      clinicId: String(existing.clinicId),
      id: String(existing._id),
      localDate: existing.localDate,
      at: existing.receivedAt,
      ...(existing.receiptNumber ? { memo: existing.receiptNumber } : {}),
    },
    existing.amountPaise,
    moneyAccountOf(existing),
  );
  return {
    payment: toPaymentView(existing),
    invoice: toInvoiceView(await loadInvoiceRecord(String(existing.clinicId), existing.invoiceId)),
    created: false,
  };
}

/**
 * Records a payment against an issued invoice: idempotent on (provider, providerPaymentId) — or
 * the desk's idempotency key — and never more than is due (422 `overpayment`; 409 for a draft or
 * void invoice). Online money that cannot be applied is kept as `unapplied` (owed back, refundable)
 * and the same error is returned with `paymentStatus: 'unapplied'`.
 */
export async function recordPayment(actor: Actor, input: RecordPaymentInput): Promise<RecordedPayment> {
  validate(input);
  const invoice = await loadInvoiceRecord(actor.clinicId, input.invoiceId);
  assertCan(actor, 'create', 'payments', { clinicId: invoice.clinicId, patientId: invoice.patientId });
  const _id = new Types.ObjectId();
  const dedupeKey = dedupeKeyOf(input, _id);
  const existing = await Payment.findOne({ clinicId: actor.clinicId, dedupeKey }).lean<PaymentRecord>();
  if (existing) return replay(actor, existing, input);
  // A fast answer at the desk; the conditional update in applyToInvoice is what makes it race-free.
  if (!input.provider && !(PAYABLE.includes(invoice.status) && invoice.duePaise >= input.amountPaise))
    throw refusal(invoice, input.amountPaise);

  const receivedAt = input.receivedAt ?? new Date();
  let pending: PaymentRecord;
  try {
    pending = (
      await Payment.create({
        _id,
        clinicId: invoice.clinicId,
        invoiceId: invoice._id,
        patientId: invoice.patientId,
        ...(invoice.appointmentId ? { appointmentId: invoice.appointmentId } : {}),
        amountPaise: input.amountPaise,
        method: input.method,
        channel: input.provider ? 'online' : 'counter',
        ...(input.provider ? { provider: input.provider, providerPaymentId: input.providerPaymentId } : {}),
        ...(input.providerOrderId ? { providerOrderId: input.providerOrderId } : {}),
        ...(input.paymentLinkId ? { paymentLinkId: input.paymentLinkId } : {}),
        ...(input.reference ? { reference: input.reference } : {}),
        dedupeKey,
        status: 'pending',
        receivedAt,
        localDate: localDateOf(receivedAt, (await getClinic(actor.clinicId)).timezone),
        refundablePaise: input.amountPaise,
        recordedBy: actor.id,
      })
    ).toObject() as PaymentRecord;
  } catch (error) {
    if (!isDuplicateKey(error, 'payment_dedupe_unique')) throw error;
    // A concurrent delivery of the same payment inserted first.
    return replay(
      actor,
      (await Payment.findOne({ clinicId: actor.clinicId, dedupeKey }).lean<PaymentRecord>())!,
      input,
    );
  }
  return complete(actor, pending);
}
