/**
 * /api/v1 consult, visit and clinical-history routes: thin handlers over the visit services.
 * The editor's flow: POST /consults/:appointmentId/start (→ bundle), PUT /visits/:id/draft as
 * the doctor types (send `version`, get the new one back), POST /visits/:id/sign, POST
 * /consults/:appointmentId/complete; after sign-off, POST /visits/:id/addenda.
 */
import { Router } from 'express';
import type { Response } from 'express';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseParams } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import { addAddendum, verifyVisitIntegrity } from './addendum.js';
import { breakGlass } from './break-glass.service.js';
import { completeConsult, startConsult } from './consult.service.js';
import { getClinicalHistory, getConsultBundle, getVisitBundle } from './visit-bundle.service.js';
import {
  addendumBody,
  appointmentParams,
  breakGlassBody,
  draftBody,
  openVisitBody,
  patientParams,
  signBody,
  visitParams,
  vitalsBody,
} from './visit.schemas.js';
import { getVisit, openVisitShell, saveDraft, saveVitals, signVisit } from './visit.service.js';

const tags = ['Clinical'];
const errors = {
  400: { description: 'Invalid request (vitals out of range, bad ICD-10 code, …) with readable messages per field' },
  401: { description: 'Not signed in' },
  403: {
    description: 'Role, own-doctor rule or care relationship denies it (reason: no_care_relationship → break glass)',
  },
  404: { description: 'No such appointment, visit or patient in this clinic' },
};
const stale = {
  409: {
    description: 'Stale version (currentVersion in the body), already signed, or signed and locked (record_locked)',
  },
};

