/**
 * The messaging module: the WhatsApp transport. Inbound: the webhook stores messages in the inbox
 * and a worker hands them, one at a time per patient, to the handler set with
 * `setInboundHandler`. Outbound: `sendWhatsApp` queues a message that a worker sends in order,
 * paced and rate-limited, within the 24-hour window or as a template, and status webhooks track.
 * `sendPatientDocument` sends a stored PDF once per dedupe key through an expiring signed link.
 */
import type { DomainModule } from '../index.js';
import { defineInboundQueue } from './inbox.queue.js';
import { defineSweepQueue } from './sweep.queue.js';
import { defineOutboundQueue } from './outbound.queue.js';
import { createOutboundProcessor } from './outbound.processor.js';
import { defineStatusQueue } from './status.queue.js';
import { createWhatsAppSender } from './whatsapp-client.js';
import { configurePatientDocuments } from './patient-documents.js';
import { whatsappWebhookRoutes } from './whatsapp-webhook.routes.js';
import './document-delivery.model.js';
import './inbox.model.js';
import './outbound.model.js';
import './wa-contact.model.js';

// The transport's public API: what the conversation, reminders and billing call.
export { setInboundHandler } from './inbox.processor.js';
export type { InboundHandler } from './inbox.processor.js';
export type { InboundMessage } from './inbound-message.js';
export { sendWhatsApp } from './outbound.service.js';
export { templateMessage, textMessage } from './whatsapp-messages.js';
export type { SendWhatsAppInput } from './outbound.service.js';
export type { OutboundPurpose, OutboundStatus, TemplateFallback } from './outbound.model.js';
export { replyButtonsMessage } from './whatsapp-messages.js';
export type { OutboundMessage, ReplyButton } from './whatsapp-messages.js';
export { encodeInteractiveId, parseInteractiveId } from './interactive-ids.js';
export { scheduleMessagingSweep } from './sweep.queue.js';
export { documentDeliveriesOf, documentDeliveryOf, sendPatientDocument } from './patient-documents.js';
export type {
  DocumentCaption,
  DocumentDelivery,
  PatientDocumentInput,
  PatientDocumentKind,
} from './patient-documents.js';

import { countsByField } from '../../platform/metrics.js';
import { OUTBOUND_STATUSES, OutboundMessageModel } from './outbound.model.js';

/** Registers the inbound, outbound, status and sweep queues and patient-document links; mounts /webhooks/whatsapp. */
export const messagingModule: DomainModule = {
  name: 'messaging',
  register(runtime) {
    defineInboundQueue(runtime);
    defineOutboundQueue(runtime, createOutboundProcessor(runtime.config, createWhatsAppSender(runtime.config)));
    defineStatusQueue(runtime);
    defineSweepQueue(runtime);
    configurePatientDocuments(runtime.config);
    runtime.metricSources.push(
      countsByField(
        {
          name: 'cinic_whatsapp_outbound_messages',
          help: 'Outbound WhatsApp messages by status (queued, sent, delivered, read, failed)',
          label: 'status',
          field: 'status',
          values: OUTBOUND_STATUSES,
        },
        OutboundMessageModel,
      ),
    );
  },
  mount(app, runtime) {
    app.use('/webhooks/whatsapp', whatsappWebhookRoutes(runtime));
  },
};

export { recentChatMessages } from './chat-history.js';
export type { ChatMessage } from './chat-history.js';
