/** The appointments module: booking, the lifecycle, walk-ins and the day's queue. */
import type { DomainModule } from '../index.js';
import './appointment.model.js';
import { appointmentRoutes } from './appointment.routes.js';
import { registerPaymentBookkeeping } from './appointment.payments.js';
import { registerSlotBookkeeping } from './appointment.slots.js';
import { registerAppointmentTimers } from './appointment.timers.js';

export { appointmentFactsConfirmedBetween, appointmentFactsOfDays } from './appointment.facts.js';
export type { AppointmentFact } from './appointment.facts.js';
export {
  getAppointment,
  listAppointments,
  rescheduleAppointment,
  transitionAppointment,
} from './appointment.service.js';
export type { AppointmentView } from './appointment.view.js';

/** Registers the timers queue and slot bookkeeping; mounts /api/v1 appointment routes. */
export const appointmentsModule: DomainModule = {
  name: 'appointments',
  register(runtime) {
    registerSlotBookkeeping();
    registerPaymentBookkeeping();
    registerAppointmentTimers(runtime);
  },
  mount(app, runtime) {
    app.use('/api/v1', appointmentRoutes(runtime));
  },
};

export { cancellationTerms } from './appointment.cancel-terms.js';
export type { CancellationTerms } from './appointment.cancel-terms.js';
