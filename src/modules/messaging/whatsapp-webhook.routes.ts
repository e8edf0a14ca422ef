/** /webhooks/whatsapp — Meta's verification handshake (GET) and signed event deliveries (POST). */
import { Router } from 'express';
import type { RawBodyRequest } from '../../app.js';
import { sameSecret } from '../../platform/crypto/same-secret.js';
import { forbidden, unauthenticated } from '../../platform/errors.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseQuery } from '../../platform/http/validate.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { receiveWebhook } from './whatsapp-webhook.service.js';
import { isValidWebhookSignature } from './whatsapp-signature.js';
import { verifyQuery, webhookEnvelopeSchema, webhookPayloadSchema } from './whatsapp-webhook.schemas.js';

documentOperation({
  method: 'get',
  path: '/webhooks/whatsapp',
  summary: "Meta's webhook verification: echoes hub.challenge for the configured verify token",
  tags: ['Webhooks'],
  auth: 'none',
  query: verifyQuery,
  responses: {
    200: { description: 'hub.challenge', contentType: 'text/plain' },
    403: { description: 'Wrong mode or verify token' },
  },
});
documentOperation({
  method: 'post',
  path: '/webhooks/whatsapp',
  summary: 'WhatsApp messages and delivery statuses, signed with X-Hub-Signature-256; stored before the answer',
  tags: ['Webhooks'],
  auth: 'signature',
  body: webhookPayloadSchema,
  responses: {
    200: {
      description:
        'Stored (duplicates and other numbers are ignored; an invalid message, status or change is recorded and skipped; still 200)',
    },
    400: { description: 'Not a WhatsApp webhook envelope (object / entry / changes)' },
    401: { description: 'Missing or wrong signature' },
  },
});

/** The webhook router, mounted at /webhooks/whatsapp. */
export function whatsappWebhookRoutes(runtime: Runtime): Router {
  const router = Router();
  const { appSecret, verifyToken } = runtime.config.whatsapp;

  router.get('/', (req, res) => {
    const query = parseQuery(verifyQuery, req);
    const challenge = query['hub.challenge'];
    const token = query['hub.verify_token'] ?? '';
    if (query['hub.mode'] !== 'subscribe' || challenge === undefined || !sameSecret(token, verifyToken))
      throw forbidden('Webhook verification failed');
    res.type('text/plain').send(challenge);
  });

  router.post(
    '/',
    asyncHandler(async (req, res) => {
      // Signature before parsing: an unsigned body is refused whatever it contains.
      if (!isValidWebhookSignature((req as RawBodyRequest).rawBody, req.get('x-hub-signature-256'), appSecret)) {
        throw unauthenticated('Missing or invalid webhook signature');
      }
      const payload = parseBody(webhookEnvelopeSchema, req);
      const receipt = await receiveWebhook(runtime.config, runtime.queues, payload);
      log().info({ ...receipt }, 'whatsapp webhook received');
      res.status(200).json({ received: true });
    }),
  );
  return router;
}
