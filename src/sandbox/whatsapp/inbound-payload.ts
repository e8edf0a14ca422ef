/**
 * Builds Meta-shaped webhook POSTs — inbound messages (text, reply-button and list taps, template
 * quick replies) and delivery statuses — serialised the way Meta does (non-ASCII escaped as
 * \uXXXX) and signed with the app secret. Used by the sandbox (chat page, status callbacks) and
 * by tests; pure, so the page can build on the server what a phone would have sent.
 */
import { randomBytes } from 'node:crypto';
import { webhookSignature } from '../../modules/messaging/whatsapp-signature.js';

/** One message a patient sends. Exactly one of text / buttonReplyId / listReplyId / quickReplyPayload. */
export interface InboundInput {
  /** The patient's WhatsApp id (country code and number, no `+`). */
  from: string;
  profileName?: string;
  text?: string;
  buttonReplyId?: string;
  listReplyId?: string;
  /** The title of the tapped button or row (defaults to its id). */
  replyTitle?: string;
  /** A tap on a template's quick-reply button. */
  quickReplyPayload?: string;
  /** Sends a message type the bot does not read (e.g. `image`), for tests. */
  unsupportedType?: string;
  /** Defaults to a fresh random wamid. */
  wamid?: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

/** One delivery status report. */
export interface StatusInput {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  recipientId: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Meta's error code, for `failed`. */
  errorCode?: number;
}

/** The JSON of a webhook POST. */
export interface WebhookBody {
  object: 'whatsapp_business_account';
  entry: { id: string; changes: { field: string; value: Record<string, unknown> }[] }[];
}

/** A fresh wamid in Meta's shape (`wamid.` and base64). */
export function newWamid(): string {
  return `wamid.${randomBytes(30).toString('base64url')}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function messageObject(input: InboundInput): Record<string, unknown> {
  const base = { from: input.from, id: input.wamid ?? newWamid(), timestamp: String(input.timestamp ?? nowSeconds()) };
  const title = input.replyTitle;
  if (input.buttonReplyId !== undefined) {
    return {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'button_reply',
        button_reply: { id: input.buttonReplyId, title: title ?? input.buttonReplyId },
      },
    };
  }
  if (input.listReplyId !== undefined) {
    return {
      ...base,
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: input.listReplyId, title: title ?? input.listReplyId } },
    };
  }
  if (input.quickReplyPayload !== undefined)
    return {
      ...base,
      type: 'button',
      button: { payload: input.quickReplyPayload, text: title ?? input.quickReplyPayload },
    };
  if (input.unsupportedType !== undefined)
    return { ...base, type: input.unsupportedType, [input.unsupportedType]: { id: 'media-0' } };
  return { ...base, type: 'text', text: { body: input.text ?? '' } };
}

function entry(phoneNumberId: string, value: Record<string, unknown>): WebhookBody['entry'][number] {
  return {
    id: 'sandbox-waba',
    changes: [
      {
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
          ...value,
        },
      },
    ],
  };
}

/** A webhook POST carrying `inputs` (one or several messages, in order) to `phoneNumberId`. */
export function buildInboundPayload(phoneNumberId: string, inputs: InboundInput | InboundInput[]): WebhookBody {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const senders = new Map<string, string>();
  for (const input of list) if (!senders.get(input.from)) senders.set(input.from, input.profileName ?? '');
  const contacts = [...senders].map(([waId, name]) => ({ profile: { name }, wa_id: waId }));
  return {
    object: 'whatsapp_business_account',
    entry: [entry(phoneNumberId, { contacts, messages: list.map(messageObject) })],
  };
}

/** A webhook POST carrying delivery statuses. */
export function buildStatusPayload(phoneNumberId: string, statuses: StatusInput[]): WebhookBody {
  const reports = statuses.map((status) => ({
    id: status.wamid,
    status: status.status,
    timestamp: String(status.timestamp ?? nowSeconds()),
    recipient_id: status.recipientId,
    ...(status.status === 'failed' ? { errors: [{ code: status.errorCode ?? 131000, title: 'Sandbox failure' }] } : {}),
  }));
  return { object: 'whatsapp_business_account', entry: [entry(phoneNumberId, { statuses: reports })] };
}

/** One POST with the entries of several payloads: how Meta batches. */
export function batchPayloads(...payloads: WebhookBody[]): WebhookBody {
  return { object: 'whatsapp_business_account', entry: payloads.flatMap((payload) => payload.entry) };
}

/** The body bytes Meta would send: JSON with every non-ASCII character escaped. */
export function serializeWebhook(payload: WebhookBody): string {
  return JSON.stringify(payload).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The serialised body and its X-Hub-Signature-256 under `appSecret`. */
export function signWebhook(payload: WebhookBody, appSecret: string): { body: string; signature: string } {
  const body = serializeWebhook(payload);
  return { body, signature: webhookSignature(body, appSecret) };
}
