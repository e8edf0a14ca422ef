/** The clinics module: the tenant record and its settings. */
import type { DomainModule } from '../index.js';
import { clinicRoutes } from './clinic.routes.js';
import './clinic.model.js';

export { clinicIds, ensureDefaultClinic, getClinic } from './clinic.service.js';
export type { ClinicView } from './clinic.service.js';

/** Mounts /api/v1/clinic. */
export const clinicsModule: DomainModule = {
  name: 'clinics',
  mount(app, runtime) {
    app.use('/api/v1/clinic', clinicRoutes(runtime));
  },
};
