/** /api/v1/staff — staff accounts, admin only (through the policy table). */
import { Router } from 'express';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseParams } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from './auth.middleware.js';
import { createStaffBody, idParams, updateStaffBody } from './auth.schemas.js';
import { createStaff, listStaff, updateStaff } from './staff.service.js';

const tags = ['Staff'];
documentOperation({
  method: 'get',
  path: '/api/v1/staff',
  summary: 'Lists staff accounts (admin)',
  tags,
  auth: 'staff',
  responses: { 200: { description: 'Staff' }, 403: { description: 'Not an admin' } },
});
documentOperation({
  method: 'post',
  path: '/api/v1/staff',
  summary: 'Creates a staff account (admin)',
  tags,
  auth: 'staff',
  body: createStaffBody,
  responses: { 201: { description: 'Created' }, 409: { description: 'Email in use' } },
});
documentOperation({
  method: 'patch',
  path: '/api/v1/staff/:id',
  summary: 'Changes roles or active state, unlocks, or resets MFA (admin)',
  tags,
  auth: 'staff',
  params: idParams,
  body: updateStaffBody,
  responses: { 200: { description: 'Updated' }, 409: { description: 'Would remove the last active admin' } },
});

/** The staff router, mounted at /api/v1/staff. */
export function staffRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/',
    authorize('read', 'staff'),
    asyncHandler(async (_req, res) => {
      res.json({ staff: await listStaff(res.locals.actor as Actor) });
    }),
  );
  router.post(
    '/',
    authorize('create', 'staff'),
    asyncHandler(async (req, res) => {
      res.status(201).json(await createStaff(res.locals.actor as Actor, parseBody(createStaffBody, req)));
    }),
  );
  router.patch(
    '/:id',
    authorize('update', 'staff'),
    asyncHandler(async (req, res) => {
      res.json(
        await updateStaff(
          runtime,
          res.locals.actor as Actor,
          parseParams(idParams, req).id,
          parseBody(updateStaffBody, req),
        ),
      );
    }),
  );
  return router;
}
