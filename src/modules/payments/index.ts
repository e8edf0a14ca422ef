/**
 * The payments module: Razorpay payment links (created through the SDK, sent on WhatsApp,
 * cancelled with their hold), the signed `/webhooks/razorpay` endpoint with its event store and
 * handlers, and online refunds sent with an idempotency key. Money itself is booked by billing.
 */
import { systemActor } from '../../platform/actor.js';
import { setPaymentLinkProvider } from '../conversations/payment-links.js';
import type { DomainModule } from '../index.js';
import { paymentLinkForAppointment } from './appointment-payment-link.service.js';
import { defineHoldReleaseQueue } from './hold-release.queue.js';
import './payment-link.model.js';
import { appointmentPaymentLinkRoutes, invoicePaymentLinkRoutes } from './payment-link.routes.js';
import { configureRazorpay } from './razorpay.client.js';
import { razorpayEventAdminRoutes } from './razorpay-event-admin.routes.js';
import './razorpay-event.model.js';
import { defineRazorpayEventsQueue } from './razorpay-events.queue.js';
import { defineRazorpayRefundsQueue } from './razorpay-refunds.queue.js';
import { razorpayWebhookRoutes } from './razorpay-webhook.routes.js';

import { countsByField } from '../../platform/metrics.js';
import { RAZORPAY_EVENT_STATUSES, RazorpayEvent } from './razorpay-event.model.js';

export { paymentLinkForInvoice } from './payment-link.service.js';

/** Configures the SDK, defines the queues and gives the booking bot its payment links. */
export const paymentsModule: DomainModule = {
  name: 'payments',
  register(runtime) {
    configureRazorpay(runtime.config);
    defineRazorpayEventsQueue(runtime);
    defineRazorpayRefundsQueue(runtime);
    defineHoldReleaseQueue(runtime);
    runtime.metricSources.push(
      countsByField(
        {
          name: 'cinic_razorpay_events',
          help: 'Razorpay webhook events by outcome (received, processed, ignored, failed for good)',
          label: 'outcome',
          field: 'status',
          values: RAZORPAY_EVENT_STATUSES,
        },
        RazorpayEvent,
      ),
    );
    // The bot sends the link in its own message, so the provider only creates it.
    setPaymentLinkProvider(async (request, appointmentId) => {
      const link = await paymentLinkForAppointment(systemActor(request.clinicId, 'whatsapp:bot'), appointmentId);
      return { url: link.shortUrl };
    });
  },
  mount(app, runtime) {
    app.use('/webhooks/razorpay', razorpayWebhookRoutes(runtime));
    app.use('/api/v1/appointments', appointmentPaymentLinkRoutes(runtime));
    app.use('/api/v1/invoices', invoicePaymentLinkRoutes(runtime));
    app.use('/api/v1/razorpay-events', razorpayEventAdminRoutes(runtime));
  },
};
