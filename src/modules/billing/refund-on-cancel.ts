/**
 * Refunds from the cancellation rules: when an appointment is cancelled with a refund due (the
 * lifecycle machine decides how much), the money paid on its invoices is refunded up to that
 * amount, newest payment first. Each payment's refund has the request key
 * `cancel|<appointmentId>|<paymentId>`, so a redelivered event finds the refunds already made and
 * asks for nothing more. Online refunds then wait for the Razorpay call; refunds of desk payments
 * wait for the desk to hand the money back (completeCounterRefund).
 */
import type { Actor } from '../../platform/actor.js';
import { systemActor } from '../../platform/actor.js';
import { subscribe } from '../../platform/domain-events.js';
import { settleCancelledAppointmentBills } from './cancellation-settle.js';
import { Invoice } from './invoice.model.js';
import type { InvoiceRecord } from './invoice.model.js';
import { Payment } from './payment.model.js';
import type { PaymentRecord } from './payment.model.js';
import { Refund } from './refund.model.js';
import type { RefundRecord } from './refund.model.js';
import { requestRefund } from './refund.service.js';
import type { RefundView } from './refund.view.js';

function requestKeyOf(appointmentId: string, paymentId: unknown): string {
  return `cancel|${appointmentId}|${String(paymentId)}`;
}

/** Requests the refunds `refundDuePaise` calls for on the appointment's paid invoices; returns those requested now. */
export async function refundCancelledAppointment(
  actor: Actor,
  appointmentId: string,
  refundDuePaise: number,
): Promise<RefundView[]> {
  const invoices = await Invoice.find(
    { clinicId: actor.clinicId, appointmentId, paidPaise: { $gt: 0 } },
    { _id: 1 },
  ).lean<Pick<InvoiceRecord, '_id'>[]>();
  if (invoices.length === 0) return [];
  const payments = await Payment.find({
    clinicId: actor.clinicId,
    invoiceId: { $in: invoices.map((invoice) => invoice._id) },
    status: 'recorded',
  })
    .sort({ receivedAt: -1 })
    .lean<PaymentRecord[]>();
  const earlier = await Refund.find({
    clinicId: actor.clinicId,
    requestKey: { $in: payments.map((payment) => `key|${requestKeyOf(appointmentId, payment._id)}`) },
  }).lean<RefundRecord[]>();
  let remaining =
    refundDuePaise -
    earlier.filter((refund) => refund.status !== 'failed').reduce((sum, refund) => sum + refund.amountPaise, 0);
  const requested: RefundView[] = [];
  for (const payment of payments) {
    if (remaining <= 0) break;
    if (earlier.some((refund) => String(refund.paymentId) === String(payment._id))) continue;
    const amountPaise = Math.min(remaining, payment.refundablePaise);
    if (amountPaise <= 0) continue;
    requested.push(
      await requestRefund(actor, {
        invoiceId: String(payment.invoiceId),
        paymentId: String(payment._id),
        amountPaise,
        reason: 'Appointment cancelled (refund by the cancellation rules)',
        requestKey: requestKeyOf(appointmentId, payment._id),
        source: 'cancellation',
      }),
    );
    remaining -= amountPaise;
  }
  return requested;
}

/** Subscribes the cancellation refunds and the settling of the appointment's bills to appointment transitions. */
export function registerCancellationRefunds(): void {
  subscribe(
    'appointment.transitioned',
    'billing-refund-on-cancel',
    async ({ clinicId, appointmentId, to, refundDuePaise }) => {
      if (to !== 'cancelled') return;
      const actor = systemActor(clinicId, 'billing:cancellation');
      if (refundDuePaise && refundDuePaise > 0) await refundCancelledAppointment(actor, appointmentId, refundDuePaise);
      await settleCancelledAppointmentBills(actor, appointmentId);
    },
  );
}
