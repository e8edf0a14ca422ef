/**
 * Refunds at the stand-in. Creating one claims its idempotency key first (a unique index, so of
 * any number of racing repeats exactly one inserts), then reserves the amount on the payment with
 * a conditional update (so refunds under different keys can never exceed what was captured). A
 * delayed job later settles it: `processed` (the payment's amount_refunded grows) or, for the
 * `refund_failed` fault, `failed` (the reservation is released). Each settlement fires its webhook.
 */
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { paymentEntity, refundEntity } from './entities.js';
import { refundFault } from './faults.js';
import { isRazorpayId, newRazorpayId, unixSeconds } from './ids.js';
import { RazorpayError, badRequestError, idDoesNotExist } from './razorpay-error.js';
import type { RefundBody } from './razorpay.schemas.js';
import { sandboxPayments } from './sandbox-payment.model.js';
import type { SandboxPaymentRecord } from './sandbox-payment.model.js';
import { sandboxRefunds } from './sandbox-refund.model.js';
import type { SandboxRefundRecord } from './sandbox-refund.model.js';
import { enqueueSettlement } from './refunds.queue.js';
import { recordEvents } from './webhook-events.service.js';

const OVER_REFUND = 'The refund amount provided is greater than amount captured';
const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;

/** The payment `paymentId` of this account, or Razorpay's "does not exist". */
export async function paymentOrError(runtime: Runtime, paymentId: string): Promise<SandboxPaymentRecord> {
  const payment = isRazorpayId('pay', paymentId)
    ? await sandboxPayments().findOne({ keyId: runtime.config.razorpay.keyId, paymentId }).lean<SandboxPaymentRecord>()
    : null;
  if (!payment) throw idDoesNotExist();
  return payment;
}

/** The refund stored under `key`, answered as it was the first time (a rejection is the same 400 again). */
async function replay(runtime: Runtime, paymentId: string, key: string): Promise<SandboxRefundRecord | undefined> {
  const refund = await sandboxRefunds()
    .findOne({ keyId: runtime.config.razorpay.keyId, paymentId, idempotencyKey: key })
    .lean<SandboxRefundRecord>();
  if (refund?.status === 'rejected') throw badRequestError(refund.rejection ?? OVER_REFUND);
  return refund ?? undefined;
}

/** Why `payment` cannot give a refund of `amount` (default: all that is left), if it cannot. */
function refusalFor(payment: SandboxPaymentRecord, amount: number | undefined): RazorpayError | undefined {
  if (payment.status === 'failed')
    return badRequestError('The payment has not been captured, so it cannot be refunded');
  const remaining = payment.amount - payment.amountReserved;
  if (remaining <= 0) return badRequestError('The payment has been fully refunded already');
  if ((amount ?? remaining) > remaining) return badRequestError(OVER_REFUND, 'amount');
  return undefined;
}

/** `POST /v1/payments/:id/refund`; `created` is false when an earlier request with the same key made it. */
export async function createRefund(
  runtime: Runtime,
  paymentId: string,
  body: RefundBody,
  key: string | undefined,
): Promise<{ refund: SandboxRefundRecord; created: boolean }> {
  const payment = await paymentOrError(runtime, paymentId);
  const earlier = key ? await replay(runtime, paymentId, key) : undefined;
  if (earlier) return { refund: earlier, created: false };
  let refusal = refusalFor(payment, body.amount);
  if (!refusal) {
    const outcome = await insertAndReserve(
      runtime,
      payment,
      body,
      body.amount ?? payment.amount - payment.amountReserved,
      key,
    );
    if (outcome instanceof RazorpayError) refusal = outcome;
    else if (outcome !== 'duplicate key') return { refund: outcome, created: true };
  }
  // Refused, or lost the race: a request with the same key that got there first answers for this one.
  const winner = key ? await replay(runtime, paymentId, key) : undefined;
  if (winner) return { refund: winner, created: false };
  throw refusal ?? badRequestError(OVER_REFUND, 'amount');
}

