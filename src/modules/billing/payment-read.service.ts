/** Reading payments: one payment, an invoice's payments, the webhook's lookup by provider id, and receipt PDFs. */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { conflict, notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { documentKey, storedPdf, unicodeFontPath } from './documents/document-store.js';
import { renderReceiptPdf } from './documents/voucher.pdf.js';
import { loadInvoiceRecord } from './invoice.service.js';
import { Payment } from './payment.model.js';
import type { PaymentRecord } from './payment.model.js';
import { toPaymentView } from './payment.view.js';
import type { PaymentView } from './payment.view.js';

/** The stored payment `paymentId` of `clinicId`, or 404. */
export async function loadPaymentRecord(clinicId: string, paymentId: string | Types.ObjectId): Promise<PaymentRecord> {
  const doc = Types.ObjectId.isValid(String(paymentId))
    ? await Payment.findOne({ _id: paymentId, clinicId }).lean<PaymentRecord>()
    : null;
  if (!doc) throw notFound('Payment');
  return doc;
}

/** Where a payment's receipt voucher PDF is stored. */
export function receiptKeyOf(payment: Pick<PaymentRecord, 'clinicId' | '_id'>): string {
  return documentKey(String(payment.clinicId), 'receipts', String(payment._id));
}

/** The payment recorded for a provider's payment id, or null (the webhook's lookup). */
export async function findProviderPayment(
  clinicId: string,
  provider: 'razorpay',
  providerPaymentId: string,
): Promise<PaymentView | null> {
  const doc = await Payment.findOne({ clinicId, dedupeKey: `${provider}|${providerPaymentId}` }).lean<PaymentRecord>();
  return doc ? toPaymentView(doc) : null;
}

/** One payment. */
export async function getPayment(actor: Actor, paymentId: string): Promise<PaymentView> {
  const payment = await loadPaymentRecord(actor.clinicId, paymentId);
  assertCan(actor, 'read', 'payments', { clinicId: payment.clinicId, patientId: payment.patientId });
  return toPaymentView(payment);
}

/** An invoice's payments, newest first. */
export async function listInvoicePayments(actor: Actor, invoiceId: string): Promise<PaymentView[]> {
  const invoice = await loadInvoiceRecord(actor.clinicId, invoiceId);
  assertCan(actor, 'read', 'payments', { clinicId: invoice.clinicId, patientId: invoice.patientId });
  const docs = await Payment.find({ clinicId: actor.clinicId, invoiceId: invoice._id })
    .sort({ receivedAt: -1 })
    .lean<PaymentRecord[]>();
  return docs.map(toPaymentView);
}

/** The receipt voucher PDF of a recorded payment (rendered again if missing). */
export async function receiptPdf(actor: Actor, paymentId: string): Promise<{ filename: string; body: Buffer }> {
  const payment = await loadPaymentRecord(actor.clinicId, paymentId);
  assertCan(actor, 'read', 'payments', { clinicId: payment.clinicId, patientId: payment.patientId });
  if (payment.status !== 'recorded' || !payment.receiptNumber)
    throw conflict('Only recorded payments have a receipt', { reason: 'no_receipt', currentStatus: payment.status });
  const invoice = await loadInvoiceRecord(actor.clinicId, payment.invoiceId);
  const body = await storedPdf(receiptKeyOf(payment), () => renderReceiptPdf(payment, invoice, unicodeFontPath()));
  return { filename: `${payment.receiptNumber.replace(/\//g, '-')}.pdf`, body };
}
