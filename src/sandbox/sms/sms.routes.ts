/**
 * The SMS stand-in (sandbox mode only):
 * - `POST /sandbox/sms/GatewayAPI/rest` — Gupshup Enterprise's SendMessage, form-encoded, checking
 *   the account, sender id, entity id and DLT template id as the real gateway does; answers JSON.
 * - `GET /sandbox/sms` — the page: texts per number and the gateway-down switch.
 * - `GET /sandbox/sms/api/messages?to=<digits>` — one number's texts as JSON (tests, scripts).
 */
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Response } from 'express';
import { z } from 'zod';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { addHomeLink } from '../../platform/http/home.routes.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseQuery } from '../../platform/http/validate.js';
import { sameSecret } from '../../platform/crypto/same-secret.js';
import type { Runtime } from '../../platform/runtime.js';
import { SMS_FAULTS, smsFaultFor } from './faults.js';
import { smsPageHtml } from './sms-page.html.js';
import { SandboxSms, SandboxSmsSwitch } from './sandbox-sms.model.js';
import type { SandboxSmsRecord } from './sandbox-sms.model.js';

addHomeLink({
  href: '/sandbox/sms',
  title: 'SMS sandbox',
  description: 'Texts sent when WhatsApp cannot deliver, per number',
  sandboxOnly: true,
});

const messagesQuery = z.object({ to: z.string().regex(/^\d{8,15}$/, 'digits with country code') });
documentOperation({
  method: 'get',
  path: '/sandbox/sms/api/messages',
  summary: 'Sandbox: the SMS texts a number received, newest first',
  tags: ['Sandbox'],
  auth: 'none',
  query: messagesQuery,
  responses: { 200: { description: '{ messages: [...] }' }, 400: { description: 'Not a number' } },
});

const sendForm = z.object({
  method: z.string(),
  userid: z.string(),
  password: z.string(),
  send_to: z.string().regex(/^\d{8,15}$/),
  msg: z.string().min(1).max(2000),
  msg_type: z.enum(['TEXT', 'Unicode_text']),
  mask: z.string(),
  principalEntityId: z.string().min(1),
  dltTemplateId: z.string().min(1),
});

const answer = (res: Response, status: 'success' | 'error', id: string, details = '', phone = '') =>
  res.json({ response: { id, phone, details, status } });

async function gatewayDown(): Promise<boolean> {
  return (await SandboxSmsSwitch.findById('switches').lean<{ gatewayDown?: boolean }>())?.gatewayDown === true;
}

/** The stand-in's routes. */
export function smsSandboxRoutes(runtime: Runtime): Router {
  const router = Router();
  const { sms } = runtime.config;

  router.post(
    '/sandbox/sms/GatewayAPI/rest',
    asyncHandler(async (req, res) => {
      const form = sendForm.safeParse(req.body);
      if (!form.success) return answer(res, 'error', '101', 'Invalid or missing parameters');
      const f = form.data;
      if (f.method.toLowerCase() !== 'sendmessage') return answer(res, 'error', '102', 'Unknown method');
      if (f.userid !== sms.userId || !sameSecret(f.password, sms.password ?? ''))
        return answer(res, 'error', '105', 'Authentication failed');
      if (f.mask !== sms.senderId) return answer(res, 'error', '322', 'Sender id not registered');
      if (f.principalEntityId !== sms.entityId) return answer(res, 'error', '340', 'Entity id not registered');
      const registered = Object.values(sms.templates).some((byLang) =>
        Object.values(byLang ?? {}).includes(f.dltTemplateId),
      );
      if (!registered) return answer(res, 'error', '185', 'DLT template id not registered');
      if (await gatewayDown()) return res.status(503).json({ response: { status: 'error', id: '503' } });
      const fault = smsFaultFor(f.send_to);
      if (fault?.kind === 'http')
        return res.status(fault.status).json({ response: { status: 'error', id: String(fault.status) } });
      if (fault?.kind === 'error') return answer(res, 'error', fault.code, fault.details, f.send_to);
      const providerMessageId = `${Date.now()}${randomBytes(4).readUInt32BE(0)}`;
      await SandboxSms.create({
        providerMessageId,
        to: f.send_to,
        text: f.msg,
        sender: f.mask,
        dltTemplateId: f.dltTemplateId,
        entityId: f.principalEntityId,
        msgType: f.msg_type,
      });
      return answer(res, 'success', providerMessageId, '', f.send_to);
    }),
  );

  router.get(
    '/sandbox/sms/api/messages',
    asyncHandler(async (req, res) => {
      const { to } = parseQuery(messagesQuery, req);
      const messages = await SandboxSms.find({ to }).sort({ createdAt: -1 }).limit(200).lean<SandboxSmsRecord[]>();
      res.json({ messages });
    }),
  );

  router.get(
    '/sandbox/sms',
    asyncHandler(async (_req, res) => {
      const messages = await SandboxSms.find({}).sort({ createdAt: -1 }).limit(500).lean<SandboxSmsRecord[]>();
      res
        .type('html')
        .send(smsPageHtml({ messages, gatewayDown: await gatewayDown(), suffixes: Object.keys(SMS_FAULTS) }));
    }),
  );

  router.post(
    '/sandbox/sms/switches',
    asyncHandler(async (req, res) => {
      const down = String((req.body as { gatewayDown?: unknown })?.gatewayDown) === 'true';
      await SandboxSmsSwitch.updateOne({ _id: 'switches' }, { $set: { gatewayDown: down } }, { upsert: true });
      res.redirect(303, '/sandbox/sms');
    }),
  );
  return router;
}
