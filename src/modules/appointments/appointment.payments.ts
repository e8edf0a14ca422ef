/**
 * Keeps an appointment's paid amount in step with billing: each recorded payment for it is added
 * to `paidPaise` exactly once (the payment id is remembered in the same conditional update), and
 * the version moves on, since what is paid decides whether a hold may be confirmed and what a
 * cancellation refunds.
 */
import { subscribe } from '../../platform/domain-events.js';
import { Appointment } from './appointment.model.js';

/**
 * Adds a recorded payment to the appointment's `paidPaise` once; a repeat changes nothing. Called
 * by the `payment.recorded` subscriber and, before confirming a hold, by payments itself (an event
 * handler's failure is only logged, and a confirmation must not depend on it).
 */
export async function countAppointmentPayment(
  clinicId: string,
  appointmentId: string,
  paymentId: string,
  amountPaise: number,
): Promise<void> {
  await Appointment.updateOne(
    { _id: appointmentId, clinicId, countedPaymentIds: { $ne: paymentId } },
    { $inc: { paidPaise: amountPaise, version: 1 }, $push: { countedPaymentIds: paymentId } },
  );
}

/** Subscribes the paid-amount bookkeeping to recorded payments. */
export function registerPaymentBookkeeping(): void {
  subscribe('payment.recorded', 'appointment-paid', async ({ clinicId, appointmentId, paymentId, amountPaise }) => {
    if (!appointmentId) return;
    await countAppointmentPayment(clinicId, appointmentId, paymentId, amountPaise);
  });
}
