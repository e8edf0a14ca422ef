/**
 * The clinical API under /api/v1: visit and consult routes plus order routes (prescriptions, diet
 * plans, labs, dispensing). Staff sessions only — patients will read their records through the
 * portal — and nothing here may be cached: every answer carries PHI.
 */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import { orderRoutes } from './orders.routes.js';
import { visitRoutes } from './visit.routes.js';

/** The path prefixes this module serves (so other /api/v1 paths fall through untouched). */
const PREFIXES = ['/consults', '/visits', '/clinical-history', '/prescriptions', '/diet-plans', '/lab-tests'];

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** The clinical router, mounted at /api/v1. */
export function clinicalRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(PREFIXES, noStore, requireStaff(runtime));
  router.use(visitRoutes());
  router.use(orderRoutes());
  return router;
}
