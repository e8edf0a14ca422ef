/** The patients module: contacts (phone numbers), patient profiles on them, and consents. */
import type { DomainModule } from '../index.js';
import { contactRoutes } from './contact.routes.js';
import { patientRoutes } from './patient.routes.js';
import './consent.model.js';
import './contact.model.js';
import './patient.model.js';

// Where a patient's messages go, and whether they may be sent (automation, messaging).
export { contactOfPatient } from './contact.service.js';
export { consentStanding } from './consent.service.js';
export type { ConsentStanding } from './consent.service.js';
export type { Language } from './contact.model.js';

/** Mounts /api/v1/patients (with nested consents) and /api/v1/contacts. */
export const patientsModule: DomainModule = {
  name: 'patients',
  mount(app, runtime) {
    app.use('/api/v1/patients', patientRoutes(runtime));
    app.use('/api/v1/contacts', contactRoutes(runtime));
  },
};
