/**
 * The refund lifecycle after the request — what the Razorpay webhook engineer calls:
 *
 *   markRefundProcessing(actor, refundId, providerRefundId?)   the SDK accepted the refund
 *   markRefundProcessed(actor, refundId, providerRefundId)     refund.processed arrived
 *   markRefundFailed(actor, refundId, reason)                  refund.failed arrived
 *   completeCounterRefund(actor, refundId)                     the desk handed the money back
 *
 * Settling (processed) issues the credit note for invoiced money, numbers the refund voucher,
 * posts the payout and stores the voucher PDF — every step idempotent, so a repeated or
 * out-of-order webhook, or a retry after a crash, settles once. Failing gives the amount back to
 * the payment's refundable balance (once). All are no-ops when repeated.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { publish } from '../../platform/domain-events.js';
import { conflict, notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getClinic } from '../clinics/clinic.service.js';
import { localDateOf } from '../scheduling/clinic-time.js';
import { moneyAccountOf, postRefundPaid } from './billing-postings.js';
import { createPendingCreditNote, finishCreditNote } from './credit-note.service.js';
import { allocateNumber } from './document-numbers.js';
import { documentKey, storedPdf, storePdfQuietly, unicodeFontPath } from './documents/document-store.js';
import { renderRefundVoucherPdf } from './documents/voucher.pdf.js';
import { loadInvoiceRecord } from './invoice.service.js';
import { Payment } from './payment.model.js';
import { loadPaymentRecord } from './payment-read.service.js';
import { assertMayRefund } from './refund-access.js';
import { Refund } from './refund.model.js';
import type { RefundRecord } from './refund.model.js';
import { toRefundView } from './refund.view.js';
import type { RefundView } from './refund.view.js';

const OPEN = ['requested', 'processing'];

async function loadRefund(clinicId: string, refundId: string | Types.ObjectId): Promise<RefundRecord> {
  const doc = Types.ObjectId.isValid(String(refundId))
    ? await Refund.findOne({ _id: refundId, clinicId }).lean<RefundRecord>()
    : null;
  if (!doc) throw notFound('Refund');
  return doc;
}

/** Where a refund's voucher PDF is stored. */
export function pdfKeyOf(refund: { clinicId: unknown; _id: unknown }): string {
  return documentKey(String(refund.clinicId), 'refund-vouchers', String(refund._id));
}

async function renderVoucher(refund: RefundRecord): Promise<Buffer> {
  const [invoice, payment] = await Promise.all([
    loadInvoiceRecord(String(refund.clinicId), refund.invoiceId),
    loadPaymentRecord(String(refund.clinicId), refund.paymentId),
  ]);
  return renderRefundVoucherPdf(refund, payment, invoice, unicodeFontPath());
}

/** Pays a refund out in the books: credit note (for invoiced money), voucher, posting, PDF. */
export async function settleRefund(
  actor: Actor,
  refund: RefundRecord,
  providerRefundId?: string,
): Promise<RefundRecord> {
  const clinicId = String(refund.clinicId);
  const payment = await loadPaymentRecord(clinicId, refund.paymentId);
  const now = new Date();
  const localDate = refund.localDate ?? localDateOf(now, (await getClinic(clinicId)).timezone);
  // Money that was applied to the invoice comes off it by credit note; unapplied money never went on it.
  const note =
    payment.status === 'recorded'
      ? await finishCreditNote(
          actor,
          await createPendingCreditNote(actor, await loadInvoiceRecord(clinicId, refund.invoiceId), {
            amountPaise: refund.amountPaise,
            reason: refund.reason,
            kind: 'refund',
            sourceKey: `refund|${String(refund._id)}`,
            refundId: refund._id,
            ...(refund.lineId ? { lineId: refund.lineId } : {}),
          }),
        )
      : null;
  const voucher = await allocateNumber(clinicId, 'RFV', localDate, `refund|${String(refund._id)}`);
  const settled = await Refund.findOneAndUpdate(
    { _id: refund._id, clinicId, status: { $in: OPEN } },
    {
      $set: {
        status: 'processed',
        processedAt: now,
        localDate,
        voucherNumber: voucher.number,
        pdfKey: pdfKeyOf(refund),
        ...(note ? { creditNoteId: note._id, creditNoteNumber: note.number } : {}),
        ...(providerRefundId ? { providerRefundId } : {}),
      },
    },
    { new: true },
  ).lean<RefundRecord>();
  const current = settled ?? (await loadRefund(clinicId, refund._id));
  const account =
    current.channel === 'online' ? 'razorpay_clearing' : moneyAccountOf({ method: current.method ?? 'cash' });
  await postRefundPaid(
    {
      clinicId,
      id: String(current._id),
      localDate: current.localDate ?? localDate,
      at: current.processedAt ?? now,
      memo: voucher.number,
    },
    current.amountPaise,
    account,
  );
  await storePdfQuietly(pdfKeyOf(current), () => renderVoucher(current));
  if (settled) {
    await audit.record({
      actor,
      action: 'refund.processed',
      entity: { type: 'refund', id: String(refund._id) },
      diff: [
        { field: 'status', from: refund.status, to: 'processed' },
        { field: 'voucherNumber', to: voucher.number },
        ...(note ? [{ field: 'creditNoteNumber', to: note.number }] : []),
        ...(providerRefundId ? [{ field: 'providerRefundId', to: providerRefundId }] : []),
      ],
    });
    await publish('refund.completed', {
      clinicId,
      refundId: String(refund._id),
      invoiceId: String(refund.invoiceId),
      paymentId: String(refund.paymentId),
      amountPaise: refund.amountPaise,
      status: 'processed',
    });
  }
  return current;
}

