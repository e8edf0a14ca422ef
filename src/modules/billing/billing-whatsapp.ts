/**
 * Money documents to the patient on WhatsApp: the receipt of every recorded payment, the invoice
 * once it is paid in full, and the refund voucher (with its credit note) once a refund is paid out. Each PDF is rendered
 * (and stored) first if missing, then handed to messaging, which sends each document once per
 * dedupe key — a redelivered event sends nothing more. Captions name the document and amount, no
 * clinical text.
 */
import { formatRupees } from '../../../flows/booking.format.js';
import { systemActor } from '../../platform/actor.js';
import { subscribe } from '../../platform/domain-events.js';
import { sendPatientDocument } from '../messaging/patient-documents.js';
import { getClinic } from '../clinics/clinic.service.js';
import { creditNotePdf, pdfKeyOf as creditNotePdfKey } from './credit-note.service.js';
import { invoicePdf, pdfKeyOf as invoicePdfKey } from './invoice-issue.service.js';
import { loadInvoiceRecord } from './invoice.service.js';
import { loadPaymentRecord, receiptKeyOf, receiptPdf } from './payment-read.service.js';
import { pdfKeyOf as voucherPdfKey, refundVoucherPdf } from './refund-settle.service.js';
import { getRefund } from './refund.service.js';

async function sendReceipt(clinicId: string, paymentId: string): Promise<void> {
  const actor = systemActor(clinicId, 'billing:whatsapp');
  const { filename } = await receiptPdf(actor, paymentId);
  const payment = await loadPaymentRecord(clinicId, paymentId);
  const clinic = await getClinic(clinicId);
  await sendPatientDocument({
    clinicId,
    patientId: String(payment.patientId),
    ...(payment.appointmentId ? { appointmentId: String(payment.appointmentId) } : {}),
    kind: 'receipt',
    storageKey: receiptKeyOf(payment),
    filename,
    caption: {
      en: `Receipt ${payment.receiptNumber} for ${formatRupees(payment.amountPaise)} — ${clinic.name}`,
      hi: `रसीद ${payment.receiptNumber}: ${formatRupees(payment.amountPaise)} — ${clinic.name}`,
    },
    dedupeKey: `receipt|${paymentId}`,
  });
}

async function sendPaidInvoice(clinicId: string, invoiceId: string): Promise<void> {
  const actor = systemActor(clinicId, 'billing:whatsapp');
  const { filename } = await invoicePdf(actor, invoiceId);
  const invoice = await loadInvoiceRecord(clinicId, invoiceId);
  await sendPatientDocument({
    clinicId,
    patientId: String(invoice.patientId),
    ...(invoice.appointmentId ? { appointmentId: String(invoice.appointmentId) } : {}),
    kind: 'invoice',
    storageKey: invoicePdfKey(invoice),
    filename,
    caption: {
      en: `${invoice.number} — paid in full, ${formatRupees(invoice.totals.totalPaise)}`,
      hi: `${invoice.number} — पूरा भुगतान, ${formatRupees(invoice.totals.totalPaise)}`,
    },
    dedupeKey: `invoice|${invoiceId}`,
  });
}

async function sendRefundVoucher(clinicId: string, refundId: string): Promise<void> {
  const actor = systemActor(clinicId, 'billing:whatsapp');
  const { filename } = await refundVoucherPdf(actor, refundId);
  const refund = await getRefund(actor, refundId);
  const payment = await loadPaymentRecord(clinicId, refund.paymentId);
  await sendPatientDocument({
    clinicId,
    patientId: String(payment.patientId),
    kind: 'refund_voucher',
    storageKey: voucherPdfKey({ clinicId, _id: refundId }),
    filename,
    caption: {
      en: `Refund voucher ${refund.voucherNumber} — ${formatRupees(refund.amountPaise)}`,
      hi: `रिफ़ंड वाउचर ${refund.voucherNumber} — ${formatRupees(refund.amountPaise)}`,
    },
    dedupeKey: `refund-voucher|${refundId}`,
  });
  // Money that was on the invoice comes off it by credit note: the GST document of the refund.
  if (!refund.creditNoteId) return;
  const note = await creditNotePdf(actor, refund.creditNoteId);
  await sendPatientDocument({
    clinicId,
    patientId: String(payment.patientId),
    kind: 'credit_note',
    storageKey: creditNotePdfKey({ clinicId, _id: refund.creditNoteId }),
    filename: note.filename,
    caption: {
      en: `Credit note ${refund.creditNoteNumber} — ${formatRupees(refund.amountPaise)}`,
      hi: `क्रेडिट नोट ${refund.creditNoteNumber} — ${formatRupees(refund.amountPaise)}`,
    },
    dedupeKey: `credit-note|${refund.creditNoteId}`,
  });
}

/** Sends a recorded payment's receipt, and its invoice if that is now paid in full (each once). */
export async function sendPaymentDocuments(clinicId: string, paymentId: string): Promise<void> {
  await sendReceipt(clinicId, paymentId);
  const payment = await loadPaymentRecord(clinicId, paymentId);
  const invoice = await loadInvoiceRecord(clinicId, payment.invoiceId);
  if (invoice.status === 'paid') await sendPaidInvoice(clinicId, String(invoice._id));
}

/** Subscribes the document sending to desk payments and refunds. */
export function registerBillingWhatsApp(): void {
  subscribe('payment.recorded', 'billing-whatsapp-receipt', async ({ clinicId, paymentId, provider }) => {
    // Online payments are sent by payments after it settles the booking, so the chat reads
    // "payment received, confirmed" before the receipt.
    if (provider) return;
    await sendPaymentDocuments(clinicId, paymentId);
  });
  subscribe('refund.completed', 'billing-whatsapp-refund', async ({ clinicId, refundId, status }) => {
    if (status === 'processed') await sendRefundVoucher(clinicId, refundId);
  });
}
