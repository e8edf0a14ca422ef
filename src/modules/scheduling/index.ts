/** The scheduling module: concrete slots (generation, search, and the conditional take/release appointments use). */
import type { DomainModule } from '../index.js';
import { slotRoutes } from './slot.routes.js';
import './slot.model.js';

// Clinic time for other modules (automation's clinic days).
export { localDateOf } from './clinic-time.js';

/** Mounts /api/v1/slots. */
export const schedulingModule: DomainModule = {
  name: 'scheduling',
  mount(app, runtime) {
    app.use('/api/v1/slots', slotRoutes(runtime));
  },
};
