/** The patients module: contacts (phone numbers), patient profiles on them, and consents. */
import type { DomainModule } from '../index.js';
import { contactRoutes } from './contact.routes.js';
import { patientRoutes } from './patient.routes.js';
import './consent.model.js';
import './contact.model.js';
import './patient.model.js';

// The patients module's public API for the portal, the privacy module and the bot.
export {
  contactActor,
  contactOfPatient,
  contactRecordById,
  contactRecordByPhone,
  patientIdsForContact,
  setContactLanguage,
} from './contact.service.js';
export type { ContactRecord, Language } from './contact.model.js';
export { consentStanding, listConsents, recordConsent, withdrawConsent } from './consent.service.js';
export type { ConsentStanding, ConsentView } from './consent.service.js';
export { CONSENT_PURPOSES } from './consent.model.js';
export type { ConsentPurpose } from './consent.model.js';
export { getPatient, loadPatient, updatePatient } from './patient.service.js';
export type { PatientRecord } from './patient.model.js';
export { phoneNumber } from './patient.schemas.js';

/** Mounts /api/v1/patients (with nested consents) and /api/v1/contacts. */
export const patientsModule: DomainModule = {
  name: 'patients',
  mount(app, runtime) {
    app.use('/api/v1/patients', patientRoutes(runtime));
    app.use('/api/v1/contacts', contactRoutes(runtime));
  },
};
