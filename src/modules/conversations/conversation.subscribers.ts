/**
 * Tells a WhatsApp conversation what happened to its booking elsewhere: a prepayment that
 * confirmed a hold or reinstated a lapsed one (PAYMENT_CONFIRMED), or a hold that lapsed (HOLD_EXPIRED). Only appointments
 * booked on WhatsApp are told, and only for those two transitions.
 */
import type { ConversationEvent } from '../../../flows/booking.types.js';
import { subscribe } from '../../platform/domain-events.js';
import { systemActor } from '../../platform/actor.js';
import { getAppointment } from '../appointments/appointment.service.js';
import { contactRecordById } from '../patients/contact.service.js';
import { patientRecord } from '../patients/patient.service.js';
import { summaryOf } from './conversation.effects.js';

type Dispatch = (clinicId: string, phone: string, event: ConversationEvent) => Promise<void>;

/** Subscribes the conversation to payment confirmations and hold expiries of WhatsApp bookings. */
export function registerConversationSubscribers(dispatch: Dispatch): void {
  subscribe('appointment.transitioned', 'conversations', async ({ clinicId, appointmentId, from, to, event }) => {
    // A lapsed hold paid late is reinstated: for the patient that is the same good news.
    const paid = (from === 'tentative' || event === 'REINSTATE') && to === 'confirmed';
    const lapsed = from === 'tentative' && to === 'cancelled' && event === 'EXPIRE_HOLD';
    if (!paid && !lapsed) return;
    const appointment = await getAppointment(systemActor(clinicId, 'whatsapp:bot'), appointmentId);
    if (appointment.source !== 'whatsapp') return;
    const patient = await patientRecord(clinicId, appointment.patientId);
    const contact = patient ? await contactRecordById(clinicId, patient.contactId) : null;
    if (!contact) return;
    const summary = await summaryOf(clinicId, appointment);
    await dispatch(
      clinicId,
      contact.phone,
      paid ? { type: 'PAYMENT_CONFIRMED', appointment: summary } : { type: 'HOLD_EXPIRED', appointment: summary },
    );
  });
}
