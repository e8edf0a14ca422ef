/** /api/v1/ledger/trial-balance and /api/v1/reports/revenue: read-only views of the journal. */
import { Router } from 'express';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import { trialBalance } from './ledger.service.js';
import { revenueQuery, trialBalanceQuery } from './ledger.schemas.js';
import { revenueReport } from './revenue-report.service.js';

const errors = {
  400: { description: 'Invalid query' },
  401: { description: 'Not signed in' },
  403: { description: 'Role may not read it' },
};
documentOperation({
  method: 'get',
  path: '/api/v1/ledger/trial-balance',
  summary: 'Debits, credits and balance per account; the balances sum to zero',
  tags: ['Ledger'],
  auth: 'staff',
  query: trialBalanceQuery,
  responses: { 200: { description: 'Trial balance' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/reports/revenue',
  summary: 'Daily gross, discount, returns, net, tax, collected and refunded, from the ledger (clinic-local days)',
  tags: ['Reports'],
  auth: 'staff',
  query: revenueQuery,
  responses: {
    200: { description: 'Revenue by day' },
    422: { description: 'from after to, or more than 366 days' },
    ...errors,
  },
});

/** The ledger router, mounted at /api/v1/ledger. */
export function ledgerRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/trial-balance',
    authorize('read', 'ledger'),
    asyncHandler(async (req, res) => {
      res.json(await trialBalance(res.locals.actor as Actor, parseQuery(trialBalanceQuery, req).asOf));
    }),
  );
  return router;
}

/** The reports router (revenue), mounted at /api/v1/reports. */
export function reportRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/revenue',
    authorize('read', 'reports'),
    asyncHandler(async (req, res) => {
      const { from, to } = parseQuery(revenueQuery, req);
      res.json(await revenueReport(res.locals.actor as Actor, from, to));
    }),
  );
  return router;
}
