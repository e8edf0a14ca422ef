/** /api/v1/automation — rule status for a day, escalations (list, resolve) and rule switches. */
import { Router } from 'express';
import type { Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseParams, parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/index.js';
import { automationStatus } from './automation-status.js';
import { ruleSwitches, updateRuleSwitches } from './automation-settings.js';
import { listEscalations, resolveEscalation } from './escalations.js';
import { RULE_NAMES } from './rule.js';

const statusQuery = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
    .optional(),
});
const escalationQuery = z.object({
  status: z.enum(['open', 'resolved']).optional(),
  team: z.enum(['frontdesk', 'accounts']).optional(),
});
const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id') });
const switchesBody = z.object({ enabled: z.partialRecord(z.enum(RULE_NAMES), z.boolean()) }).strict();

const tags = ['Automation'];
const errors = { 401: { description: 'Not signed in' }, 403: { description: 'Role denies it' } };
documentOperation({
  method: 'get',
  path: '/api/v1/automation/status',
  summary: "Each rule's scheduled / done / skipped / failed counts and lateness for a clinic day (default today)",
  tags,
  auth: 'staff',
  query: statusQuery,
  responses: { 200: { description: 'Rule status' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/automation/escalations',
  summary: 'Escalations raised when a rule gave up after its last attempt',
  tags,
  auth: 'staff',
  query: escalationQuery,
  responses: { 200: { description: 'Escalations' }, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/automation/escalations/:id/resolve',
  summary: 'Mark an escalation resolved',
  tags,
  auth: 'staff',
  params: idParams,
  responses: {
    200: { description: 'Resolved' },
    404: { description: 'No such escalation' },
    409: { description: 'Already resolved' },
    ...errors,
  },
});
documentOperation({
  method: 'get',
  path: '/api/v1/automation/settings',
  summary: 'Which rules are on',
  tags,
  auth: 'staff',
  responses: { 200: { description: 'Rule switches' }, ...errors },
});
documentOperation({
  method: 'patch',
  path: '/api/v1/automation/settings',
  summary: 'Turn rules on or off (admin)',
  tags,
  auth: 'staff',
  body: switchesBody,
  responses: { 200: { description: 'Rule switches' }, 400: { description: 'Invalid body' }, ...errors },
});

const actorOf = (res: Response) => res.locals.actor as Actor;

/** The automation router, mounted at /api/v1/automation. */
export function automationRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/status',
    authorize('read', 'automation'),
    asyncHandler(async (req, res) => {
      res.json(await automationStatus(actorOf(res), parseQuery(statusQuery, req).date));
    }),
  );
  router.get(
    '/escalations',
    authorize('read', 'automation'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listEscalations(actorOf(res), parseQuery(escalationQuery, req)) });
    }),
  );
  router.post(
    '/escalations/:id/resolve',
    authorize('update', 'automation'),
    asyncHandler(async (req, res) => {
      res.json(await resolveEscalation(actorOf(res), parseParams(idParams, req).id));
    }),
  );
  router.get(
    '/settings',
    authorize('read', 'automation'),
    asyncHandler(async (_req, res) => {
      res.json({ enabled: await ruleSwitches(actorOf(res).clinicId) });
    }),
  );
  router.patch(
    '/settings',
    authorize('update', 'clinic_settings'),
    asyncHandler(async (req, res) => {
      res.json({ enabled: await updateRuleSwitches(actorOf(res), parseBody(switchesBody, req).enabled) });
    }),
  );
  return router;
}
