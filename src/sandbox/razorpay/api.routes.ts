/**
 * The Razorpay API stand-in, mounted only in sandbox mode under `/sandbox/razorpay/api/v1` — where
 * the real `razorpay` SDK is pointed (its axios baseURL, minus `/v1`). HTTP Basic auth with the
 * configured key id and secret; answers and errors in Razorpay's format:
 * - `POST /payment_links`, `GET /payment_links` (`?reference_id=`), `GET /payment_links/:id`, `POST /payment_links/:id/cancel`
 * - `GET /payments/:id`, `POST /payments/:id/refund` (honours `X-Refund-Idempotency`), `GET /payments/:id/refunds[/:refundId]`
 * - `GET /refunds/:id`
 */
import { Router } from 'express';
import { sameSecret } from '../../platform/crypto/same-secret.js';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { paymentEntity, refundEntity } from './entities.js';
import { holdMs } from './faults.js';
import { cancelLink, createLink, fetchLink, listLinks } from './link.service.js';
import { RazorpayError, sendRazorpayError } from './razorpay-error.js';
import { createLinkBody, listLinksQuery, razorpayValidationError, refundBody } from './razorpay.schemas.js';
import { createRefund, findRefund, listRefunds, paymentOrError } from './refund.service.js';

/** Where the stand-in's API lives; the SDK's baseURL is this minus `/v1`. */
export const RAZORPAY_API_BASE = '/sandbox/razorpay/api/v1';

const unauthorized = (description: string) => new RazorpayError(401, 'BAD_REQUEST_ERROR', description);

/** Checks HTTP Basic credentials as Razorpay does: a missing, unknown or wrong key is a 401 in its format. */
function basicAuth(keyId: string, keySecret: string): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    if (!header.startsWith('Basic '))
      return sendRazorpayError(res, unauthorized('Please provide your api key for authentication purposes.'));
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [id, secret] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    if (!sameSecret(id, keyId)) return sendRazorpayError(res, unauthorized('The api key provided is invalid'));
    if (!sameSecret(secret, keySecret)) return sendRazorpayError(res, unauthorized('Authentication failed'));
    next();
  };
}

/** Runs a handler and answers its failures as Razorpay would (never problem+json here: the SDK reads `error.description`). */
function handle(fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler {
  return (req: Request, res: Response, _next: NextFunction) => {
    fn(req, res).catch((error: unknown) => {
      if (error instanceof RazorpayError) return sendRazorpayError(res, error);
      if (error instanceof ZodError) return sendRazorpayError(res, razorpayValidationError(error));
      log().error({ err: error }, 'sandbox razorpay api failed');
      sendRazorpayError(
        res,
        new RazorpayError(
          500,
          'SERVER_ERROR',
          'The server encountered an error. The incident has been reported to admins.',
        ),
      );
    });
  };
}

/** Holds the answer for the `refund_timeout` fault, so the caller's timeout fires first; cleared if the caller hangs up. */
function answerLate(res: Response, body: unknown, ms: number): void {
  const timer = setTimeout(() => {
    if (!res.writableEnded && !res.destroyed) res.json(body);
  }, ms);
  timer.unref();
  res.on('close', () => clearTimeout(timer));
}

/** The Razorpay API stand-in router. */
export function razorpayApiRoutes(runtime: Runtime): Router {
  const router = Router();
  const { keyId, keySecret } = runtime.config.razorpay;
  router.use(RAZORPAY_API_BASE, basicAuth(keyId, keySecret));

  router.post(
    `${RAZORPAY_API_BASE}/payment_links`,
    handle(async (req, res) => res.json(await createLink(runtime, createLinkBody.parse(req.body ?? {})))),
  );
  router.get(
    `${RAZORPAY_API_BASE}/payment_links`,
    handle(async (req, res) => res.json(await listLinks(runtime, listLinksQuery.parse(req.query)))),
  );
  router.get(
    `${RAZORPAY_API_BASE}/payment_links/:id`,
    handle(async (req, res) => res.json(await fetchLink(runtime, req.params.id!))),
  );
  router.post(
    `${RAZORPAY_API_BASE}/payment_links/:id/cancel`,
    handle(async (req, res) => res.json(await cancelLink(runtime, req.params.id!))),
  );

  router.get(
    `${RAZORPAY_API_BASE}/payments/:id`,
    handle(async (req, res) => res.json(paymentEntity(await paymentOrError(runtime, req.params.id!)))),
  );
  router.post(
    `${RAZORPAY_API_BASE}/payments/:id/refund`,
    handle(async (req, res) => {
      const key = req.get('x-refund-idempotency')?.trim() || undefined;
      const body = refundBody.parse(req.body ?? {});
      const { refund, created } = await createRefund(runtime, req.params.id!, body, key);
      if (created && refund.fault === 'refund_timeout')
        return answerLate(res, refundEntity(refund), holdMs(body.notes));
      // The refund exists; the caller only sees the connection drop.
      if (created && refund.fault === 'refund_reset') return void req.socket.destroy();
      res.json(refundEntity(refund));
    }),
  );
  router.get(
    `${RAZORPAY_API_BASE}/payments/:id/refunds`,
    handle(async (req, res) => res.json(await listRefunds(runtime, req.params.id!))),
  );
  router.get(
    `${RAZORPAY_API_BASE}/payments/:id/refunds/:refundId`,
    handle(async (req, res) => res.json(refundEntity(await findRefund(runtime, req.params.refundId!, req.params.id!)))),
  );
  router.get(
    `${RAZORPAY_API_BASE}/refunds/:id`,
    handle(async (req, res) => res.json(refundEntity(await findRefund(runtime, req.params.id!)))),
  );

  // Razorpay answers unknown API paths with a 400 in its format, not a 404.
  router.use(RAZORPAY_API_BASE, (_req, res) =>
    sendRazorpayError(
      res,
      new RazorpayError(400, 'BAD_REQUEST_ERROR', 'The requested URL was not found on the server.'),
    ),
  );
  return router;
}
