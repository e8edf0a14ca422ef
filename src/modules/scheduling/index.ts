/** The scheduling module: concrete slots (generation, search, and the conditional take/release appointments use). */
import type { DomainModule } from '../index.js';
import { slotRoutes } from './slot.routes.js';
import './slot.model.js';

export { searchFreeSlots } from './slot-search.service.js';
export { slotCountsOfDays } from './slot.facts.js';
export type { SlotDayCount } from './slot.facts.js';
export { addLocalDays, localDateOf, parseLocalDate, zonedTimeToUtc } from './clinic-time.js';

/** Mounts /api/v1/slots. */
export const schedulingModule: DomainModule = {
  name: 'scheduling',
  mount(app, runtime) {
    app.use('/api/v1/slots', slotRoutes(runtime));
  },
};
