/**
 * `GET /documents/:token`: serves a stored document to whoever holds a signed link (Meta fetching
 * a PDF for WhatsApp, or the patient opening it). The token is the credential, so it stays out of
 * the access log, caches and search engines, and every failure is the same 404.
 */
import { Router } from 'express';
import { z } from 'zod';
import { asyncHandler } from '../http/async-handler.js';
import { documentOperation } from '../http/openapi.js';
import { sendProblem } from '../http/problem.js';
import type { Runtime } from '../runtime.js';
import { createDocumentStorage } from './index.js';
import { verifyDocumentToken } from './signed-links.js';

/** The route's path template, which the access log records instead of the token-bearing path. */
export const DOCUMENT_LINK_ROUTE = '/documents/:token';

documentOperation({
  method: 'get',
  path: DOCUMENT_LINK_ROUTE,
  summary: 'A stored document (prescription, invoice…) through an expiring signed link, as sent on WhatsApp',
  tags: ['Documents'],
  auth: 'none',
  params: z.object({ token: z.string().describe('Signed, expiring token from the link') }),
  responses: {
    200: { description: 'The document, inline, never cached', contentType: 'application/pdf' },
    404: { description: 'Unknown, tampered or expired link (indistinguishable)' },
  },
});

/** The signed-document route, reading from the configured storage. */
export function documentLinkRoutes(runtime: Runtime): Router {
  const router = Router();
  const storage = createDocumentStorage(runtime.config);
  const secret = runtime.config.documents.linkSecret;
  router.get(
    DOCUMENT_LINK_ROUTE,
    asyncHandler(async (req, res) => {
      res.locals.logPath = DOCUMENT_LINK_ROUTE;
      res.set({
        'Cache-Control': 'private, no-store',
        'X-Robots-Tag': 'noindex, nofollow',
        'Referrer-Policy': 'no-referrer',
      });
      const target = verifyDocumentToken(req.params.token ?? '', secret);
      const stored = target ? await storage.get(target.key) : null;
      if (!target || !stored) {
        sendProblem(
          res,
          404,
          'document_not_found',
          'This document link is invalid or has expired; ask the clinic to send it again',
        );
        return;
      }
      // The filename is already cut to [A-Za-z0-9._-] when signed, so it needs no quoting beyond this.
      res.set({
        'Content-Type': target.contentType,
        'Content-Disposition': `inline; filename="${target.filename}"`,
        'Content-Length': String(stored.body.length),
      });
      res.send(stored.body);
    }),
  );
  return router;
}
