/**
 * What each stored Razorpay event does. Handlers are idempotent and order-free: a payment is
 * recorded whichever of `payment.captured` / `payment_link.paid` comes first, a refund settles
 * whether or not our own call has come back yet. Events we did not cause (no link, payment or
 * refund of ours) are ignored, as are event types we do not use. Acts as the system.
 */
import { Types } from 'mongoose';
import { systemActor } from '../../platform/actor.js';
import type { Actor } from '../../platform/actor.js';
import { findProviderPayment } from '../billing/payment-read.service.js';
import { markRefundFailed, markRefundProcessed } from '../billing/refund-settle.service.js';
import { findProviderRefund, getRefund } from '../billing/refund.service.js';
import type { RefundView } from '../billing/refund.view.js';
import { settleCapturedPayment } from './captured-payment.service.js';
import { PaymentLink } from './payment-link.model.js';
import type { PaymentLinkRecord } from './payment-link.model.js';
import { notifyPatient } from './payment-notices.js';
import type { RazorpayEventRecord } from './razorpay-event.model.js';
import type { RazorpayEventFacts } from './razorpay-event.schemas.js';

const actorFor = (clinicId: string): Actor => systemActor(clinicId, 'razorpay:webhook');

async function linkOf(facts: RazorpayEventFacts): Promise<PaymentLinkRecord | null> {
  return facts.paymentLinkId
    ? PaymentLink.findOne({ providerLinkId: facts.paymentLinkId }).lean<PaymentLinkRecord>()
    : null;
}

async function captured(facts: RazorpayEventFacts): Promise<string> {
  if (!facts.paymentId || facts.amountPaise === undefined) return 'ignored:no_payment';
  if (facts.paymentStatus !== 'captured') return `ignored:payment_${facts.paymentStatus ?? 'unknown'}`;
  const link = await linkOf(facts);
  const clinicId = link ? String(link.clinicId) : facts.clinicId;
  const invoiceId = link ? String(link.invoiceId) : facts.invoiceId;
  if (!clinicId || !invoiceId) return 'ignored:not_ours';
  return settleCapturedPayment(actorFor(clinicId), {
    invoiceId,
    providerPaymentId: facts.paymentId,
    amountPaise: facts.amountPaise,
    ...(facts.method ? { method: facts.method } : {}),
    ...(facts.orderId ? { providerOrderId: facts.orderId } : {}),
    ...(facts.paymentLinkId ? { paymentLinkId: facts.paymentLinkId } : {}),
  });
}

async function failed(record: RazorpayEventRecord): Promise<string> {
  const { facts } = record;
  const clinicId = facts.clinicId;
  if (!clinicId || !facts.invoiceId) return 'ignored:not_ours';
  // Counted per event (stored once); the patient is told once per failed payment.
  const link = await PaymentLink.findOneAndUpdate(
    { clinicId, invoiceId: facts.invoiceId, status: 'created' },
    { $inc: { failedPayments: 1 } },
    { sort: { attempt: -1 }, new: true },
  ).lean<PaymentLinkRecord>();
  if (link)
    await notifyPatient(
      clinicId,
      String(link.patientId),
      { key: 'payment_failed' },
      {
        appointmentId: link.appointmentId ? String(link.appointmentId) : undefined,
        once: `failed|${facts.paymentId ?? record.eventId}`,
      },
    );
  return 'payment_failed';
}

async function ourRefund(facts: RazorpayEventFacts): Promise<RefundView | null> {
  if (facts.clinicId && facts.ourRefundId) {
    const byNote = await getRefund(actorFor(facts.clinicId), facts.ourRefundId).catch(() => null);
    if (byNote) return byNote;
  }
  if (facts.clinicId && facts.refundId) return findProviderRefund(facts.clinicId, facts.refundId);
  return null;
}

async function refundSettled(facts: RazorpayEventFacts, outcome: 'processed' | 'failed'): Promise<string> {
  const refund = await ourRefund(facts);
  if (!refund || !facts.clinicId || !facts.refundId) return 'ignored:not_ours';
  const actor = actorFor(facts.clinicId);
  const before = refund.status;
  const settled =
    outcome === 'processed'
      ? await markRefundProcessed(actor, refund.id, facts.refundId)
      : await markRefundFailed(actor, refund.id, 'razorpay_refund_failed');
  if (before !== settled.status) {
    const payment = await findProviderPayment(facts.clinicId, 'razorpay', refund.providerPaymentId ?? '');
    if (payment)
      await notifyPatient(
        facts.clinicId,
        payment.patientId,
        { key: outcome === 'processed' ? 'refund_processed' : 'refund_failed', amountPaise: refund.amountPaise },
        { appointmentId: payment.appointmentId, once: `refund-${outcome}|${refund.id}` },
      );
  }
  return `refund_${settled.status}`;
}

/** Handles one stored event; returns its outcome (`ignored:…` for events that are not ours). Throws to be retried. */
export async function handleRazorpayEvent(record: RazorpayEventRecord): Promise<string> {
  if (record.facts.clinicId && !Types.ObjectId.isValid(record.facts.clinicId)) return 'ignored:bad_clinic';
  switch (record.event) {
    case 'payment_link.paid':
    case 'payment.captured':
      return captured(record.facts);
    case 'payment.failed':
      return failed(record);
    case 'refund.processed':
      return refundSettled(record.facts, 'processed');
    case 'refund.failed':
      return refundSettled(record.facts, 'failed');
    default:
      return `ignored:${record.event}`;
  }
}
