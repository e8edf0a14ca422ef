/** The doctors module: profiles, weekly availability, leaves, slot generation runs and the demo seed. */
import { subscribe } from '../../platform/domain-events.js';
import type { DomainModule } from '../index.js';
import { refreshClinicSlots } from './doctor-slots.service.js';
import { doctorRoutes, specialityRoutes } from './doctor.routes.js';
import { defineSlotRefreshQueue } from './slot-refresh.queue.js';
import './doctor.model.js';

export { listDoctors } from './doctor.service.js';
export type { DoctorView } from './doctor.view.js';
// Doctor profiles for other modules (names in reminders).
export { loadDoctor } from './doctor.service.js';

/** Clinic settings that change which slots exist. */
const SLOT_SHAPING_FIELDS = ['slotMinutes', 'bookingHorizonDays', 'holidays', 'timezone'];

/** Registers the slots-daily queue and slot regeneration on clinic changes; mounts /api/v1/doctors and /api/v1/specialities. */
export const doctorsModule: DomainModule = {
  name: 'doctors',
  register(runtime) {
    defineSlotRefreshQueue(runtime);
    // Inline, so the settings answer already reflects the new slots; the daily run heals a crash in between.
    subscribe('clinic.scheduling_changed', 'doctors.refresh-slots', async ({ clinicId, fields }) => {
      if (fields.some((field) => SLOT_SHAPING_FIELDS.includes(field))) await refreshClinicSlots(clinicId);
    });
  },
  mount(app, runtime) {
    app.use('/api/v1/doctors', doctorRoutes(runtime));
    app.use('/api/v1/specialities', specialityRoutes(runtime));
  },
};
