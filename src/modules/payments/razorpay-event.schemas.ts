/**
 * Razorpay webhook bodies, as far as we read them: the envelope and the payment, payment link
 * and refund entities. Unknown fields pass; a body without the envelope is refused (400). The
 * facts we act on are extracted into plain ids and amounts — the payer's contact and e-mail are
 * never copied out of the (encrypted) raw body.
 */
import { z } from 'zod';

// Razorpay sends empty notes as [] and filled ones as an object.
const notes = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional();

const paymentEntity = z.looseObject({
  id: z.string().min(1),
  amount: z.number().int(),
  status: z.string(),
  method: z.string().nullish(),
  order_id: z.string().nullish(),
  notes,
  error_code: z.string().nullish(),
  error_reason: z.string().nullish(),
});

const paymentLinkEntity = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  amount: z.number().int().optional(),
  reference_id: z.string().nullish(),
  notes,
});

const refundEntity = z.looseObject({
  id: z.string().min(1),
  payment_id: z.string().min(1),
  amount: z.number().int(),
  status: z.string(),
  notes,
});

/** The webhook envelope. */
export const razorpayWebhookSchema = z.looseObject({
  entity: z.literal('event'),
  account_id: z.string().optional(),
  event: z.string().min(1).max(100),
  created_at: z.number().int().optional(),
  payload: z.looseObject({
    payment: z.object({ entity: paymentEntity }).optional(),
    payment_link: z.object({ entity: paymentLinkEntity }).optional(),
    refund: z.object({ entity: refundEntity }).optional(),
  }),
});
/** A parsed webhook body. */
export type RazorpayWebhook = z.infer<typeof razorpayWebhookSchema>;

/** What an event tells us, in ids and paise. */
export interface RazorpayEventFacts {
  paymentId?: string;
  paymentStatus?: string;
  amountPaise?: number;
  method?: string;
  orderId?: string;
  paymentLinkId?: string;
  paymentLinkStatus?: string;
  refundId?: string;
  refundAmountPaise?: number;
  refundStatus?: string;
  errorCode?: string;
  errorReason?: string;
  /** Our ids, from the notes we attached to the link or refund. */
  clinicId?: string;
  invoiceId?: string;
  appointmentId?: string;
  ourRefundId?: string;
}

function note(source: unknown, key: string): string | undefined {
  if (!source || Array.isArray(source) || typeof source !== 'object') return undefined;
  const value = (source as Record<string, unknown>)[key];
  return typeof value === 'string' && /^[a-f0-9]{24}$/.test(value) ? value : undefined;
}

function firstNote(key: string, ...sources: unknown[]): string | undefined {
  for (const source of sources) {
    const value = note(source, key);
    if (value) return value;
  }
  return undefined;
}

/** Extracts the facts of a webhook body (no PHI: no contact, e-mail, VPA or card details). */
export function factsOf(body: RazorpayWebhook): RazorpayEventFacts {
  const payment = body.payload.payment?.entity;
  const link = body.payload.payment_link?.entity;
  const refund = body.payload.refund?.entity;
  const sources = [link?.notes, refund?.notes, payment?.notes];
  const facts: RazorpayEventFacts = {
    ...(payment ? { paymentId: payment.id, paymentStatus: payment.status, amountPaise: payment.amount } : {}),
    ...(payment?.method ? { method: payment.method } : {}),
    ...(payment?.order_id ? { orderId: payment.order_id } : {}),
    ...(payment?.error_code ? { errorCode: payment.error_code } : {}),
    ...(payment?.error_reason ? { errorReason: payment.error_reason } : {}),
    ...(link ? { paymentLinkId: link.id, paymentLinkStatus: link.status } : {}),
    ...(refund ? { refundId: refund.id, refundAmountPaise: refund.amount, refundStatus: refund.status } : {}),
  };
  if (refund && !payment) facts.paymentId = refund.payment_id;
  const clinicId = firstNote('clinicId', ...sources);
  const invoiceId = firstNote('invoiceId', ...sources);
  const appointmentId = firstNote('appointmentId', ...sources);
  const ourRefundId = firstNote('refundId', refund?.notes);
  return {
    ...facts,
    ...(clinicId ? { clinicId } : {}),
    ...(invoiceId ? { invoiceId } : {}),
    ...(appointmentId ? { appointmentId } : {}),
    ...(ourRefundId ? { ourRefundId } : {}),
  };
}
