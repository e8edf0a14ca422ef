/** /api/v1/conversations — the front desk's view of WhatsApp chats handed to a person. */
import { Router } from 'express';
import type { Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseParams } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import {
  conversationMessages,
  listHandedOff,
  releaseConversation,
  takeOverConversation,
} from './conversation.service.js';

const params = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id') });
const tags = ['Conversations'];
const errors = {
  401: { description: 'Not signed in' },
  403: { description: 'Role denies it' },
  404: { description: 'No such conversation' },
};

documentOperation({
  method: 'get',
  path: '/api/v1/conversations',
  summary: 'WhatsApp chats waiting for the front desk',
  tags,
  auth: 'staff',
  responses: { 200: { description: 'Conversations' }, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/conversations/:id/take-over',
  summary: 'Take a chat over (the bot stays silent)',
  tags,
  auth: 'staff',
  params,
  responses: { 200: { description: 'Taken over' }, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/conversations/:id/release',
  summary: 'Hand a chat back to the bot',
  tags,
  auth: 'staff',
  params,
  responses: { 200: { description: 'Released' }, ...errors },
});

documentOperation({
  method: 'get',
  path: '/api/v1/conversations/:id/messages',
  summary: "The chat's recent messages, both directions, decrypted (front desk, admin; audited)",
  tags,
  auth: 'staff',
  params,
  responses: { 200: { description: 'The conversation and its last 30 messages, oldest first' }, ...errors },
});

const actorOf = (res: Response) => res.locals.actor as Actor;

/** The conversations router, mounted at /api/v1/conversations. */
export function conversationRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/',
    authorize('read', 'conversations'),
    asyncHandler(async (_req, res) => {
      res.json({ items: await listHandedOff(actorOf(res)) });
    }),
  );
  router.get(
    '/:id/messages',
    authorize('read', 'conversations'),
    asyncHandler(async (req, res) => {
      res.set('Cache-Control', 'no-store');
      res.json(await conversationMessages(actorOf(res), parseParams(params, req).id));
    }),
  );
  router.post(
    '/:id/take-over',
    authorize('update', 'conversations'),
    asyncHandler(async (req, res) => {
      res.json(await takeOverConversation(actorOf(res), parseParams(params, req).id));
    }),
  );
  router.post(
    '/:id/release',
    authorize('update', 'conversations'),
    asyncHandler(async (req, res) => {
      res.json(await releaseConversation(actorOf(res), parseParams(params, req).id));
    }),
  );
  return router;
}
