/** /api/v1/razorpay-events — the on-call view of stored Razorpay events, and replaying a failed one (accounts, admin). */
import { Router } from 'express';
import { z } from 'zod';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseParams, parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import { actorOf, problemResponses } from '../billing/billing-http.js';
import { listRazorpayEvents, replayRazorpayEvent } from './razorpay-event-admin.service.js';

const listQuery = z.object({ status: z.enum(['failed', 'received']).default('failed') }).strict();
const eventParams = z.object({ eventId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a Razorpay event id') });

documentOperation({
  method: 'get',
  path: '/api/v1/razorpay-events',
  summary: 'Razorpay events that failed after every retry (or are still waiting): ids, event, outcome',
  tags: ['Payments'],
  auth: 'staff',
  query: listQuery,
  responses: { 200: { description: '{ items }' }, ...problemResponses },
});
documentOperation({
  method: 'post',
  path: '/api/v1/razorpay-events/:eventId/replay',
  summary: 'Hand a failed Razorpay event back to its job (handlers are idempotent)',
  tags: ['Payments'],
  auth: 'staff',
  params: eventParams,
  responses: { 200: { description: 'The event, received again' }, ...problemResponses },
});

/** Mounted at /api/v1/razorpay-events. */
export function razorpayEventAdminRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/',
    authorize('update', 'payments'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listRazorpayEvents(actorOf(res), parseQuery(listQuery, req).status) });
    }),
  );
  router.post(
    '/:eventId/replay',
    authorize('update', 'payments'),
    asyncHandler(async (req, res) => {
      res.json(await replayRazorpayEvent(actorOf(res), runtime.queues, parseParams(eventParams, req).eventId));
    }),
  );
  return router;
}
