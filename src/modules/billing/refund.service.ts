/**
 * Requesting refunds. A refund returns money to ONE payment (Razorpay refunds payments), and
 * never more than that payment can still give: its amount is taken off the payment's
 * `refundablePaise` by one conditional update (`refundablePaise ≥ amount`), so concurrent
 * refunds of one payment can never together exceed it, and the refund id is recorded on the
 * payment so a retried reservation is not taken twice. A desk refund requested by staff is paid
 * out at once (refund voucher); an online one stays `requested` until the Razorpay call
 * reports back (refund-settle.service.ts). Requests are idempotent on their request key.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { publish } from '../../platform/domain-events.js';
import { conflict, notFound, unprocessable } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { loadInvoiceRecord } from './invoice.service.js';
import type { InvoiceRecord } from './invoice.model.js';
import { Payment } from './payment.model.js';
import type { PaymentMethod, PaymentRecord } from './payment.model.js';
import { loadPaymentRecord } from './payment-read.service.js';
import { assertMayRefund } from './refund-access.js';
import { settleRefund } from './refund-settle.service.js';
import { Refund } from './refund.model.js';
import type { RefundRecord } from './refund.model.js';
import { toRefundView } from './refund.view.js';
import type { RefundView } from './refund.view.js';

/** A refund to request. */
export interface RefundRequest {
  invoiceId: string;
  /** The payment to return money to; by default the newest one that can cover the amount. */
  paymentId?: string;
  amountPaise: number;
  /** The invoice line the refund is for (a returned item); its credit note then credits only that line. */
  lineId?: string;
  reason: string;
  /** Makes the request idempotent (the API's Idempotency-Key, or `cancel|…` for automatic refunds). */
  requestKey?: string;
  /** How a desk refund is handed back; by default as it was paid. */
  counterMethod?: 'cash' | 'upi' | 'card';
  source?: 'staff' | 'cancellation';
}

const REFUNDABLE_PAYMENTS = ['recorded', 'unapplied'];

/** The X-Refund-Idempotency key for our refund: derived from its id, stable across retries. */
export function refundIdempotencyKey(refundId: Types.ObjectId | string): string {
  return `cinic-refund-${String(refundId)}`;
}

async function pickPayment(invoice: InvoiceRecord, request: RefundRequest): Promise<PaymentRecord> {
  const clinicId = String(invoice.clinicId);
  if (request.paymentId) {
    const payment = await loadPaymentRecord(clinicId, request.paymentId);
    if (String(payment.invoiceId) !== String(invoice._id)) throw notFound('Payment');
    return payment;
  }
  const payments = await Payment.find({ clinicId, invoiceId: invoice._id, status: { $in: REFUNDABLE_PAYMENTS } })
    .sort({ receivedAt: -1 })
    .lean<PaymentRecord[]>();
  const covering = payments.find((payment) => payment.refundablePaise >= request.amountPaise);
  if (covering) return covering;
  const refundablePaise = payments.reduce((sum, payment) => sum + payment.refundablePaise, 0);
  throw unprocessable(
    refundablePaise >= request.amountPaise
      ? 'No single payment covers this amount: refund each payment separately (paymentId)'
      : `At most ${refundablePaise} paise can still be refunded`,
    {
      reason: refundablePaise >= request.amountPaise ? 'split_across_payments' : 'exceeds_refundable',
      refundablePaise,
      payments: payments.map((payment) => ({
        paymentId: String(payment._id),
        refundablePaise: payment.refundablePaise,
      })),
    },
  );
}

/** Takes the amount off the payment once; marks the refund failed when the payment cannot cover it. */
async function reserve(actor: Actor, refund: RefundRecord): Promise<RefundRecord> {
  const reserved = await Payment.findOneAndUpdate(
    {
      _id: refund.paymentId,
      clinicId: refund.clinicId,
      refundablePaise: { $gte: refund.amountPaise },
      reservedRefundIds: { $ne: refund._id },
    },
    { $inc: { refundablePaise: -refund.amountPaise }, $push: { reservedRefundIds: refund._id } },
    { new: true },
  ).lean<PaymentRecord>();
  const payment = reserved ?? (await loadPaymentRecord(String(refund.clinicId), refund.paymentId));
  if (!payment.reservedRefundIds.some((id) => String(id) === String(refund._id))) {
    await Refund.updateOne(
      { _id: refund._id, clinicId: refund.clinicId, status: 'reserving' },
      { $set: { status: 'failed', failureReason: 'exceeds_refundable', failedAt: new Date() } },
    );
    throw unprocessable(`At most ${payment.refundablePaise} paise of this payment can still be refunded`, {
      reason: 'exceeds_refundable',
      refundablePaise: payment.refundablePaise,
      refundId: String(refund._id),
    });
  }
  const requested = await Refund.findOneAndUpdate(
    { _id: refund._id, clinicId: refund.clinicId, status: 'reserving' },
    { $set: { status: 'requested' } },
    { new: true },
  ).lean<RefundRecord>();
  if (!requested) return (await Refund.findOne({ _id: refund._id, clinicId: refund.clinicId }).lean<RefundRecord>())!;
  await audit.record({
    actor,
    action: 'refund.requested',
    entity: { type: 'refund', id: String(refund._id) },
    diff: [
      { field: 'invoiceId', to: String(refund.invoiceId) },
      { field: 'paymentId', to: String(refund.paymentId) },
      { field: 'amountPaise', to: refund.amountPaise },
      { field: 'channel', to: refund.channel },
      { field: 'source', to: refund.source },
      { field: 'reason', to: refund.reason },
    ],
  });
  await publish('refund.requested', {
    clinicId: String(refund.clinicId),
    refundId: String(refund._id),
    invoiceId: String(refund.invoiceId),
    paymentId: String(refund.paymentId),
    amountPaise: refund.amountPaise,
    channel: refund.channel,
    ...(refund.providerPaymentId ? { providerPaymentId: refund.providerPaymentId } : {}),
    idempotencyKey: refund.idempotencyKey,
  });
  return requested;
}

