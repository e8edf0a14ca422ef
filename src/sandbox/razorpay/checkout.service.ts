/**
 * What happens when the payer presses Pay or Fail on the checkout page (or a test does): a
 * captured or failed UPI payment is stored, the link is updated with one conditional write (so two
 * presses, or a press racing a cancel, have one winner), and Razorpay's webhooks are fired —
 * `payment.captured` then `payment_link.paid`, or `payment.failed`.
 */
import { randomInt } from 'node:crypto';
import { AppError, notFound } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { linkEntity, linkStatusNow, orderEntity, paymentEntity } from './entities.js';
import { newRazorpayId, unixSeconds } from './ids.js';
import { findLink } from './link.service.js';
import type { CheckoutActionBody } from './razorpay.schemas.js';
import { sandboxLinks } from './sandbox-link.model.js';
import type { LinkStatus, SandboxLinkRecord } from './sandbox-link.model.js';
import { sandboxPayments } from './sandbox-payment.model.js';
import type { SandboxPaymentRecord } from './sandbox-payment.model.js';
import { recordEvents } from './webhook-events.service.js';

/** What pay and fail answer. */
export interface CheckoutOutcome {
  paymentId: string;
  paymentLinkId: string;
  status: 'captured' | 'failed';
  events: { id: string; event: string }[];
}

const notPayable: Record<LinkStatus, string> = {
  created: 'The payment link changed while paying; try again',
  paid: 'This payment link has already been paid',
  cancelled: 'This payment link was cancelled',
  expired: 'This payment link has expired',
};

const refused = (status: LinkStatus) =>
  new AppError('link_not_payable', 400, notPayable[status], { linkStatus: status });

// Razorpay's pricing, roughly: 2% plus 18% GST on that fee; `fee` includes the tax.
function feeOf(amount: number): { fee: number; tax: number } {
  const base = Math.round(amount * 0.02);
  const tax = Math.round(base * 0.18);
  return { fee: base + tax, tax };
}

function paymentFields(runtime: Runtime, link: SandboxLinkRecord, paymentId: string, now: number) {
  return {
    keyId: runtime.config.razorpay.keyId,
    paymentId,
    linkId: link.linkId,
    orderId: link.orderId,
    amount: link.amount,
    currency: link.currency,
    method: 'upi' as const,
    description: link.description,
    // Razorpay's placeholders when the payer gave no email / the link had no contact.
    email: link.customer.email ?? 'void@razorpay.com',
    contact: link.customer.contact ?? '+919000090000',
    notes: link.notes,
    createdAt: now,
  };
}

async function payableLink(runtime: Runtime, linkId: string): Promise<SandboxLinkRecord> {
  const link = await findLink(runtime, linkId);
  if (!link) throw notFound('Payment link');
  return link;
}

/** Pays the whole amount; `late` pays a cancelled or expired link anyway (money captured while we cancelled). */
export async function payLink(
  runtime: Runtime,
  linkId: string,
  { deliver, late }: CheckoutActionBody,
): Promise<CheckoutOutcome> {
  const link = await payableLink(runtime, linkId);
  const status = linkStatusNow(link);
  if (status === 'paid' || (status !== 'created' && !late)) throw refused(status);
  const now = unixSeconds();
  const paymentId = newRazorpayId('pay');
  const open = late ? {} : { $or: [{ expireBy: null }, { expireBy: { $gt: now } }] };
  const paid = await sandboxLinks()
    .findOneAndUpdate(
      { keyId: link.keyId, linkId, status: link.status, amountPaid: 0, ...open },
      {
        $set: { status: 'paid', amountPaid: link.amount, updatedAt: now },
        $push: { payments: { paymentId, amount: link.amount, method: 'upi', status: 'captured', createdAt: now } },
      },
      { new: true },
    )
    .lean<SandboxLinkRecord>();
  if (!paid) throw refused(linkStatusNow((await findLink(runtime, linkId)) ?? link));
  const payment = (
    await sandboxPayments().create({
      ...paymentFields(runtime, paid, paymentId, now),
      status: 'captured',
      vpa: 'success@razorpay',
      ...feeOf(paid.amount),
      rrn: String(randomInt(100_000, 999_999)) + String(randomInt(100_000, 999_999)),
    })
  ).toObject() as SandboxPaymentRecord;
  const entity = paymentEntity(payment);
  const events = await recordEvents(
    runtime,
    [
      {
        event: 'payment.captured',
        contains: ['payment'],
        payload: { payment: { entity } },
        paymentLinkId: linkId,
        paymentId,
      },
      {
        event: 'payment_link.paid',
        contains: ['payment_link', 'order', 'payment'],
        payload: {
          payment_link: { entity: linkEntity(paid, runtime.config.publicUrl, { inWebhook: true }) },
          order: { entity: orderEntity(paid) },
          payment: { entity },
        },
        paymentLinkId: linkId,
        paymentId,
      },
    ],
    { deliver },
  );
  log().info({ paymentLinkId: linkId, paymentId, late }, 'sandbox razorpay link paid');
  return { paymentId, paymentLinkId: linkId, status: 'captured', events };
}

/** A failed attempt: the link stays `created` and can still be paid. */
export async function failLink(
  runtime: Runtime,
  linkId: string,
  { deliver }: Pick<CheckoutActionBody, 'deliver'>,
): Promise<CheckoutOutcome> {
  const link = await payableLink(runtime, linkId);
  const status = linkStatusNow(link);
  if (status !== 'created') throw refused(status);
  const now = unixSeconds();
  const paymentId = newRazorpayId('pay');
  const attempted = await sandboxLinks()
    .findOneAndUpdate(
      { keyId: link.keyId, linkId, status: 'created' },
      {
        $set: { updatedAt: now },
        $push: { payments: { paymentId, amount: link.amount, method: 'upi', status: 'failed', createdAt: now } },
      },
      { new: true },
    )
    .lean<SandboxLinkRecord>();
  if (!attempted) throw refused(linkStatusNow((await findLink(runtime, linkId)) ?? link));
  const payment = (
    await sandboxPayments().create({
      ...paymentFields(runtime, attempted, paymentId, now),
      status: 'failed',
      vpa: 'failure@razorpay',
      error: {
        code: 'BAD_REQUEST_ERROR',
        description: 'Payment failed',
        source: 'customer',
        step: 'payment_authorization',
        reason: 'payment_failed',
      },
    })
  ).toObject() as SandboxPaymentRecord;
  const events = await recordEvents(
    runtime,
    [
      {
        event: 'payment.failed',
        contains: ['payment'],
        payload: { payment: { entity: paymentEntity(payment) } },
        paymentLinkId: linkId,
        paymentId,
      },
    ],
    { deliver },
  );
  log().info({ paymentLinkId: linkId, paymentId }, 'sandbox razorpay payment failed');
  return { paymentId, paymentLinkId: linkId, status: 'failed', events };
}
