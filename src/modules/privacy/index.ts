/**
 * The privacy module (DPDP Act): data-principal requests — access (an export job), correction,
 * erasure weighed against legal retention, grievance, nomination — with acknowledgement numbers,
 * deadlines, a staff queue and audit; the data map of where patient data lives; and the admin's
 * breach register with its 72-hour clocks. Consents themselves live in the patients module.
 */
import { CONSENT_NOTICE_VERSION } from '../../../flows/booking.texts.js';
import type { DomainModule } from '../index.js';
import { defineExportQueue } from './access-export.js';
import './breach.model.js';
import { privacyRoutes } from './privacy.routes.js';
import './rights-request.model.js';

/** The privacy notice in force: a consent given under another version is asked for again. */
export const CURRENT_NOTICE_VERSION = CONSENT_NOTICE_VERSION;

export { enqueueExport, exportFile, runExport } from './access-export.js';
export { BREACH_NOTICE_HOURS, listBreaches, markNotified, recordBreach } from './breach.service.js';
export type { BreachView } from './breach.service.js';
export { DATA_MAP } from './data-map.js';
export type { DataMapEntry } from './data-map.js';
export { approveErasure, declineErasure } from './erasure.js';
export { RIGHTS_KINDS } from './rights-request.model.js';
export type { RightsKind, RightsStatus } from './rights-request.model.js';
export {
  RESPONSE_DAYS,
  decideRequest,
  fileRightsRequest,
  listPatientRequests,
  loadRequest,
  rightsQueue,
  takeRequest,
} from './rights.service.js';
export type { RightsDetails, RightsRequestView } from './rights.service.js';

/** Registers the export queue; mounts /api/v1/privacy (the staff panel can list the queue from there). */
export const privacyModule: DomainModule = {
  name: 'privacy',
  register(runtime) {
    defineExportQueue(runtime);
  },
  mount(app, runtime) {
    app.use('/api/v1/privacy', privacyRoutes(runtime));
  },
};