/** Carries a stored request on: reserve if needed, then pay a desk refund out when staff asked for it. */
async function resume(actor: Actor, refund: RefundRecord): Promise<RefundView> {
  const current = refund.status === 'reserving' ? await reserve(actor, refund) : refund;
  // Staff at the desk hand cash back at once; automatic refunds of desk payments wait for the desk.
  if (current.channel === 'counter' && current.status === 'requested' && actor.type === 'staff')
    return toRefundView(await settleRefund(actor, current));
  return toRefundView(current);
}

/**
 * Requests a full or partial refund of an invoice's payment (accounts, admin, or the system for
 * cancellations). 422 when it exceeds what the payment can still give; a repeat with the same
 * request key returns the first refund. Desk refunds requested by staff come back `processed`
 * with a credit note and a refund voucher; online ones `requested` (see refund-settle.service.ts).
 */
export async function requestRefund(actor: Actor, request: RefundRequest): Promise<RefundView> {
  assertMayRefund(actor);
  const invoice = await loadInvoiceRecord(actor.clinicId, request.invoiceId);
  assertCan(actor, 'create', 'refunds', { clinicId: invoice.clinicId, patientId: invoice.patientId });
  const _id = new Types.ObjectId();
  const requestKey = request.requestKey ? `key|${request.requestKey}` : `refund|${String(_id)}`;
  const existing = await Refund.findOne({ clinicId: actor.clinicId, requestKey }).lean<RefundRecord>();
  if (existing) return replay(actor, existing, request);

  if (request.lineId && !invoice.lines.some((line) => line.lineId === request.lineId)) throw notFound('Invoice line');
  const payment = await pickPayment(invoice, request);
  if (!REFUNDABLE_PAYMENTS.includes(payment.status))
    throw conflict(`A ${payment.status} payment has nothing to refund`, {
      reason: 'payment_not_refundable',
      currentStatus: payment.status,
    });
  if (request.amountPaise > payment.refundablePaise) {
    throw unprocessable(`At most ${payment.refundablePaise} paise of this payment can still be refunded`, {
      reason: 'exceeds_refundable',
      refundablePaise: payment.refundablePaise,
    });
  }
  const method: PaymentMethod | undefined =
    payment.channel === 'counter' ? (request.counterMethod ?? payment.method) : undefined;
  let refund: RefundRecord;
  try {
    refund = (
      await Refund.create({
        _id,
        clinicId: invoice.clinicId,
        invoiceId: invoice._id,
        paymentId: payment._id,
        patientId: invoice.patientId,
        ...(invoice.appointmentId ? { appointmentId: invoice.appointmentId } : {}),
        amountPaise: request.amountPaise,
        ...(request.lineId ? { lineId: request.lineId } : {}),
        reason: request.reason,
        source: payment.status === 'unapplied' ? 'unapplied_payment' : (request.source ?? 'staff'),
        requestKey,
        idempotencyKey: refundIdempotencyKey(_id),
        channel: payment.channel,
        ...(method ? { method } : {}),
        ...(payment.provider ? { provider: payment.provider, providerPaymentId: payment.providerPaymentId } : {}),
        status: 'reserving',
        requestedBy: actor.id,
        requestedAt: new Date(),
      })
    ).toObject() as RefundRecord;
  } catch (error) {
    if (!isDuplicateKey(error, 'refund_request_unique')) throw error;
    return replay(
      actor,
      (await Refund.findOne({ clinicId: actor.clinicId, requestKey }).lean<RefundRecord>())!,
      request,
    );
  }
  return resume(actor, refund);
}

async function replay(actor: Actor, existing: RefundRecord, request: RefundRequest): Promise<RefundView> {
  if (
    existing.amountPaise !== request.amountPaise ||
    String(existing.invoiceId) !== request.invoiceId ||
    (request.paymentId && String(existing.paymentId) !== request.paymentId)
  ) {
    throw conflict('This request key was used for a different refund', {
      reason: 'request_mismatch',
      refundId: String(existing._id),
    });
  }
  return resume(actor, existing);
}

/** One refund. */
export async function getRefund(actor: Actor, refundId: string): Promise<RefundView> {
  const refund = Types.ObjectId.isValid(refundId)
    ? await Refund.findOne({ _id: refundId, clinicId: actor.clinicId }).lean<RefundRecord>()
    : null;
  if (!refund) throw notFound('Refund');
  assertCan(actor, 'read', 'refunds', { clinicId: refund.clinicId, patientId: refund.patientId });
  return toRefundView(refund);
}

/** Our refund known to the provider as `providerRefundId` (the webhook's lookup), or null. */
export async function findProviderRefund(clinicId: string, providerRefundId: string): Promise<RefundView | null> {
  const refund = await Refund.findOne({ clinicId, providerRefundId }).lean<RefundRecord>();
  return refund ? toRefundView(refund) : null;
}

/** An invoice's refunds, newest first. */
export async function listInvoiceRefunds(actor: Actor, invoiceId: string): Promise<RefundView[]> {
  const invoice = await loadInvoiceRecord(actor.clinicId, invoiceId);
  assertCan(actor, 'read', 'refunds', { clinicId: invoice.clinicId, patientId: invoice.patientId });
  const refunds = await Refund.find({ clinicId: actor.clinicId, invoiceId: invoice._id })
    .sort({ requestedAt: -1 })
    .lean<RefundRecord[]>();
  return refunds.map(toRefundView);
}
