/**
 * The local stand-in for Razorpay, active only in sandbox mode: the API the real `razorpay` SDK is
 * pointed at (payment links, payments, refunds), the checkout page behind each link's short_url,
 * and signed webhooks to our own /webhooks/razorpay. Its models and queues are registered, and its
 * routes mounted, only when `config.sandbox` is on.
 */
import type { DomainModule } from '../../modules/index.js';
import { razorpayApiRoutes } from './api.routes.js';
import { checkoutPageRoutes } from './checkout-page.routes.js';
import { settleRefund } from './refund.service.js';
import { defineSandboxRefundsQueue } from './refunds.queue.js';
import { sandboxEvents } from './sandbox-event.model.js';
import { sandboxLinks } from './sandbox-link.model.js';
import { sandboxPayments } from './sandbox-payment.model.js';
import { sandboxRefunds } from './sandbox-refund.model.js';
import { razorpaySandboxRoutes } from './sandbox.routes.js';
import { deliverEvent } from './webhook-events.service.js';
import { defineSandboxWebhooksQueue } from './webhooks.queue.js';

// For tests and tools: the signature Razorpay puts in X-Razorpay-Signature, and the fault table.
export { signRazorpayWebhook } from './webhook-events.service.js';
export type { SandboxEventView } from './webhook-events.service.js';
export { RAZORPAY_FAULT_AMOUNTS, DEFAULT_HOLD_MS } from './faults.js';
export type { RazorpayFault } from './faults.js';
export { RAZORPAY_API_BASE } from './api.routes.js';

/** Registers and mounts the Razorpay stand-in and its checkout page when `config.sandbox` is on; does nothing otherwise. */
export const razorpaySandboxModule: DomainModule = {
  name: 'sandbox-razorpay',
  register(runtime) {
    if (!runtime.config.sandbox) return;
    sandboxLinks();
    sandboxPayments();
    sandboxRefunds();
    sandboxEvents();
    defineSandboxWebhooksQueue(runtime, (eventId) => deliverEvent(runtime, eventId));
    defineSandboxRefundsQueue(runtime, (refundId) => settleRefund(runtime, refundId));
  },
  mount(app, runtime) {
    if (!runtime.config.sandbox) return;
    app.use(razorpayApiRoutes(runtime));
    app.use(razorpaySandboxRoutes(runtime));
    app.use(checkoutPageRoutes(runtime));
  },
};
