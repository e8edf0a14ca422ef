/**
 * Keeps slots in step with appointments, as a subscriber of the lifecycle: a cancelled or
 * no-show appointment frees its slot (exactly once — releaseSlot is conditional on the holder),
 * a paid hold becomes a booked slot, and a same-day no-show override takes the slot back or,
 * if someone else has it by now, marks the appointment as overbooked.
 */
import { subscribe } from '../../platform/domain-events.js';
import { confirmHeldSlot, releaseSlot, takeSlot } from '../scheduling/slot.service.js';
import { Appointment } from './appointment.model.js';

/** Subscribes the slot bookkeeping to appointment transitions. */
export function registerSlotBookkeeping(): void {
  subscribe('appointment.transitioned', 'appointment-slots', async ({ clinicId, appointmentId, slotId, from, to }) => {
    if (!slotId) return;
    if (to === 'cancelled' || to === 'no_show') {
      await releaseSlot(clinicId, slotId, appointmentId);
    } else if (from === 'tentative' && to === 'confirmed') {
      await confirmHeldSlot(clinicId, slotId, appointmentId);
    } else if (from === 'no_show') {
      const retaken = await takeSlot(clinicId, slotId, appointmentId, 'booked').then(
        () => true,
        () => false,
      );
      if (!retaken) await Appointment.updateOne({ _id: appointmentId, clinicId }, { $set: { overbooked: true } });
    }
  });
}
