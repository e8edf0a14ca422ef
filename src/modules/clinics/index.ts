/** The clinics module: the tenant record and its settings. */
import type { DomainModule } from '../index.js';
import { clinicRoutes } from './clinic.routes.js';
import './clinic.model.js';

// The staff panel (admin/) reads and edits clinic settings through these.
export {
  ensureDefaultClinic,
  getClinic,
  updateBillingSettings,
  updateClinicProfile,
  updateSchedulingSettings,
} from './clinic.service.js';
export type { ClinicView } from './clinic.service.js';
export { billingSettingsBody, clinicProfileBody, schedulingSettingsBody } from './clinic.schemas.js';

/** Mounts /api/v1/clinic. */
export const clinicsModule: DomainModule = {
  name: 'clinics',
  mount(app, runtime) {
    app.use('/api/v1/clinic', clinicRoutes(runtime));
  },
};
