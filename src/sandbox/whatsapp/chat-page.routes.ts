/**
 * The sandbox chat page (mounted only in sandbox mode):
 * - `GET /sandbox/whatsapp` — the HTML shell; a person chats as any number.
 * - `GET /sandbox/whatsapp/assets/chat.js` (and the modules it imports) and `chat.css` — its
 *   script and styles, as files, because the CSP allows no inline script.
 * - `GET /sandbox/whatsapp/api/inbound?from=<wa_id>` — what that number sent, oldest first: the
 *   phone's side of the chat, next to `GET /sandbox/whatsapp/api/messages?to=` (the bot's side).
 */
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { ensureDefaultClinic } from '../../modules/clinics/clinic.service.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { addHomeLink } from '../../platform/http/home.routes.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseQuery } from '../../platform/http/validate.js';
import type { Runtime } from '../../platform/runtime.js';
import { chatPageHtml } from './chat-page.html.js';
import { CHAT_PAGE_CSS } from './chat-page.styles.js';
import { SANDBOX_FAULTS } from './faults.js';
import { inboundQuery } from './graph.schemas.js';
import { listSentBy } from './sandbox-inbound.service.js';

// Plain browser modules next to this one; the build (allowJs) copies them into dist/ too.
const assetsDir = fileURLToPath(new URL('./assets', import.meta.url));

addHomeLink({
  href: '/sandbox/whatsapp',
  title: 'WhatsApp sandbox',
  description: 'Chat with the clinic bot as any phone number',
  sandboxOnly: true,
});

documentOperation({
  method: 'get',
  path: '/sandbox/whatsapp/api/inbound',
  summary: 'Sandbox: the messages a number sent through the sandbox (typed text and taps), oldest first',
  tags: ['Sandbox'],
  auth: 'none',
  query: inboundQuery,
  responses: {
    200: { description: '{ messages: [{ wamid, from, at, content }] }' },
    400: { description: 'Not a WhatsApp id' },
  },
});

/** The chat page, its assets and the read endpoint for the phone's side of the chat. */
export function chatPageRoutes(runtime: Runtime): Router {
  const router = Router();
  // Assets change with the code in development; revalidating each load keeps the page current.
  const revalidate = { 'cache-control': 'no-cache' };

  router.get(
    '/sandbox/whatsapp',
    asyncHandler(async (_req, res) => {
      const clinic = await ensureDefaultClinic();
      res
        .set(revalidate)
        .type('html')
        .send(chatPageHtml({ businessName: clinic.name, faultSuffixes: Object.keys(SANDBOX_FAULTS) }));
    }),
  );
  router.get('/sandbox/whatsapp/assets/chat.css', (_req, res) => {
    res.set(revalidate).type('css').send(CHAT_PAGE_CSS);
  });
  router.use(
    '/sandbox/whatsapp/assets',
    express.static(assetsDir, { index: false, fallthrough: true, setHeaders: (res) => res.set(revalidate) }),
  );
  router.get(
    '/sandbox/whatsapp/api/inbound',
    asyncHandler(async (req, res) => {
      const query = parseQuery(inboundQuery, req);
      res.json({ messages: await listSentBy(runtime, query.from) });
    }),
  );
  return router;
}
