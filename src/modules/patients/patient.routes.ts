/**
 * /api/v1/patients — registration, search, one patient, baseline updates; consents are nested
 * under /patients/:id/consents (consent.routes.ts). PHI travels only in bodies and query strings,
 * never in paths (request logs keep the path and drop the query string).
 */
import { Router } from 'express';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseParams, parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import { consentRoutes } from './consent.routes.js';
import { searchPatients } from './patient-search.service.js';
import { patientParams, registerPatientBody, searchPatientsQuery, updatePatientBody } from './patient.schemas.js';
import { getPatient, registerPatient, updatePatient } from './patient.service.js';

const tags = ['Patients'];
const denied = { 401: { description: 'Not signed in' }, 403: { description: 'Role not allowed' } };
documentOperation({
  method: 'post',
  path: '/api/v1/patients',
  summary: 'Registers a patient on a phone number, creating or reusing its contact (front desk)',
  tags,
  auth: 'staff',
  body: registerPatientBody,
  responses: {
    201: { description: 'Registered: { patient, contact: { …, created } }' },
    400: { description: 'Invalid details' },
    ...denied,
    409: {
      description: 'Same name already on this number (patient_exists) or a second "self" profile (self_profile_exists)',
    },
  },
});
documentOperation({
  method: 'get',
  path: '/api/v1/patients',
  summary: 'Searches by phone, patient code or name prefix (one at a time), or lists recent registrations',
  tags,
  auth: 'staff',
  query: searchPatientsQuery,
  responses: { 200: { description: '{ patients, nextCursor? }' }, 400: { description: 'Invalid query' }, ...denied },
});
documentOperation({
  method: 'get',
  path: '/api/v1/patients/:id',
  summary: 'One patient with contact number, emergency contact and medical flags',
  tags,
  auth: 'staff',
  params: patientParams,
  responses: {
    200: { description: 'Patient' },
    400: { description: 'Invalid id' },
    ...denied,
    404: { description: 'No such patient in this clinic' },
  },
});
documentOperation({
  method: 'patch',
  path: '/api/v1/patients/:id',
  summary: 'Updates baseline details; send the version you read',
  tags,
  auth: 'staff',
  params: patientParams,
  body: updatePatientBody,
  responses: {
    200: { description: 'Patient' },
    400: { description: 'Invalid details' },
    ...denied,
    404: { description: 'No such patient in this clinic' },
    409: { description: 'Stale version, or the change clashes with another profile on the number' },
  },
});

/** The patients router, mounted at /api/v1/patients. */
export function patientRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.use('/:id/consents', consentRoutes());
  router.post(
    '/',
    authorize('create', 'patients'),
    asyncHandler(async (req, res) => {
      const body = parseBody(registerPatientBody, req);
      res.status(201).json(await registerPatient(res.locals.actor as Actor, { ...body, source: 'frontdesk' }));
    }),
  );
  router.get(
    '/',
    authorize('read', 'patients'),
    asyncHandler(async (req, res) => {
      res.json(await searchPatients(res.locals.actor as Actor, parseQuery(searchPatientsQuery, req)));
    }),
  );
  router.get(
    '/:id',
    authorize('read', 'patients'),
    asyncHandler(async (req, res) => {
      res.json(await getPatient(res.locals.actor as Actor, parseParams(patientParams, req).id));
    }),
  );
  router.patch(
    '/:id',
    authorize('update', 'patients'),
    asyncHandler(async (req, res) => {
      res.json(
        await updatePatient(
          res.locals.actor as Actor,
          parseParams(patientParams, req).id,
          parseBody(updatePatientBody, req),
        ),
      );
    }),
  );
  return router;
}