/** The provider accepted the refund (it is on its way); records its refund id. Idempotent. */
export async function markRefundProcessing(
  actor: Actor,
  refundId: string,
  providerRefundId?: string,
): Promise<RefundView> {
  assertMayRefund(actor);
  const refund = await loadRefund(actor.clinicId, refundId);
  if (refund.status === 'failed')
    throw conflict('The refund has failed', { reason: 'refund_failed', currentStatus: refund.status });
  const updated = await Refund.findOneAndUpdate(
    { _id: refund._id, clinicId: actor.clinicId, status: 'requested' },
    { $set: { status: 'processing', ...(providerRefundId ? { providerRefundId } : {}) } },
    { new: true },
  ).lean<RefundRecord>();
  return toRefundView(updated ?? (await loadRefund(actor.clinicId, refundId)));
}

/**
 * The provider paid the refund out (Razorpay `refund.processed`): credit note, refund voucher,
 * ledger. Idempotent; 409 when it already settled under another provider refund id or failed.
 */
export async function markRefundProcessed(
  actor: Actor,
  refundId: string,
  providerRefundId: string,
): Promise<RefundView> {
  assertMayRefund(actor);
  const refund = await loadRefund(actor.clinicId, refundId);
  if (refund.channel !== 'online')
    throw conflict('Desk refunds are completed at the desk', { reason: 'counter_refund' });
  if (refund.status === 'failed')
    throw conflict('The refund has failed', { reason: 'refund_failed', currentStatus: refund.status });
  if (refund.providerRefundId && refund.providerRefundId !== providerRefundId) {
    throw conflict('The refund is known under another provider refund id', {
      reason: 'provider_refund_mismatch',
      providerRefundId: refund.providerRefundId,
    });
  }
  if (refund.status === 'reserving')
    throw conflict('The refund is still being requested', { reason: 'refund_not_requested' });
  return toRefundView(await settleRefund(actor, refund, providerRefundId));
}

/** The provider gave up (Razorpay `refund.failed`): the amount goes back to the payment's refundable balance, once. */
export async function markRefundFailed(actor: Actor, refundId: string, failureReason: string): Promise<RefundView> {
  assertMayRefund(actor);
  const refund = await loadRefund(actor.clinicId, refundId);
  if (refund.status === 'processed') throw conflict('The refund was already processed', { reason: 'refund_processed' });
  const failed =
    refund.status === 'failed'
      ? null
      : await Refund.findOneAndUpdate(
          { _id: refund._id, clinicId: actor.clinicId, status: { $in: OPEN } },
          { $set: { status: 'failed', failureReason: failureReason.slice(0, 300), failedAt: new Date() } },
          { new: true },
        ).lean<RefundRecord>();
  const current = failed ?? (await loadRefund(actor.clinicId, refundId));
  if (current.status !== 'failed')
    throw conflict(`A ${current.status} refund cannot fail now`, {
      reason: 'refund_not_open',
      currentStatus: current.status,
    });
  // Release only what this refund reserved, and only once (membership is the guard).
  await Payment.updateOne(
    { _id: refund.paymentId, clinicId: actor.clinicId, reservedRefundIds: refund._id },
    { $inc: { refundablePaise: refund.amountPaise }, $pull: { reservedRefundIds: refund._id } },
  );
  if (failed) {
    await audit.record({
      actor,
      action: 'refund.failed',
      entity: { type: 'refund', id: refundId },
      diff: [
        { field: 'status', from: refund.status, to: 'failed' },
        { field: 'failureReason', to: failed.failureReason },
      ],
    });
    await publish('refund.completed', {
      clinicId: actor.clinicId,
      refundId,
      invoiceId: String(refund.invoiceId),
      paymentId: String(refund.paymentId),
      amountPaise: refund.amountPaise,
      status: 'failed',
    });
  }
  return toRefundView(current);
}

/** Pays out a desk refund that was waiting (an automatic refund of a desk payment): voucher and books. */
export async function completeCounterRefund(actor: Actor, refundId: string): Promise<RefundView> {
  assertMayRefund(actor);
  const refund = await loadRefund(actor.clinicId, refundId);
  if (refund.channel !== 'counter')
    throw conflict('Online refunds complete when the provider reports back', { reason: 'online_refund' });
  if (!OPEN.includes(refund.status) && refund.status !== 'processed')
    throw conflict(`A ${refund.status} refund cannot be paid out`, {
      reason: 'refund_not_open',
      currentStatus: refund.status,
    });
  return toRefundView(await settleRefund(actor, refund));
}

/** The refund voucher PDF of a processed refund (rendered again if missing). */
export async function refundVoucherPdf(actor: Actor, refundId: string): Promise<{ filename: string; body: Buffer }> {
  const refund = await loadRefund(actor.clinicId, refundId);
  assertCan(actor, 'read', 'refunds', { clinicId: refund.clinicId, patientId: refund.patientId });
  if (refund.status !== 'processed' || !refund.voucherNumber)
    throw conflict('Only processed refunds have a voucher', { reason: 'no_voucher', currentStatus: refund.status });
  const body = await storedPdf(pdfKeyOf(refund), () => renderVoucher(refund));
  return { filename: `${refund.voucherNumber.replace(/\//g, '-')}.pdf`, body };
}
