/**
 * The sandbox's own endpoints beside the API stand-in (mounted only in sandbox mode; errors are
 * problem+json, as for every endpoint of ours):
 * - `POST /sandbox/razorpay/payment_links/:id/pay` and `/fail` — what the checkout page's buttons do
 *   (a form gets a 303 back to the page; JSON gets `{ paymentId, paymentLinkId, status, events }`).
 * - `POST /sandbox/razorpay/payment_links/:id/expire` — expire an open link now.
 * - `GET /sandbox/razorpay/events?paymentLinkId=&paymentId=&refundId=` — the stored webhook events.
 * - `POST /sandbox/razorpay/events/:eventId/resend` — deliver one again, byte for byte; answers how it went.
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import { AppError, notFound } from '../../platform/errors.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseParams, parseQuery } from '../../platform/http/validate.js';
import type { Runtime } from '../../platform/runtime.js';
import { failLink, payLink } from './checkout.service.js';
import type { CheckoutOutcome } from './checkout.service.js';
import { expireLinkNow } from './link.service.js';
import { checkoutActionBody, eventParams, eventsQuery, linkParams } from './razorpay.schemas.js';
import type { CheckoutActionBody } from './razorpay.schemas.js';
import { deliverEvent, listEvents } from './webhook-events.service.js';

const outcomeDoc =
  '{ paymentId, paymentLinkId, status, events: [{ id, event }] }; a form post gets 303 to the checkout page';
for (const [action, summary] of [
  [
    'pay',
    'Sandbox: pay a payment link in full (payment.captured, then payment_link.paid); `late` pays a cancelled or expired link, `deliver: false` stores the events undelivered',
  ],
  ['fail', 'Sandbox: a failed payment attempt on a payment link (payment.failed); the link stays open'],
] as const) {
  documentOperation({
    method: 'post',
    path: `/sandbox/razorpay/payment_links/:id/${action}`,
    summary,
    tags: ['Sandbox'],
    auth: 'none',
    params: linkParams,
    body: checkoutActionBody,
    responses: {
      200: { description: outcomeDoc },
      400: { description: 'The link is paid, cancelled or expired' },
      404: { description: 'No such link' },
    },
  });
}
documentOperation({
  method: 'get',
  path: '/sandbox/razorpay/events',
  summary:
    'Sandbox: the Razorpay webhook events the stand-in stored, oldest first, with their exact body, signature and delivery state',
  tags: ['Sandbox'],
  auth: 'none',
  query: eventsQuery,
  responses: {
    200: {
      description:
        '{ events: [{ id, event, paymentLinkId, paymentId, refundId, attempts, lastStatus, deliveredAt, createdAt, body, signature }] }',
    },
  },
});
documentOperation({
  method: 'post',
  path: '/sandbox/razorpay/events/:eventId/resend',
  summary:
    'Sandbox: deliver a stored webhook event to /webhooks/razorpay again, with the identical body, signature and event id',
  tags: ['Sandbox'],
  auth: 'none',
  params: eventParams,
  responses: {
    200: { description: 'The event with its delivery state after this attempt' },
    404: { description: 'No such event' },
  },
});

type Action = (runtime: Runtime, linkId: string, body: CheckoutActionBody) => Promise<CheckoutOutcome>;

/** Pay or fail: JSON in, JSON out; the checkout page's form is redirected back to the page (post-redirect-get). */
function checkoutAction(runtime: Runtime, action: Action, done: 'paid' | 'failed') {
  return asyncHandler(async (req: Request, res: Response) => {
    const { id } = parseParams(linkParams, req);
    const body = parseBody(checkoutActionBody, req);
    if (!req.is('application/x-www-form-urlencoded')) {
      res.json(await action(runtime, id, body));
      return;
    }
    const page = `/sandbox/razorpay/l/${id}`;
    try {
      await action(runtime, id, body);
      res.redirect(303, `${page}?result=${done}`);
    } catch (error) {
      // The page shows the link's state (paid elsewhere, cancelled, expired) itself.
      if (error instanceof AppError && error.status === 400) res.redirect(303, `${page}?result=refused`);
      else throw error;
    }
  });
}

/** The sandbox's pay/fail/expire and webhook-event endpoints. */
export function razorpaySandboxRoutes(runtime: Runtime): Router {
  const router = Router();
  router.post('/sandbox/razorpay/payment_links/:id/pay', checkoutAction(runtime, payLink, 'paid'));
  router.post('/sandbox/razorpay/payment_links/:id/fail', checkoutAction(runtime, failLink, 'failed'));
  router.post(
    '/sandbox/razorpay/payment_links/:id/expire',
    asyncHandler(async (req, res) => {
      res.json(await expireLinkNow(runtime, parseParams(linkParams, req).id));
    }),
  );
  router.get(
    '/sandbox/razorpay/events',
    asyncHandler(async (req, res) => {
      res.json({ events: await listEvents(runtime, parseQuery(eventsQuery, req)) });
    }),
  );
  router.post(
    '/sandbox/razorpay/events/:eventId/resend',
    asyncHandler(async (req, res) => {
      const event = await deliverEvent(runtime, parseParams(eventParams, req).eventId);
      if (!event) throw notFound('Event');
      res.json(event);
    }),
  );
  return router;
}