/** Claims the key by inserting the refund, then reserves its amount; a refusal is remembered under the key. */
async function insertAndReserve(
  runtime: Runtime,
  payment: SandboxPaymentRecord,
  body: RefundBody,
  amount: number,
  key: string | undefined,
): Promise<SandboxRefundRecord | RazorpayError | 'duplicate key'> {
  const refundId = newRazorpayId('rfnd');
  let refund: SandboxRefundRecord;
  try {
    refund = (
      await sandboxRefunds().create({
        keyId: payment.keyId,
        refundId,
        paymentId: payment.paymentId,
        idempotencyKey: key ?? refundId,
        amount,
        currency: payment.currency,
        notes: body.notes ?? null,
        receipt: body.receipt ?? null,
        speedRequested: body.speed,
        speedProcessed: body.speed === 'optimum' ? 'instant' : 'normal',
        status: 'pending',
        fault: refundFault(body.notes, payment.notes, payment.amount),
        createdAt: unixSeconds(),
      })
    ).toObject() as SandboxRefundRecord;
  } catch (error) {
    if (isDuplicateKey(error)) return 'duplicate key';
    throw error;
  }
  const reserved = await sandboxPayments().findOneAndUpdate(
    {
      keyId: payment.keyId,
      paymentId: payment.paymentId,
      status: { $ne: 'failed' },
      amountReserved: { $lte: payment.amount - amount },
    },
    { $inc: { amountReserved: amount } },
  );
  if (!reserved) {
    await sandboxRefunds().updateOne({ refundId }, { $set: { status: 'rejected', rejection: OVER_REFUND } });
    return badRequestError(OVER_REFUND, 'amount');
  }
  await enqueueSettlement(runtime, refundId);
  log().info({ refundId, paymentId: payment.paymentId }, 'sandbox razorpay refund created');
  return refund;
}

/** A listed refund (`GET /v1/refunds/:id`, `/v1/payments/:id/refunds/:refundId`), or "does not exist". */
export async function findRefund(runtime: Runtime, refundId: string, paymentId?: string): Promise<SandboxRefundRecord> {
  const filter = {
    keyId: runtime.config.razorpay.keyId,
    refundId,
    status: { $ne: 'rejected' },
    ...(paymentId ? { paymentId } : {}),
  };
  const refund = isRazorpayId('rfnd', refundId)
    ? await sandboxRefunds().findOne(filter).lean<SandboxRefundRecord>()
    : null;
  if (!refund) throw idDoesNotExist();
  return refund;
}

/** `GET /v1/payments/:id/refunds`: Razorpay's collection, newest first. */
export async function listRefunds(
  runtime: Runtime,
  paymentId: string,
): Promise<{ entity: 'collection'; count: number; items: Record<string, unknown>[] }> {
  await paymentOrError(runtime, paymentId);
  const refunds = await sandboxRefunds()
    .find({ keyId: runtime.config.razorpay.keyId, paymentId, status: { $ne: 'rejected' } })
    .sort({ createdAt: -1, _id: -1 })
    .lean<SandboxRefundRecord[]>();
  return { entity: 'collection', count: refunds.length, items: refunds.map(refundEntity) };
}

/** Adds a processed refund to the payment's amount_refunded, status and refund_status in one write (compare-and-set on the total). */
async function addRefunded(paymentId: string, amount: number): Promise<void> {
  for (;;) {
    const payment = await sandboxPayments().findOne({ paymentId }).lean<SandboxPaymentRecord>();
    if (!payment) return;
    const total = payment.amountRefunded + amount;
    const full = total >= payment.amount;
    const written = await sandboxPayments().updateOne(
      { paymentId, amountRefunded: payment.amountRefunded },
      {
        $set: {
          amountRefunded: total,
          refundStatus: full ? 'full' : 'partial',
          status: full ? 'refunded' : 'captured',
        },
      },
    );
    if (written.modifiedCount === 1) return;
  }
}

/** The job's work: settles a pending refund once (a conditional write on `pending`) and fires its webhook. */
export async function settleRefund(runtime: Runtime, refundId: string): Promise<string> {
  const refund = await sandboxRefunds().findOne({ refundId }).lean<SandboxRefundRecord>();
  if (refund?.status !== 'pending') return 'settled already';
  const outcome = refund.fault === 'refund_failed' ? 'failed' : 'processed';
  const settled = await sandboxRefunds()
    .findOneAndUpdate({ refundId, status: 'pending' }, { $set: { status: outcome } }, { new: true })
    .lean<SandboxRefundRecord>();
  if (!settled) return 'settled already';
  if (outcome === 'failed')
    await sandboxPayments().updateOne({ paymentId: refund.paymentId }, { $inc: { amountReserved: -refund.amount } });
  else await addRefunded(refund.paymentId, refund.amount);
  const payment = await paymentOrError(runtime, refund.paymentId);
  await recordEvents(runtime, [
    {
      event: `refund.${outcome}`,
      contains: ['refund', 'payment'],
      payload: { refund: { entity: refundEntity(settled) }, payment: { entity: paymentEntity(payment) } },
      paymentLinkId: payment.linkId,
      paymentId: payment.paymentId,
      refundId,
    },
  ]);
  log().info({ refundId, outcome }, 'sandbox razorpay refund settled');
  return outcome;
}
