/**
 * Reinstating a booking whose prepayment hold lapsed while the patient's payment was in flight:
 * the slot is won back by one conditional update (never "check then write"), then the lifecycle
 * machine moves the appointment cancelled → confirmed (REINSTATE, system only, paid in full,
 * before the start). If either step fails the slot is given back and the caller refunds.
 */
import type { Actor } from '../../platform/actor.js';
import { notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { releaseSlot, takeSlot } from '../scheduling/slot.service.js';
import { Appointment } from './appointment.model.js';
import type { AppointmentDoc } from './appointment.model.js';
import { transitionAppointment } from './appointment.service.js';
import type { AppointmentView } from './appointment.view.js';

/** Re-books the lapsed hold's slot and confirms it; throws the conflict (slot taken, patient busy, started) otherwise. */
export async function reinstateLapsedHold(actor: Actor, appointmentId: string): Promise<AppointmentView> {
  const doc = await Appointment.findOne({ _id: appointmentId, clinicId: actor.clinicId }).lean<AppointmentDoc>();
  if (!doc?.slotId) throw notFound('Appointment');
  assertCan(actor, 'update', 'appointments', {
    clinicId: doc.clinicId,
    patientId: doc.patientId,
    doctorId: doc.doctorId,
  });
  await takeSlot(actor.clinicId, doc.slotId, doc._id, 'booked');
  try {
    const { appointment } = await transitionAppointment(actor, appointmentId, {
      event: 'REINSTATE',
      reason: 'late_payment',
      expectedVersion: doc.version,
    });
    return appointment;
  } catch (error) {
    await releaseSlot(actor.clinicId, doc.slotId, doc._id);
    throw error;
  }
}