documentOperation({
  method: 'post',
  path: '/api/v1/consults/:appointmentId/start',
  summary: 'Start the consultation (checked_in → in_consult) and open the visit; returns the visit bundle',
  tags,
  auth: 'staff',
  params: appointmentParams,
  responses: {
    200: { description: 'Visit bundle' },
    ...errors,
    409: { description: 'The appointment is not checked in' },
  },
});
documentOperation({
  method: 'post',
  path: '/api/v1/consults/:appointmentId/complete',
  summary: 'Complete the consultation (needs the signed note); publishes visit.completed for billing',
  tags,
  auth: 'staff',
  params: appointmentParams,
  responses: {
    200: { description: '{ appointment, visitId }' },
    ...errors,
    409: { description: 'The appointment is not in consult' },
    422: { description: 'note_not_signed: sign the note first' },
  },
});
documentOperation({
  method: 'get',
  path: '/api/v1/consults/:appointmentId',
  summary: "The visit bundle of an appointment (opened on demand for the appointment's doctor)",
  tags,
  auth: 'staff',
  params: appointmentParams,
  responses: {
    200: {
      description:
        'Visit bundle: visit, appointment, patient (flags first), prescriptions, diet plans, lab tests, history',
    },
    ...errors,
  },
});
documentOperation({
  method: 'post',
  path: '/api/v1/visits',
  summary: 'Open the visit of a checked-in appointment (front desk); no clinical content in the answer',
  tags,
  auth: 'staff',
  body: openVisitBody,
  responses: { 200: { description: 'Visit shell' }, ...errors, 409: { description: 'Not checked in yet' } },
});
documentOperation({
  method: 'get',
  path: '/api/v1/visits/:visitId',
  summary: 'One visit with its note, signature and addenda (audited read)',
  tags,
  auth: 'staff',
  params: visitParams,
  responses: { 200: { description: 'Visit' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/visits/:visitId/bundle',
  summary: 'The visit bundle (audited read)',
  tags,
  auth: 'staff',
  params: visitParams,
  responses: { 200: { description: 'Visit bundle' }, ...errors },
});
documentOperation({
  method: 'put',
  path: '/api/v1/visits/:visitId/draft',
  summary: 'Autosave the draft note: send the version you have; omitted parts stay, null clears',
  tags,
  auth: 'staff',
  params: visitParams,
  body: draftBody,
  responses: { 200: { description: '{ id, status, version, savedAt, vitals }' }, ...errors, ...stale },
});
documentOperation({
  method: 'put',
  path: '/api/v1/visits/:visitId/vitals',
  summary: 'Save vitals (BMI computed); same version rules as the draft',
  tags,
  auth: 'staff',
  params: visitParams,
  body: vitalsBody,
  responses: { 200: { description: '{ id, status, version, savedAt, vitals }' }, ...errors, ...stale },
});
documentOperation({
  method: 'post',
  path: '/api/v1/visits/:visitId/sign',
  summary: 'Sign and lock the note at the version you saw (SHA-256 of the signed content stored)',
  tags,
  auth: 'staff',
  params: visitParams,
  body: signBody,
  responses: { 200: { description: 'Signed visit' }, ...errors, ...stale, 422: { description: 'empty_note' } },
});
documentOperation({
  method: 'post',
  path: '/api/v1/visits/:visitId/addenda',
  summary: 'Append an addendum to a signed note (text and reason; immutable, hashed)',
  tags,
  auth: 'staff',
  params: visitParams,
  body: addendumBody,
  responses: { 201: { description: 'Addendum' }, ...errors, 409: { description: 'The note is still a draft' } },
});
documentOperation({
  method: 'get',
  path: '/api/v1/visits/:visitId/verify',
  summary: "Recompute the signed note's and addenda's hashes (doctors with access, admins)",
  tags,
  auth: 'staff',
  params: visitParams,
  responses: {
    200: { description: '{ ok, note: { storedHash, computedHash, match }, addenda, problem? }' },
    ...errors,
  },
});
documentOperation({
  method: 'get',
  path: '/api/v1/clinical-history/:patientId',
  summary:
    "A patient's clinical history: flags and allergies first, visits, active prescriptions and diet plans, recent labs (audited)",
  tags,
  auth: 'staff',
  params: patientParams,
  responses: { 200: { description: 'History' }, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/clinical-history/:patientId/break-glass',
  summary: 'State a reason to read a patient outside your care relationship for 60 minutes (audited)',
  tags,
  auth: 'staff',
  params: patientParams,
  body: breakGlassBody,
  responses: { 201: { description: '{ id, patientId, grantedAt, expiresAt }' }, ...errors },
});

const actorOf = (res: Response) => res.locals.actor as Actor;

/** Consult, visit and history routes (mounted under /api/v1 behind requireStaff). */
export function visitRoutes(): Router {
  const router = Router();
  router.post(
    '/consults/:appointmentId/start',
    authorize('update', 'visits'),
    asyncHandler(async (req, res) => {
      res.json(await startConsult(actorOf(res), parseParams(appointmentParams, req).appointmentId));
    }),
  );
  router.post(
    '/consults/:appointmentId/complete',
    authorize('sign', 'visits'),
    asyncHandler(async (req, res) => {
      res.json(await completeConsult(actorOf(res), parseParams(appointmentParams, req).appointmentId));
    }),
  );
  router.get(
    '/consults/:appointmentId',
    authorize('read', 'visits'),
    asyncHandler(async (req, res) => {
      res.json(await getConsultBundle(actorOf(res), parseParams(appointmentParams, req).appointmentId));
    }),
  );
  router.post(
    '/visits',
    authorize('create', 'visits'),
    asyncHandler(async (req, res) => {
      res.json(await openVisitShell(actorOf(res), parseBody(openVisitBody, req).appointmentId));
    }),
  );
  router.get(
    '/visits/:visitId',
    authorize('read', 'visits'),
    asyncHandler(async (req, res) => {
      res.json(await getVisit(actorOf(res), parseParams(visitParams, req).visitId));
    }),
  );
  router.get(
    '/visits/:visitId/bundle',
    authorize('read', 'visits'),
    asyncHandler(async (req, res) => {
      res.json(await getVisitBundle(actorOf(res), parseParams(visitParams, req).visitId));
    }),
  );
  router.put(
    '/visits/:visitId/draft',
    authorize('update', 'visits'),
    asyncHandler(async (req, res) => {
      res.json(await saveDraft(actorOf(res), parseParams(visitParams, req).visitId, parseBody(draftBody, req)));
    }),
  );
  router.put(
    '/visits/:visitId/vitals',
    authorize('update', 'visits'),
    asyncHandler(async (req, res) => {
      res.json(await saveVitals(actorOf(res), parseParams(visitParams, req).visitId, parseBody(vitalsBody, req)));
    }),
  );
  router.post(
    '/visits/:visitId/sign',
    authorize('sign', 'visits'),
    asyncHandler(async (req, res) => {
      res.json(await signVisit(actorOf(res), parseParams(visitParams, req).visitId, parseBody(signBody, req)));
    }),
  );
  router.post(
    '/visits/:visitId/addenda',
    authorize('update', 'visits'),
    asyncHandler(async (req, res) => {
      res
        .status(201)
        .json(await addAddendum(actorOf(res), parseParams(visitParams, req).visitId, parseBody(addendumBody, req)));
    }),
  );
  // No role gate here: auditors (audit readers) and clinical readers may both verify; the service decides.
  router.get(
    '/visits/:visitId/verify',
    asyncHandler(async (req, res) => {
      res.json(await verifyVisitIntegrity(actorOf(res), parseParams(visitParams, req).visitId));
    }),
  );
  router.get(
    '/clinical-history/:patientId',
    authorize('read', 'visits'),
    asyncHandler(async (req, res) => {
      res.json(await getClinicalHistory(actorOf(res), parseParams(patientParams, req).patientId));
    }),
  );
  router.post(
    '/clinical-history/:patientId/break-glass',
    authorize('read', 'visits'),
    asyncHandler(async (req, res) => {
      res
        .status(201)
        .json(
          await breakGlass(
            actorOf(res),
            parseParams(patientParams, req).patientId,
            parseBody(breakGlassBody, req).reason,
          ),
        );
    }),
  );
  return router;
}
