/**
 * Razorpay's JSON entities (payment link, payment, order, refund) built from the stand-in's
 * records, field for field as the API documents them. One Razorpay quirk is kept on purpose:
 * empty `notes` serialise as `[]`, not `{}`, so parsers that assume an object are caught here.
 */
import { unixSeconds } from './ids.js';
import type { SandboxLinkRecord, LinkStatus } from './sandbox-link.model.js';
import type { SandboxPaymentRecord } from './sandbox-payment.model.js';
import type { SandboxRefundRecord } from './sandbox-refund.model.js';

type Notes = Record<string, string | number> | null | undefined;

/** Razorpay's `notes`: the object, or `[]` when there are none. */
export function notesJson(notes: Notes): Record<string, string | number> | never[] {
  return notes && Object.keys(notes).length > 0 ? notes : [];
}

/** A link's status now: a `created` link whose expire_by has passed is `expired`. */
export function linkStatusNow(link: Pick<SandboxLinkRecord, 'status' | 'expireBy'>, now = unixSeconds()): LinkStatus {
  return link.status === 'created' && link.expireBy !== null && link.expireBy <= now ? 'expired' : link.status;
}

/** The checkout page of a link (Razorpay's `short_url`). */
export const shortUrlOf = (publicUrl: string, linkId: string) => `${publicUrl}/sandbox/razorpay/l/${linkId}`;

/** The payment link entity; `inWebhook` adds `order_id` and drops `payments`, as webhook payloads do. */
export function linkEntity(
  link: SandboxLinkRecord,
  publicUrl: string,
  { inWebhook = false } = {},
): Record<string, unknown> {
  const status = linkStatusNow(link);
  const payments = link.payments.map((payment) => ({
    amount: payment.amount,
    created_at: payment.createdAt,
    method: payment.method,
    payment_id: payment.paymentId,
    plink_id: link.linkId,
    status: payment.status,
    updated_at: payment.createdAt,
  }));
  return {
    accept_partial: link.acceptPartial,
    amount: link.amount,
    amount_paid: link.amountPaid,
    ...(link.callbackUrl ? { callback_method: link.callbackMethod ?? 'get', callback_url: link.callbackUrl } : {}),
    cancelled_at: link.cancelledAt,
    created_at: link.createdAt,
    currency: link.currency,
    customer: link.customer,
    description: link.description,
    expire_by: link.expireBy ?? 0,
    expired_at: status === 'expired' ? link.expiredAt || (link.expireBy ?? 0) : 0,
    first_min_partial_amount: link.firstMinPartialAmount ?? 0,
    id: link.linkId,
    notes: notesJson(link.notes),
    notify: {
      email: link.notify.email ?? false,
      sms: link.notify.sms ?? false,
      whatsapp: link.notify.whatsapp ?? false,
    },
    ...(inWebhook ? { order_id: link.orderId } : { payments: payments.length > 0 ? payments : null }),
    reference_id: link.referenceId ?? '',
    reminder_enable: link.reminderEnable,
    reminders: [],
    short_url: shortUrlOf(publicUrl, link.linkId),
    status,
    updated_at: link.updatedAt,
    upi_link: link.upiLink,
    user_id: '',
    whatsapp_link: false,
  };
}

/** The payment entity (UPI, as a patient on WhatsApp pays). */
export function paymentEntity(payment: SandboxPaymentRecord): Record<string, unknown> {
  const failed = payment.status === 'failed';
  return {
    id: payment.paymentId,
    entity: 'payment',
    amount: payment.amount,
    currency: payment.currency,
    status: payment.status,
    order_id: payment.orderId,
    invoice_id: null,
    international: false,
    method: payment.method,
    amount_refunded: payment.amountRefunded,
    refund_status: payment.refundStatus,
    captured: !failed,
    description: payment.description,
    card_id: null,
    bank: null,
    wallet: null,
    vpa: payment.vpa,
    email: payment.email,
    contact: payment.contact,
    notes: notesJson(payment.notes),
    fee: payment.fee,
    tax: payment.tax,
    error_code: payment.error?.code ?? null,
    error_description: payment.error?.description ?? null,
    error_source: payment.error?.source ?? null,
    error_step: payment.error?.step ?? null,
    error_reason: payment.error?.reason ?? null,
    acquirer_data: { rrn: payment.rrn, upi_transaction_id: null },
    upi: { vpa: payment.vpa },
    created_at: payment.createdAt,
  };
}

/** The order Razorpay creates behind a payment link (part of `payment_link.paid`). */
export function orderEntity(link: SandboxLinkRecord): Record<string, unknown> {
  return {
    id: link.orderId,
    entity: 'order',
    amount: link.amount,
    amount_paid: link.amountPaid,
    amount_due: Math.max(0, link.amount - link.amountPaid),
    currency: link.currency,
    receipt: link.referenceId,
    offer_id: null,
    status: link.amountPaid >= link.amount ? 'paid' : 'attempted',
    attempts: link.payments.length,
    notes: notesJson(link.notes),
    created_at: link.createdAt,
  };
}

/** The refund entity. */
export function refundEntity(refund: SandboxRefundRecord): Record<string, unknown> {
  return {
    id: refund.refundId,
    entity: 'refund',
    amount: refund.amount,
    currency: refund.currency,
    payment_id: refund.paymentId,
    notes: notesJson(refund.notes),
    receipt: refund.receipt,
    acquirer_data: { arn: null },
    created_at: refund.createdAt,
    batch_id: null,
    status: refund.status,
    speed_processed: refund.speedProcessed,
    speed_requested: refund.speedRequested,
  };
}
