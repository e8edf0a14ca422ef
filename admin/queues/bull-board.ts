/**
 * bull-board at /admin/queues: every BullMQ queue of the registry, with retry and clean. Behind
 * the panel's session gate (same cookie) and, here, the admin role — the policy's `audit`
 * resource is admin-only operations, so whoever may read the audit trail may run the queues.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { RequestHandler, Router } from 'express';
import type { Actor } from '../../src/platform/actor.js';
import type { Runtime } from '../../src/platform/runtime.js';

/** Only admins reach the queues; others get a plain 403 page. */
export const adminOnly: RequestHandler = (_req, res, next) => {
  const actor = res.locals.actor as Actor | undefined;
  if (actor?.roles.includes('admin')) {
    next();
    return;
  }
  res
    .status(403)
    .type('html')
    .send(
      '<!doctype html><title>Not allowed</title><p>The queues are for admins only. <a href="/admin">Back to the panel</a></p>',
    );
};

/** The bull-board router for `runtime`'s queues, served under `basePath`. */
export function bullBoardRouter(runtime: Runtime, basePath = '/admin/queues'): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: runtime.queues.names().map((name) => new BullMQAdapter(runtime.queues.queue(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'CINIC queues' } },
  });
  return serverAdapter.getRouter() as Router;
}
