/**
 * `GET /api/v1/operations/status` (admin): the latest backup and restore drill and whether the
 * backup alert fires — what the staff panel shows.
 */
import { Router } from 'express';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { createDocumentStorage } from '../../platform/storage/index.js';
import { requireStaff } from '../auth/index.js';
import { backupStatus } from './backup/backup-jobs.service.js';

documentOperation({
  method: 'get',
  path: '/api/v1/operations/status',
  summary: 'Latest backup and restore drill (when, how long, size, pass/fail) and the backup alert (admin)',
  tags: ['Operations'],
  auth: 'staff',
  responses: { 200: { description: '{ lastBackup, lastSuccessfulBackup, lastDrill, alert }' } },
});

/** The operations router, mounted at /api/v1/operations. */
export function operationsRoutes(runtime: Runtime): Router {
  const router = Router();
  const deps = { config: runtime.config, storage: createDocumentStorage(runtime.config) };
  router.use(requireStaff(runtime));
  router.get(
    '/status',
    authorize('read', 'audit'),
    asyncHandler(async (_req, res) => {
      res.set('Cache-Control', 'no-store').json(await backupStatus(deps));
    }),
  );
  return router;
}
