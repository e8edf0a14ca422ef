/** The clinical module: visits and notes, prescriptions, diet plans, lab tests, dispensing, break-glass access. */
import { systemActor } from '../../platform/actor.js';
import { publish, subscribe } from '../../platform/domain-events.js';
import { createDocumentStorage } from '../../platform/storage/index.js';
import type { DomainModule } from '../index.js';
import './break-glass.model.js';
import { clinicalRoutes } from './clinical.routes.js';
import { registerClinicalWhatsApp } from './clinical-whatsapp.subscribers.js';
import { useClinicalDocumentStorage } from './clinical-documents.js';
import './diet-plan.model.js';
import './dispensing.model.js';
import './lab.model.js';
import './prescription.model.js';
import './visit.model.js';
import { setCompletionCheck } from '../appointments/appointment.completion.js';
import { unprocessable } from '../../platform/errors.js';
import { openVisit, visitOfAppointment } from './visit.service.js';
export { completelyDocumentedAppointments } from './visit.documentation.js';

// The clinical module's public API for the patient portal.
export { listPatientPrescriptions, prescriptionPdf } from './prescription.service.js';
export type { PdfDocument, PrescriptionView } from './prescription.service.js';
export { dietPlanPdf, listPatientDietPlans } from './diet-plan.service.js';
export type { DietPlanView } from './diet-plan.service.js';

/** Installs PDF storage, opens a visit at check-in and sends issued prescriptions and diet plans on WhatsApp; mounts the clinical API at /api/v1. */
export const clinicalModule: DomainModule = {
  name: 'clinical',
  register(runtime) {
    useClinicalDocumentStorage(createDocumentStorage(runtime.config));
    registerClinicalWhatsApp();
    // Inline, so the check-in answer already has its visit; opening is idempotent (unique per appointment).
    subscribe('appointment.transitioned', 'clinical.open-visit', async ({ clinicId, appointmentId, to }) => {
      if (to === 'checked_in') await openVisit(systemActor(clinicId, 'clinical:check-in'), appointmentId);
    });
    // A completion through any route raises the consultation charge (billing is idempotent per appointment).
    subscribe('appointment.transitioned', 'clinical.visit-completed', async ({ clinicId, appointmentId, to }) => {
      if (to !== 'completed') return;
      const visit = await visitOfAppointment(clinicId, appointmentId);
      if (visit)
        await publish('visit.completed', {
          clinicId,
          appointmentId,
          visitId: String(visit._id),
          doctorId: String(visit.doctorId),
          patientId: String(visit.patientId),
        });
    });
    // Whatever path completes a consultation, the note must be signed first (and is then locked).
    setCompletionCheck(async (clinicId, appointmentId) => {
      const visit = await visitOfAppointment(clinicId, appointmentId);
      if (!visit || visit.status !== 'signed') {
        throw unprocessable(
          'Sign the visit note before completing the consultation; later changes go into an addendum',
          { reason: 'note_not_signed' },
        );
      }
    });
  },
  mount(app, runtime) {
    app.use('/api/v1', clinicalRoutes(runtime));
  },
};
