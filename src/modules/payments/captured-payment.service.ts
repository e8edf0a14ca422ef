/**
 * Money captured by Razorpay, whichever event tells us first (`payment.captured` or
 * `payment_link.paid`; both may come, in any order, more than once). The payment is recorded once
 * (billing dedupes on the Razorpay payment id), its link marked paid, and the appointment behind
 * it settled: a hold is confirmed; a hold that lapsed meanwhile is reinstated if its slot is still
 * free; otherwise — or when the money cannot be applied at all (the invoice was voided when the
 * hold lapsed) — the payment is refunded automatically and the patient told.
 */
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import { countAppointmentPayment } from '../appointments/appointment.payments.js';
import { reinstateLapsedHold } from '../appointments/appointment.reinstate.js';
import { getAppointment, transitionAppointment } from '../appointments/appointment.service.js';
import type { AppointmentView } from '../appointments/appointment.view.js';
import { sendPaymentDocuments } from '../billing/billing-whatsapp.js';
import { findProviderPayment } from '../billing/payment-read.service.js';
import { recordPayment } from '../billing/payment.service.js';
import type { PaymentMethod } from '../billing/payment.model.js';
import type { PaymentView } from '../billing/payment.view.js';
import { requestRefund } from '../billing/refund.service.js';
import { getSlot } from '../scheduling/slot.service.js';
import { PaymentLink } from './payment-link.model.js';
import { notifyPatient } from './payment-notices.js';

/** A captured payment as the webhook reports it. */
export interface CapturedPayment {
  invoiceId: string;
  providerPaymentId: string;
  amountPaise: number;
  method?: string;
  providerOrderId?: string;
  paymentLinkId?: string;
}

const ONLINE_METHODS: readonly PaymentMethod[] = ['upi', 'card', 'netbanking', 'wallet', 'emi'];

function methodOf(method: string | undefined): PaymentMethod {
  return ONLINE_METHODS.includes(method as PaymentMethod) ? (method as PaymentMethod) : 'other';
}

/** Refunds a payment that cannot stand (slot gone, booking cancelled, invoice void), once per payment. */
async function refundLatePayment(actor: Actor, payment: PaymentView, reason: string): Promise<string> {
  const requestKey = `late|${payment.id}`;
  const refund = await requestRefund(actor, {
    invoiceId: payment.invoiceId,
    paymentId: payment.id,
    amountPaise: payment.refundablePaise > 0 ? payment.refundablePaise : payment.amountPaise,
    reason,
    requestKey,
    source: 'cancellation',
  });
  await notifyPatient(
    actor.clinicId,
    payment.patientId,
    { key: 'late_payment_refunded', amountPaise: refund.amountPaise },
    { appointmentId: payment.appointmentId, once: requestKey },
  );
  return 'refunded_late_payment';
}

/** True when the appointment's slot is held by the appointment itself (another delivery is reinstating it). */
async function slotIsOurs(actor: Actor, appointment: AppointmentView): Promise<boolean> {
  const slot = appointment.slotId ? await getSlot(actor.clinicId, appointment.slotId) : null;
  return slot?.appointmentId === appointment.id;
}

async function reinstateOrRefund(actor: Actor, appointment: AppointmentView, payment: PaymentView): Promise<string> {
  if (appointment.cancellation?.refundReason !== 'hold_expired')
    return refundLatePayment(actor, payment, 'Paid after the booking was cancelled');
  // An earlier delivery already gave this money back: a slot freed since must not revive the booking.
  if (payment.refundablePaise < payment.amountPaise)
    return refundLatePayment(actor, payment, 'Paid after the hold lapsed and the time was taken');
  try {
    await reinstateLapsedHold(actor, appointment.id);
    return 'reinstated';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (await slotIsOurs(actor, appointment)) return 'reinstating_elsewhere';
    const now = await getAppointment(actor, appointment.id);
    if (now.status !== 'cancelled') return 'already_settled';
    log().info(
      { appointmentId: appointment.id, reason: error.details?.reason ?? error.code },
      'late payment: booking not reinstated',
    );
    return refundLatePayment(actor, payment, 'Paid after the hold lapsed and the time was taken');
  }
}

/** Moves the appointment on now that `payment` is recorded against it. */
async function settleAppointment(actor: Actor, payment: PaymentView): Promise<string> {
  if (!payment.appointmentId) return 'recorded';
  // Counted here as well as by the payment.recorded subscriber: confirming must not hang on a subscriber.
  await countAppointmentPayment(actor.clinicId, payment.appointmentId, payment.id, payment.amountPaise);
  const appointment = await getAppointment(actor, payment.appointmentId);
  if (appointment.status === 'tentative') {
    try {
      await transitionAppointment(actor, appointment.id, { event: 'CONFIRM', reason: 'prepaid_online' });
      return 'confirmed';
    } catch (error) {
      // Another delivery confirmed it first, or the payment was partial: nothing more to do here.
      if (error instanceof AppError && (error.status === 409 || error.status === 422))
        return `not_confirmed:${String(error.details?.reason ?? error.code)}`;
      throw error;
    }
  }
  if (appointment.status === 'cancelled') return reinstateOrRefund(actor, appointment, payment);
  return 'recorded';
}

/** Records and settles a captured payment; idempotent for any number of deliveries in any order. */
export async function settleCapturedPayment(actor: Actor, captured: CapturedPayment): Promise<string> {
  let payment: PaymentView;
  try {
    ({ payment } = await recordPayment(actor, {
      invoiceId: captured.invoiceId,
      amountPaise: captured.amountPaise,
      method: methodOf(captured.method),
      provider: 'razorpay',
      providerPaymentId: captured.providerPaymentId,
      ...(captured.providerOrderId ? { providerOrderId: captured.providerOrderId } : {}),
      ...(captured.paymentLinkId ? { paymentLinkId: captured.paymentLinkId } : {}),
    }));
  } catch (error) {
    // Money Razorpay holds that our books could not apply is kept as `unapplied`: give it back.
    const unapplied = error instanceof AppError && error.details?.paymentStatus === 'unapplied';
    if (!unapplied) throw error;
    const stored = await findProviderPayment(actor.clinicId, 'razorpay', captured.providerPaymentId);
    if (!stored) throw error;
    return refundLatePayment(actor, stored, 'Payment could not be applied to the invoice');
  }
  if (captured.paymentLinkId) {
    await PaymentLink.updateOne(
      {
        providerLinkId: captured.paymentLinkId,
        clinicId: actor.clinicId,
        status: { $in: ['created', 'cancelled', 'expired'] },
      },
      { $set: { status: 'paid', paidAt: new Date() } },
    );
  }
  const outcome = await settleAppointment(actor, payment);
  // After the booking news, so the receipt follows "payment received" in the chat. Sent once per payment.
  await sendPaymentDocuments(actor.clinicId, payment.id);
  return outcome;
}
