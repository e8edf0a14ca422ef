/** POST /webhooks/razorpay — signed Razorpay events, stored before the 200 and handled by a job. */
import { Router } from 'express';
import type { RawBodyRequest } from '../../app.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { razorpayWebhookSchema } from './razorpay-event.schemas.js';
import { receiveRazorpayWebhook } from './razorpay-webhook.service.js';

documentOperation({
  method: 'post',
  path: '/webhooks/razorpay',
  summary:
    'Razorpay events (payment links, payments, refunds), signed with X-Razorpay-Signature and deduplicated on x-razorpay-event-id',
  tags: ['Webhooks'],
  auth: 'signature',
  body: razorpayWebhookSchema,
  responses: {
    200: { description: 'Stored and queued (a repeated event id is a no-op, still 200)' },
    400: { description: 'Not a Razorpay event, or no event id' },
    401: { description: 'Missing or wrong signature' },
  },
});

/** The webhook router, mounted at /webhooks/razorpay. */
export function razorpayWebhookRoutes(runtime: Runtime): Router {
  const router = Router();
  router.post(
    '/',
    asyncHandler(async (req, res) => {
      const receipt = await receiveRazorpayWebhook(runtime.config, runtime.queues, {
        rawBody: (req as RawBodyRequest).rawBody,
        signature: req.get('x-razorpay-signature'),
        eventId: req.get('x-razorpay-event-id'),
      });
      log().info({ ...receipt }, 'razorpay webhook received');
      res.status(200).json({ received: true, duplicate: receipt.duplicate });
    }),
  );
  return router;
}
