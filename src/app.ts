/**
 * Express app assembly: request context and metrics first, then security headers and body
 * parsing with limits, then platform and module routes, then 404 and the one error handler.
 */
import express from 'express';
import type { Express, Request, RequestHandler } from 'express';
import { sameSecret } from './platform/crypto/same-secret.js';
import { AppError } from './platform/errors.js';
import { createMetrics } from './platform/metrics.js';
import { errorHandler, notFoundHandler } from './platform/http/error-handler.js';
import { docsRoutes } from './platform/http/docs.routes.js';
import { healthRoutes } from './platform/http/health.routes.js';
import { homeRoutes } from './platform/http/home.routes.js';
import { requestContext } from './platform/http/request-context.js';
import { allowedOrigins, jsonBodiesOnly, sameOriginGuard } from './platform/http/csrf.js';
import { cors, securityHeaders } from './platform/http/security-headers.js';
import { documentLinkRoutes } from './platform/storage/document-links.routes.js';
import { asyncHandler } from './platform/http/async-handler.js';
import type { Runtime } from './platform/runtime.js';
import { mountModuleRoutes } from './modules/index.js';

/** Requests keep their exact bytes for webhook signature checks (HMAC over the raw body). */
export interface RawBodyRequest extends Request {
  rawBody?: Buffer;
}

/** Lets a request through to /metrics: with METRICS_TOKEN set, only `Authorization: Bearer <token>`; in production without one, nobody. */
function metricsAccess(config: Runtime['config']): RequestHandler {
  return (req, _res, next) => {
    const token = config.metrics.token;
    if (!token) {
      next(config.isProduction ? new AppError('route_not_found', 404, 'No route for GET /metrics') : undefined);
      return;
    }
    const given = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (given && sameSecret(given, token)) return next();
    next(new AppError('unauthenticated', 401, 'GET /metrics needs the bearer token from METRICS_TOKEN'));
  };
}

/** The bare app with request context, metrics and security headers, plus /healthz, /readyz, /metrics. */
function createBaseApp(runtime: Runtime): Express {
  const app = express();
  const metrics = createMetrics(runtime.queues, runtime.metricSources);
  app.disable('x-powered-by');
  app.set('trust proxy', runtime.config.trustProxy);
  app.use(requestContext);
  app.use(metrics.middleware);
  app.use(securityHeaders());
  app.use(healthRoutes(runtime));
  app.get(
    '/metrics',
    // Queue names, routes and counts tell an outsider how the clinic runs: production serves them
    // only to a scraper holding METRICS_TOKEN (and not at all without one).
    metricsAccess(runtime.config),
    asyncHandler(async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.render());
    }),
  );
  return app;
}

/** Health and metrics only: what a worker-only process serves so it can be probed and scraped. */
export function createOpsApp(runtime: Runtime): Express {
  const app = createBaseApp(runtime);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/**
 * Screens that live outside src/ (the AdminJS staff panel in admin/) and are mounted by the
 * entry point: src/ never imports admin/, so main.ts (the composition root) hands them in.
 */
export type ScreenMount = (app: Express, runtime: Runtime) => void;

/** Builds the express app for `runtime` (one per process, or one per test file), with any `screens`. */
export function createApp(runtime: Runtime, screens: readonly ScreenMount[] = []): Express {
  const app = createBaseApp(runtime);
  app.use(cors(runtime.config.corsOrigins));
  // CSRF: browsers may change state only from our own origins; the JSON API takes only JSON bodies.
  app.use(sameOriginGuard(allowedOrigins(runtime.config.publicUrl, runtime.config.corsOrigins)));
  app.use('/api', jsonBodiesOnly());
  // API answers carry PHI (names, phones, records): no browser or proxy may keep a copy.
  app.use('/api/v1', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const keepRawBody = (req: unknown, _res: unknown, buffer: Buffer) => {
    (req as RawBodyRequest).rawBody = buffer;
  };
  // Meta batches hundreds of messages (each text up to 65,536 characters) into one POST: a larger
  // limit here only, so one long message does not turn the whole batch into a 413.
  app.use('/webhooks/whatsapp', express.json({ limit: '8mb', verify: keepRawBody }));
  app.use(express.json({ limit: '256kb', verify: keepRawBody }));
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));

  app.use(homeRoutes(runtime));
  app.use(docsRoutes(runtime));
  app.use(documentLinkRoutes(runtime));
  mountModuleRoutes(app, runtime);
  for (const mount of screens) mount(app, runtime);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
