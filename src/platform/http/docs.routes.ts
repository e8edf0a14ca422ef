/**
 * /api/openapi.json (generated from the zod schemas) and /api/docs (Swagger UI served from the
 * swagger-ui-dist package; the initialiser is a file, not inline script, to keep the CSP strict).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import type { Runtime } from '../runtime.js';
import { buildOpenApiDocument, documentOperation } from './openapi.js';

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>CINIC API</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`;

const initScript = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

documentOperation({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness: the process is up',
  tags: ['Operations'],
  auth: 'none',
  responses: { 200: { description: 'Alive' } },
});
documentOperation({
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: MongoDB and Redis answer and shutdown has not begun',
  tags: ['Operations'],
  auth: 'none',
  responses: {
    200: { description: 'Ready' },
    503: { description: 'A dependency is down or the process is draining', contentType: 'application/json' },
  },
});

/** Routes for the OpenAPI document and its browsable docs. */
export function docsRoutes(runtime: Runtime): Router {
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.json(buildOpenApiDocument(runtime.config.publicUrl, { sandbox: runtime.config.sandbox }));
  });
  router.get('/api/docs', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/api/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(initScript);
  });
  router.use('/api/docs/assets', express.static(swaggerDir, { index: false, maxAge: '1d' }));
  return router;
}
