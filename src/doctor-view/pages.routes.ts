/**
 * The doctor's pages (signed-in doctors only): thin handlers that gather through view.service.ts
 * (which calls the owning services, audited and care-window checked) and render.
 *   GET /doctor                     today's queue, who is expected, and abnormal results
 *   GET /doctor/queue/state         a fingerprint the script polls (JSON)
 *   GET /doctor/queue/live          the live part of the queue page (HTML fragment)
 *   GET /doctor/patients/:patientId the patient's record (or the break-glass form)
 *   GET /doctor/visits/:visitId     the visit editor, or the signed note
 *   GET /doctor/consults/:appointmentId   → the visit of that appointment
 */
import { Router } from 'express';
import { getClinicalHistory } from '../modules/clinical/visit-bundle.service.js';
import { appointmentParams, patientParams, visitParams } from '../modules/clinical/visit.schemas.js';
import { parseParams } from '../platform/http/validate.js';
import type { Runtime } from '../platform/runtime.js';
import { noticeOf, page } from './layout.js';
import { patientBody } from './patient.page.js';
import { queueBody, queueLive } from './queue.page.js';
import { doctorOf, requireDoctor } from './session.js';
import { fingerprintOf, queueFingerprint, queueView, visitIdOfAppointment, visitPageData } from './view.service.js';
import { viewHandler } from './view-errors.js';
import { visitBody } from './visit.page.js';

/** The page routes. */
export function pageRoutes(runtime: Runtime): Router {
  const router = Router();
  const doctor = requireDoctor(runtime);
  const chrome = (context: ReturnType<typeof doctorOf>) => ({
    doctorName: context.doctorName,
    clinicName: context.clinic.name,
  });

  router.get(
    '/doctor',
    doctor,
    viewHandler(async (req, res, context) => {
      const view = await queueView(context.actor, context.clinic.timezone);
      const body = queueBody(view, fingerprintOf(view), context.clinic.timezone);
      res
        .type('html')
        .send(
          page({ title: "Today's queue", page: 'queue', body, notice: noticeOf(req.query.notice), ...chrome(context) }),
        );
    }),
  );
  router.get('/doctor/queue/state', requireDoctor(runtime, { json: true }), (_req, res, next) => {
    const { actor, clinic } = doctorOf(res);
    queueFingerprint(actor, clinic.timezone).then((state) => res.json(state), next);
  });
  router.get(
    '/doctor/queue/live',
    doctor,
    viewHandler(async (_req, res, context) => {
      const view = await queueView(context.actor, context.clinic.timezone);
      res
        .set('X-Queue-Fingerprint', fingerprintOf(view))
        .type('html')
        .send(queueLive(view, context.clinic.timezone).toString());
    }),
  );
  router.get(
    '/doctor/patients/:patientId',
    doctor,
    viewHandler(async (req, res, context) => {
      const history = await getClinicalHistory(context.actor, parseParams(patientParams, req).patientId);
      const body = patientBody(history, context.clinic.timezone);
      res.type('html').send(
        page({
          title: history.patient.name,
          page: 'patient',
          body,
          notice: noticeOf(req.query.notice),
          ...chrome(context),
        }),
      );
    }),
  );
  router.get(
    '/doctor/visits/:visitId',
    doctor,
    viewHandler(async (req, res, context) => {
      const data = await visitPageData(context.actor, parseParams(visitParams, req).visitId);
      const body = visitBody(data, context.clinic.timezone);
      res.type('html').send(
        page({
          title: `${data.bundle.patient.name} · visit`,
          page: 'visit',
          body,
          notice: noticeOf(req.query.notice),
          ...chrome(context),
        }),
      );
    }),
  );
  router.get(
    '/doctor/consults/:appointmentId',
    doctor,
    viewHandler(async (req, res, context) => {
      res.redirect(
        303,
        `/doctor/visits/${await visitIdOfAppointment(context.actor, parseParams(appointmentParams, req).appointmentId)}`,
      );
    }),
  );
  return router;
}
