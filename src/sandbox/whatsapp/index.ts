/**
 * The local stand-in for Meta's Graph API, active only in sandbox mode: registers its message log
 * and status-callback queue and mounts its routes. The production code path (whatsapp-api-js
 * through WHATSAPP_API_URL, signed webhooks) is exactly what it exercises.
 */
import type { DomainModule } from '../../modules/index.js';
import { defineSandboxCallbacksQueue } from './callbacks.queue.js';
import { chatPageRoutes } from './chat-page.routes.js';
import { whatsappSandboxRoutes } from './graph.routes.js';
import { sandboxInbound } from './sandbox-inbound.model.js';
import { sandboxMessages } from './sandbox-message.model.js';

// Payload builders and senders for the sandbox chat page and tests.
export {
  buildInboundPayload,
  buildStatusPayload,
  batchPayloads,
  newWamid,
  serializeWebhook,
  signWebhook,
} from './inbound-payload.js';
export type { InboundInput, StatusInput, WebhookBody } from './inbound-payload.js';
export { postWebhook, sendInbound } from './inbound-sender.js';
export type { WebhookTarget } from './inbound-sender.js';
export { SANDBOX_FAULTS } from './faults.js';

/** Registers and mounts the WhatsApp stand-in and its chat page when `config.sandbox` is on; does nothing otherwise. */
export const whatsappSandboxModule: DomainModule = {
  name: 'sandbox-whatsapp',
  register(runtime) {
    if (!runtime.config.sandbox) return;
    sandboxMessages();
    sandboxInbound();
    defineSandboxCallbacksQueue(runtime);
  },
  mount(app, runtime) {
    if (!runtime.config.sandbox) return;
    app.use(whatsappSandboxRoutes(runtime));
    app.use(chatPageRoutes(runtime));
  },
};
