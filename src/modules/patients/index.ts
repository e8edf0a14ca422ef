/** The patients module: contacts (phone numbers), patient profiles on them, and consents. */
import type { DomainModule } from '../index.js';
import { contactRoutes } from './contact.routes.js';
import { patientRoutes } from './patient.routes.js';
import './consent.model.js';
import './contact.model.js';
import './patient.model.js';

// The staff panel (admin/) reads and writes patients through these services (decrypt, mask, audit).
export { getPatient, registerPatient, updatePatient } from './patient.service.js';
export { patientsByIds, searchPatients } from './patient-search.service.js';
export type { PatientDetail, PatientSummary } from './patient.views.js';
export { listConsents } from './consent.service.js';
export { Consent } from './consent.model.js';
export { normalizePatientCode } from './patient-code.js';

/** Mounts /api/v1/patients (with nested consents) and /api/v1/contacts. */
export const patientsModule: DomainModule = {
  name: 'patients',
  mount(app, runtime) {
    app.use('/api/v1/patients', patientRoutes(runtime));
    app.use('/api/v1/contacts', contactRoutes(runtime));
  },
};
