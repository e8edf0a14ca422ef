/**
 * The staff panel at /admin: our sign-in pages, then the session gate (currentAdmin from the
 * staff session), then bull-board (admins), the components bundle (built once, see bundle.ts)
 * and AdminJS's own routes. Built here rather than with @adminjs/express's buildRouter, because
 * buildRouter calls `admin.initialize()`, which in production re-bundles on every start.
 */
import path from 'node:path';
import { buildAssets, buildRoutes } from '@adminjs/express';
import { Router as AdminRouter } from 'adminjs';
import { Router } from 'express';
import type { Express, Request, RequestHandler } from 'express';
import formidableMiddleware from 'express-formidable';
import { addHomeLink } from '../src/platform/http/home.routes.js';
import { log } from '../src/platform/logger.js';
import type { Runtime } from '../src/platform/runtime.js';
import { ensureComponentsBundle } from './bundle.js';
import { adminLoginRoutes } from './login/login.routes.js';
import { buildPanel } from './panel.js';
import { adminOnly, bullBoardRouter } from './queues/bull-board.js';
import { panelSession } from './session.js';

addHomeLink({
  href: '/admin',
  title: 'Staff panel',
  description: 'Front desk, accounts and admin: today, patients, bills',
});

type ParsedRequest = Request & {
  _body?: boolean;
  fields?: unknown;
  files?: unknown;
  express_formidable?: { parsed: boolean };
};

/**
 * The app already parsed JSON and form bodies; hand those to AdminJS as `fields` so
 * express-formidable does not wait on a consumed stream. Multipart (AdminJS's own forms) is left to it.
 */
const reuseParsedBody: RequestHandler = (req, _res, next) => {
  const parsed = req as ParsedRequest;
  if (parsed._body) {
    parsed.fields = parsed.body ?? {};
    parsed.files = {};
    parsed.express_formidable = { parsed: true };
  }
  next();
};

/** Mounts the panel on `app` (before the 404 handler). */
export function mountAdmin(app: Express, runtime: Runtime): void {
  const admin = buildPanel(runtime);
  // Started now, awaited by the first request for it: never bundled per request.
  const bundle = ensureComponentsBundle(admin);
  bundle.catch((error: unknown) => log().error({ err: error }, 'staff panel components did not bundle'));

  app.use(adminLoginRoutes(runtime));
  const router = Router();
  router.use(panelSession(runtime));
  router.use('/queues', adminOnly, bullBoardRouter(runtime));
  router.get('/frontend/assets/components.bundle.js', (_req, res, next) => {
    bundle.then((file) => {
      res.setHeader('Cache-Control', 'private, max-age=3600');
      res.type('text/javascript').sendFile(path.resolve(file));
    }, next);
  });
  router.use(reuseParsedBody);
  router.use(formidableMiddleware());
  const routes = AdminRouter.routes.filter((route) => route.action !== 'bundleComponents');
  buildAssets({
    admin,
    assets: AdminRouter.assets.filter((a) => !a.path.endsWith('components.bundle.js')),
    routes,
    router,
  });
  buildRoutes({ admin, routes, router });
  app.use('/admin', router);
}
