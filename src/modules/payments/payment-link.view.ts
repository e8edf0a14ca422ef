/** The API's view of a payment link: ids, amount, where to pay, until when, and its status. */
import type { PaymentLinkRecord } from './payment-link.model.js';

/** A payment link as the API answers it. */
export interface PaymentLinkView {
  id: string;
  invoiceId: string;
  appointmentId?: string;
  /** Razorpay's id (`plink_…`). */
  paymentLinkId: string;
  shortUrl: string;
  amountPaise: number;
  expiresAt: string;
  status: PaymentLinkRecord['status'];
  attempt: number;
}

/** Maps a stored link that Razorpay has created to its view. */
export function toPaymentLinkView(doc: PaymentLinkRecord): PaymentLinkView {
  return {
    id: String(doc._id),
    invoiceId: String(doc.invoiceId),
    ...(doc.appointmentId ? { appointmentId: String(doc.appointmentId) } : {}),
    paymentLinkId: doc.providerLinkId ?? '',
    shortUrl: doc.shortUrl ?? '',
    amountPaise: doc.amountPaise,
    expiresAt: doc.expireBy.toISOString(),
    status: doc.status,
    attempt: doc.attempt,
  };
}
