/** What callers see of a payment. */
import type { PaymentMethod, PaymentRecord, PaymentStatus } from './payment.model.js';

/** A payment as the API returns it. */
export interface PaymentView {
  id: string;
  invoiceId: string;
  patientId: string;
  appointmentId?: string;
  amountPaise: number;
  method: PaymentMethod;
  channel: 'counter' | 'online';
  provider?: string;
  providerPaymentId?: string;
  reference?: string;
  status: PaymentStatus;
  rejectReason?: string;
  receiptNumber?: string;
  receivedAt: Date;
  refundablePaise: number;
}

/** Maps a stored payment to its view. */
export function toPaymentView(doc: PaymentRecord): PaymentView {
  return {
    id: String(doc._id),
    invoiceId: String(doc.invoiceId),
    patientId: String(doc.patientId),
    ...(doc.appointmentId ? { appointmentId: String(doc.appointmentId) } : {}),
    amountPaise: doc.amountPaise,
    method: doc.method,
    channel: doc.channel,
    ...(doc.provider ? { provider: doc.provider, providerPaymentId: doc.providerPaymentId } : {}),
    ...(doc.reference ? { reference: doc.reference } : {}),
    status: doc.status,
    ...(doc.rejectReason ? { rejectReason: doc.rejectReason } : {}),
    ...(doc.receiptNumber ? { receiptNumber: doc.receiptNumber } : {}),
    receivedAt: doc.receivedAt,
    refundablePaise: doc.refundablePaise,
  };
}
