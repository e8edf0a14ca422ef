/**
 * Liveness and readiness. /healthz says the process is alive; /readyz says it can do work:
 * MongoDB and Redis both answer and shutdown has not begun (load balancers drain on 503).
 */
import { Router } from 'express';
import { pingMongo } from '../db.js';
import { pingRedis } from '../redis.js';
import type { Runtime } from '../runtime.js';
import { asyncHandler } from './async-handler.js';

/** Routes for /healthz and /readyz. */
export function healthRoutes(runtime: Runtime): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get(
    '/readyz',
    asyncHandler(async (_req, res) => {
      const [mongo, redis] = await Promise.all([pingMongo(), pingRedis(runtime.redis)]);
      const ready = mongo && redis && !runtime.shuttingDown;
      res.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : 'unavailable',
        checks: { mongodb: mongo ? 'up' : 'down', redis: redis ? 'up' : 'down', shuttingDown: runtime.shuttingDown },
      });
    }),
  );
  return router;
}
