/**
 * Sandbox routes (mounted only in sandbox mode):
 * - `POST /sandbox/whatsapp/graph/{version}/{phone-number-id}/messages` — the Graph API stand-in
 *   the real client reaches through WHATSAPP_API_URL; answers and errors in Graph's format.
 * - `GET /sandbox/whatsapp/api/messages?to=<wa_id>` — what that number received, oldest first.
 * - `POST /sandbox/whatsapp/api/inbound` — deliver a message as that number, signed, to our webhook.
 */
import { Router } from 'express';
import { sameSecret } from '../../platform/crypto/same-secret.js';
import type { Response } from 'express';
import type { RawBodyRequest } from '../../app.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseQuery } from '../../platform/http/validate.js';
import type { Runtime } from '../../platform/runtime.js';
import { GraphFault, acceptSend, deliverInbound, listSandboxMessages } from './graph.service.js';
import { graphSendRequest, inboundBody, messagesQuery } from './graph.schemas.js';

documentOperation({
  method: 'get',
  path: '/sandbox/whatsapp/api/messages',
  summary: 'Sandbox: the Cloud API messages the Graph stand-in received for a number, oldest first',
  tags: ['Sandbox'],
  auth: 'none',
  query: messagesQuery,
  responses: {
    200: { description: '{ messages: [{ wamid, to, at, status, message }] }' },
    400: { description: 'Not a WhatsApp id' },
  },
});
documentOperation({
  method: 'post',
  path: '/sandbox/whatsapp/api/inbound',
  summary: 'Sandbox: deliver a message (text or a tap) from a number to the WhatsApp webhook, signed',
  tags: ['Sandbox'],
  auth: 'none',
  body: inboundBody,
  responses: {
    202: { description: '{ wamid }' },
    400: { description: 'Invalid message' },
    502: { description: 'The webhook refused it' },
  },
});

/** Sends a Graph-format error (the client parses these, not problem+json). */
function graphError(res: Response, fault: GraphFault, type = 'OAuthException'): void {
  res.status(fault.httpStatus).json({
    error: {
      message: fault.message,
      type,
      code: fault.code,
      error_data: { messaging_product: 'whatsapp', details: fault.message },
      fbtrace_id: 'sandbox',
    },
  });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  return sameSecret(header ?? '', `Bearer ${token}`);
}

/** The sandbox WhatsApp router (Graph stand-in and sandbox API). */
export function whatsappSandboxRoutes(runtime: Runtime): Router {
  const router = Router();
  const { accessToken, phoneNumberId } = runtime.config.whatsapp;

  router.post(
    '/sandbox/whatsapp/graph/:version/:phoneNumberId/messages',
    asyncHandler(async (req, res) => {
      if (!bearerMatches(req.get('authorization'), accessToken)) {
        graphError(res, new GraphFault(401, 190, 'Invalid OAuth access token - Cannot parse access token'));
        return;
      }
      if (!/^v\d+\.\d+$/.test(req.params.version ?? '') || req.params.phoneNumberId !== phoneNumberId) {
        graphError(
          res,
          new GraphFault(
            400,
            100,
            'Unsupported post request. Object does not exist or does not support this operation',
          ),
          'GraphMethodException',
        );
        return;
      }
      const parsed = graphSendRequest.safeParse(req.body);
      if (!parsed.success) {
        const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(body)').join(', ');
        graphError(res, new GraphFault(400, 100, `(#100) Invalid parameter: ${paths}`));
        return;
      }
      try {
        res.json(
          await acceptSend(runtime, parsed.data, req.body as Record<string, unknown>, (req as RawBodyRequest).rawBody),
        );
      } catch (error) {
        if (!(error instanceof GraphFault)) throw error;
        graphError(res, error);
      }
    }),
  );

  router.get(
    '/sandbox/whatsapp/api/messages',
    asyncHandler(async (req, res) => {
      const query = parseQuery(messagesQuery, req);
      res.json({ messages: await listSandboxMessages(runtime, query.to) });
    }),
  );

  router.post(
    '/sandbox/whatsapp/api/inbound',
    asyncHandler(async (req, res) => {
      const body = parseBody(inboundBody, req);
      res.status(202).json(await deliverInbound(runtime, body));
    }),
  );
  return router;
}
