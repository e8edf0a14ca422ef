/**
 * Staff side of the privacy module:
 *   GET  /api/v1/privacy/requests                 the queue (frontdesk, admin), by deadline
 *   POST /api/v1/privacy/requests                 files a request for a patient (front desk, on their word)
 *   POST /api/v1/privacy/requests/:id/take        takes ownership
 *   POST /api/v1/privacy/requests/:id/decide      completes or declines a correction/grievance/nomination, with a reason
 *   POST /api/v1/privacy/requests/:id/erase       approves and carries out an erasure (admin)
 *   POST /api/v1/privacy/requests/:id/decline-erasure  (admin, with reason)
 *   GET/POST /api/v1/privacy/breaches, POST …/:id/notified   the breach register (admin)
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseParams, parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { getClinic } from '../clinics/index.js';
import { requireStaff } from '../auth/index.js';
import { enqueueExport } from './access-export.js';
import { listBreaches, markNotified, recordBreach } from './breach.service.js';
import { approveErasure, declineErasure } from './erasure.js';
import { RIGHTS_KINDS, RIGHTS_STATUSES } from './rights-request.model.js';
import { decideRequest, fileRightsRequest, rightsQueue, takeRequest } from './rights.service.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
const idParams = z.object({ id: objectId });
const queueQuery = z.object({ status: z.enum(RIGHTS_STATUSES).optional(), kind: z.enum(RIGHTS_KINDS).optional() });
const fileBody = z.object({
  patientId: objectId,
  kind: z.enum(RIGHTS_KINDS),
  text: z.string().trim().min(1).max(2000).optional(),
  field: z.string().trim().max(60).optional(),
  nominee: z
    .object({
      name: z.string().trim().min(1).max(120),
      phone: z.string().trim().min(7).max(20),
      relation: z.string().trim().min(1).max(40),
    })
    .optional(),
});
const decideBody = z.object({ outcome: z.enum(['completed', 'declined']), reason: z.string().trim().min(3).max(1000) });
const reasonBody = z.object({ reason: z.string().trim().min(3).max(1000) });
const breachBody = z.object({
  discoveredAt: z.coerce.date(),
  occurredAt: z.coerce.date().optional(),
  description: z.string().trim().min(10).max(4000),
  dataCategories: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
  measures: z.string().trim().max(4000).optional(),
  affectedPatientIds: z.array(objectId).max(100_000).default([]),
});
const notifiedBody = z.object({ who: z.enum(['board', 'patients']), at: z.coerce.date().optional() });

const tags = ['Privacy'];
const doc = (
  method: 'get' | 'post',
  path: string,
  summary: string,
  extra: Partial<Parameters<typeof documentOperation>[0]> = {},
) =>
  documentOperation({
    method,
    path: `/api/v1/privacy${path}`,
    summary,
    tags,
    auth: 'staff',
    responses: { 200: { description: 'OK' } },
    ...extra,
  });
doc('get', '/requests', 'The DPDP request queue (open ones by deadline, or by status/kind)', { query: queueQuery });
doc('post', '/requests', 'Files a request for a patient (front desk, on the patient’s word)', { body: fileBody });
doc('post', '/requests/:id/take', 'Takes ownership of a request', { params: idParams });
doc('post', '/requests/:id/decide', 'Completes or declines a correction, grievance or nomination, with a reason', {
  params: idParams,
  body: decideBody,
});
doc('post', '/requests/:id/erase', 'Approves and carries out an erasure, keeping what the law requires (admin)', {
  params: idParams,
});
doc('post', '/requests/:id/decline-erasure', 'Declines an erasure with a reason (admin)', {
  params: idParams,
  body: reasonBody,
});
doc('get', '/breaches', 'The breach register with the 72-hour clocks (admin)');
doc('post', '/breaches', 'Records a breach; drafts the patient notice (admin)', { body: breachBody });
doc('post', '/breaches/:id/notified', 'Records that the Board or the patients were told (admin)', {
  params: idParams,
  body: notifiedBody,
});

/** The staff privacy router, mounted at /api/v1/privacy. */
export function privacyRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  const actorOf = (locals: Record<string, unknown>) => locals.actor as Actor;

  router.get(
    '/requests',
    authorize('approve', 'privacy_requests'),
    asyncHandler(async (req, res) => {
      res.json({ requests: await rightsQueue(actorOf(res.locals), parseQuery(queueQuery, req)) });
    }),
  );
  router.post(
    '/requests',
    authorize('create', 'privacy_requests'),
    asyncHandler(async (req, res) => {
      const body = parseBody(fileBody, req);
      const actor = actorOf(res.locals);
      const result = await fileRightsRequest(actor, body.patientId, {
        kind: body.kind,
        channel: 'frontdesk',
        details: {
          ...(body.text ? { text: body.text } : {}),
          ...(body.field ? { field: body.field } : {}),
          ...(body.nominee ? { nominee: body.nominee } : {}),
        },
      });
      if (result.created && body.kind === 'access') await enqueueExport(actor.clinicId, result.request.id);
      res.status(result.created ? 201 : 200).json(result.request);
    }),
  );
  router.post(
    '/requests/:id/take',
    authorize('approve', 'privacy_requests'),
    asyncHandler(async (req, res) => {
      res.json(await takeRequest(actorOf(res.locals), parseParams(idParams, req).id));
    }),
  );
  router.post(
    '/requests/:id/decide',
    authorize('approve', 'privacy_requests'),
    asyncHandler(async (req, res) => {
      res.json(await decideRequest(actorOf(res.locals), parseParams(idParams, req).id, parseBody(decideBody, req)));
    }),
  );
  router.post(
    '/requests/:id/erase',
    authorize('delete', 'privacy_requests'),
    asyncHandler(async (req, res) => {
      res.json(await approveErasure(runtime, actorOf(res.locals), parseParams(idParams, req).id));
    }),
  );
  router.post(
    '/requests/:id/decline-erasure',
    authorize('delete', 'privacy_requests'),
    asyncHandler(async (req, res) => {
      res.json(
        await declineErasure(actorOf(res.locals), parseParams(idParams, req).id, parseBody(reasonBody, req).reason),
      );
    }),
  );

  router.get(
    '/breaches',
    authorize('read', 'breaches'),
    asyncHandler(async (_req, res) => {
      res.json({ breaches: await listBreaches(actorOf(res.locals)) });
    }),
  );
  router.post(
    '/breaches',
    authorize('create', 'breaches'),
    asyncHandler(async (req, res) => {
      const actor = actorOf(res.locals);
      const body = parseBody(breachBody, req);
      const clinic = await getClinic(actor.clinicId);
      res.status(201).json(
        await recordBreach(
          actor,
          {
            ...body,
            ...(body.occurredAt ? { occurredAt: body.occurredAt } : {}),
            ...(body.measures ? { measures: body.measures } : {}),
          },
          clinic.name,
        ),
      );
    }),
  );
  router.post(
    '/breaches/:id/notified',
    authorize('update', 'breaches'),
    asyncHandler(async (req, res) => {
      const body = parseBody(notifiedBody, req);
      res.json(await markNotified(actorOf(res.locals), parseParams(idParams, req).id, body.who, body.at));
    }),
  );
  return router;
}
