/** /api/v1/patients/:id/consents — record, withdraw and list a patient's consents (DPDP). */
import { Router } from 'express';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseParams } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import { listConsents, recordConsent, withdrawConsent } from './consent.service.js';
import { consentParams, patientParams, recordConsentBody, withdrawConsentBody } from './patient.schemas.js';

const tags = ['Consents'];
const denied = {
  401: { description: 'Not signed in' },
  403: { description: 'Role not allowed' },
  404: { description: 'No such patient in this clinic' },
};
documentOperation({
  method: 'post',
  path: '/api/v1/patients/:id/consents',
  summary: 'Records consent for a purpose (a guardian for anyone under 18); channel defaults to frontdesk',
  tags,
  auth: 'staff',
  params: patientParams,
  body: recordConsentBody,
  responses: {
    201: { description: 'Consent recorded' },
    200: { description: 'The same consent was already granted' },
    400: { description: 'Invalid consent' },
    ...denied,
    422: { description: 'A minor needs a guardian (guardian_consent_required) or the guardian contact is unknown' },
  },
});
documentOperation({
  method: 'post',
  path: '/api/v1/patients/:id/consents/:consentId/withdraw',
  summary: 'Withdraws a granted consent (kept, with withdrawnAt)',
  tags,
  auth: 'staff',
  params: consentParams,
  body: withdrawConsentBody,
  responses: {
    200: { description: 'Consent withdrawn' },
    400: { description: 'Invalid request' },
    ...denied,
    409: { description: 'Not granted (already withdrawn or superseded)' },
  },
});
documentOperation({
  method: 'get',
  path: '/api/v1/patients/:id/consents',
  summary: "A patient's consent history, newest first",
  tags,
  auth: 'staff',
  params: patientParams,
  responses: { 200: { description: '{ consents }' }, 400: { description: 'Invalid id' }, ...denied },
});

/** The consents router, mounted under the patients router (which has already signed the caller in). */
export function consentRoutes(): Router {
  const router = Router({ mergeParams: true });
  router.post(
    '/',
    authorize('create', 'consents'),
    asyncHandler(async (req, res) => {
      const { id } = parseParams(patientParams, req);
      const body = parseBody(recordConsentBody, req);
      const result = await recordConsent(res.locals.actor as Actor, id, {
        ...body,
        channel: body.channel ?? 'frontdesk',
      });
      res.status(result.created ? 201 : 200).json(result.consent);
    }),
  );
  router.post(
    '/:consentId/withdraw',
    authorize('update', 'consents'),
    asyncHandler(async (req, res) => {
      const { id, consentId } = parseParams(consentParams, req);
      const body = parseBody(withdrawConsentBody, req);
      res.json(
        await withdrawConsent(res.locals.actor as Actor, id, consentId, { channel: body.channel ?? 'frontdesk' }),
      );
    }),
  );
  router.get(
    '/',
    authorize('read', 'consents'),
    asyncHandler(async (req, res) => {
      res.json({ consents: await listConsents(res.locals.actor as Actor, parseParams(patientParams, req).id) });
    }),
  );
  return router;
}
