/**
 * The Meta webhook as zod schemas: the verification handshake's query and the `messages` field's
 * payload (inbound messages and delivery statuses). Unknown keys are dropped, because Meta adds
 * fields over time; changes of other fields (template reviews, account updates) are accepted and
 * ignored. Only the envelope (`object`, `entry[].changes[]`) can fail the POST with 400: every
 * change, message, status and contact inside is validated on its own (webhookItemSchemas), so one
 * bad item is recorded and skipped while the rest of the batch — other patients' messages — is stored.
 */
import { z } from 'zod';

/** `GET /webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` */
export const verifyQuery = z.object({
  'hub.mode': z.string().max(40).optional(),
  'hub.verify_token': z.string().max(512).optional(),
  'hub.challenge': z.string().max(512).optional(),
});

/** A Unix time in seconds, as Meta sends it (a string of digits). */
const unixSeconds = z.string().regex(/^\d{1,12}$/, 'must be Unix seconds');

/** One message from a patient; only the parts this app reads are kept. */
export const inboundMessageSchema = z.object({
  from: z.string().regex(/^\d{6,15}$/, 'must be a WhatsApp id'),
  id: z.string().min(1).max(512),
  timestamp: unixSeconds,
  type: z.string().min(1).max(64),
  text: z.object({ body: z.string().max(65_536) }).optional(),
  interactive: z
    .object({
      type: z.string().max(64),
      button_reply: z.object({ id: z.string().max(512), title: z.string().max(512) }).optional(),
      list_reply: z
        .object({ id: z.string().max(512), title: z.string().max(512), description: z.string().max(512).optional() })
        .optional(),
    })
    .optional(),
  /** A tap on a template's quick-reply button. */
  button: z.object({ payload: z.string().max(512).optional(), text: z.string().max(512).optional() }).optional(),
});

/** A delivery report for a message this app sent. */
export const statusReportSchema = z.object({
  id: z.string().min(1).max(512),
  status: z.string().min(1).max(64),
  timestamp: unixSeconds,
  recipient_id: z.string().max(64).optional(),
  errors: z
    .array(z.object({ code: z.number().int(), title: z.string().max(512).optional() }))
    .max(20)
    .optional(),
});

/** The `value` of a `messages` change. */
export const messagesValueSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  metadata: z.object({
    phone_number_id: z.string().min(1).max(64),
    display_phone_number: z.string().max(64).optional(),
  }),
  contacts: z
    .array(
      z.object({ wa_id: z.string().max(64), profile: z.object({ name: z.string().max(512).optional() }).optional() }),
    )
    .max(1000)
    .optional(),
  messages: z.array(inboundMessageSchema).max(1000).optional(),
  statuses: z.array(statusReportSchema).max(1000).optional(),
});

const messagesChange = z.object({ field: z.literal('messages'), value: messagesValueSchema });
// Any other field: accepted unread (a malformed `messages` change must not slip through here).
const otherChange = z
  .object({
    field: z
      .string()
      .max(100)
      .refine((field) => field !== 'messages'),
    value: z.unknown(),
  })
  .transform(() => ({ field: 'other' as const }));

/** The POST envelope as parsed: items are checked one by one by the service (see the file comment). */
export const webhookEnvelopeSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(z.object({ id: z.string().max(64).optional(), changes: z.array(z.unknown()).max(100) }))
    .min(1)
    .max(100),
});

/** Per-item schemas for the batch: a change's frame, and each contact, message and status inside. */
export const webhookItemSchemas = {
  change: z.object({ field: z.string().max(100), value: z.unknown() }),
  messagesFrame: z.object({
    messaging_product: z.literal('whatsapp'),
    metadata: messagesValueSchema.shape.metadata,
    contacts: z.array(z.unknown()).max(1000).optional(),
    messages: z.array(z.unknown()).max(1000).optional(),
    statuses: z.array(z.unknown()).max(1000).optional(),
  }),
  contact: z.object({
    wa_id: z.string().max(64),
    profile: z.object({ name: z.string().max(512).optional() }).optional(),
  }),
  message: inboundMessageSchema,
  status: statusReportSchema,
};

/** The whole POST body as documented (what a well-formed delivery looks like). */
export const webhookPayloadSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(z.object({ id: z.string().max(64), changes: z.array(z.union([messagesChange, otherChange])).max(100) }))
    .min(1)
    .max(100),
});

/** A parsed webhook POST. */
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
/** A parsed webhook envelope (items not yet checked). */
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;
/** One parsed inbound message. */
export type InboundMessagePayload = z.infer<typeof inboundMessageSchema>;
/** One parsed status report. */
export type StatusReportPayload = z.infer<typeof statusReportSchema>;
/** The parsed value of a `messages` change. */
export type MessagesValue = z.infer<typeof messagesValueSchema>;
