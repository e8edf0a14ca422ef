/** What callers see of a refund. */
import type { RefundRecord, RefundStatus } from './refund.model.js';

/** A refund as the API returns it; `idempotencyKey` is what the provider call must send. */
export interface RefundView {
  id: string;
  invoiceId: string;
  paymentId: string;
  amountPaise: number;
  reason: string;
  source: RefundRecord['source'];
  status: RefundStatus;
  channel: 'counter' | 'online';
  idempotencyKey: string;
  provider?: string;
  providerPaymentId?: string;
  providerRefundId?: string;
  creditNoteId?: string;
  creditNoteNumber?: string;
  voucherNumber?: string;
  failureReason?: string;
  requestedAt: Date;
  processedAt?: Date;
}

/** Maps a stored refund to its view. */
export function toRefundView(doc: RefundRecord): RefundView {
  return {
    id: String(doc._id),
    invoiceId: String(doc.invoiceId),
    paymentId: String(doc.paymentId),
    amountPaise: doc.amountPaise,
    reason: doc.reason,
    source: doc.source,
    status: doc.status,
    channel: doc.channel,
    idempotencyKey: doc.idempotencyKey,
    ...(doc.provider ? { provider: doc.provider, providerPaymentId: doc.providerPaymentId } : {}),
    ...(doc.providerRefundId ? { providerRefundId: doc.providerRefundId } : {}),
    ...(doc.creditNoteId ? { creditNoteId: String(doc.creditNoteId), creditNoteNumber: doc.creditNoteNumber } : {}),
    ...(doc.voucherNumber ? { voucherNumber: doc.voucherNumber } : {}),
    ...(doc.failureReason ? { failureReason: doc.failureReason } : {}),
    requestedAt: doc.requestedAt,
    ...(doc.processedAt ? { processedAt: doc.processedAt } : {}),
  };
}
