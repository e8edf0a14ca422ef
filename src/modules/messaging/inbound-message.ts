/**
 * What the conversation receives for each message a patient sent: a flat, decrypted view of an
 * inbox item. Pure mapping both ways (webhook payload → stored kind and content; stored item →
 * InboundMessage), so the rules for which WhatsApp types the bot understands sit in one place.
 */
import type { InboundContent, InboundKind, InboxRecord } from './inbox.model.js';
import type { InboundMessagePayload } from './whatsapp-webhook.schemas.js';

/** The longest text the conversation reads (WhatsApp's own limit); longer ones are `too_long`. */
export const MAX_INBOUND_TEXT = 4096;

/** One message from a patient, handed to the inbound handler (contains PHI: never log it). */
export interface InboundMessage {
  inboxId: string;
  clinicId: string;
  wamid: string;
  /** The sender's WhatsApp id (country code and number, no `+`), decrypted. */
  waId: string;
  profileName?: string;
  /** When the patient sent it. */
  timestamp: Date;
  kind: InboundKind;
  /** The text typed (kind `text`). */
  text?: string;
  /** The id of the tapped reply button, list row or template quick reply (kinds `button`, `list`). */
  replyId?: string;
  /** The title the patient saw on what they tapped. */
  replyTitle?: string;
}

/**
 * The kind and content of a webhook message. Text, reply buttons, list rows and template quick
 * replies are understood; anything else (media, location, reactions, …) is `unsupported` and
 * kept without content, so the conversation can say it only reads text and taps. A text over
 * MAX_INBOUND_TEXT is `too_long`, also without content, so the patient is asked for a shorter one.
 */
export function classifyInbound(message: InboundMessagePayload): { kind: InboundKind; content?: InboundContent } {
  // Longer than WhatsApp lets anyone type or the bot reads: kept without content, answered "shorter please".
  if (message.type === 'text' && message.text && message.text.body.length > MAX_INBOUND_TEXT)
    return { kind: 'too_long' };
  if (message.type === 'text' && message.text) return { kind: 'text', content: { text: message.text.body } };
  const reply = message.type === 'interactive' ? message.interactive : undefined;
  if (reply?.type === 'button_reply' && reply.button_reply) {
    return { kind: 'button', content: { replyId: reply.button_reply.id, replyTitle: reply.button_reply.title } };
  }
  if (reply?.type === 'list_reply' && reply.list_reply) {
    return { kind: 'list', content: { replyId: reply.list_reply.id, replyTitle: reply.list_reply.title } };
  }
  if (message.type === 'button' && message.button) {
    const { payload, text } = message.button;
    return {
      kind: 'button',
      content: {
        ...(payload !== undefined ? { replyId: payload } : {}),
        ...(text !== undefined ? { replyTitle: text } : {}),
      },
    };
  }
  return { kind: 'unsupported' };
}

/** The handler's view of a stored inbox item. */
export function toInboundMessage(item: InboxRecord): InboundMessage {
  const content = item.content ?? {};
  return {
    inboxId: String(item._id),
    clinicId: String(item.clinicId),
    wamid: item.wamid,
    waId: item.waId,
    ...(item.profileName ? { profileName: item.profileName } : {}),
    timestamp: item.timestamp,
    kind: item.kind,
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(content.replyId !== undefined ? { replyId: content.replyId } : {}),
    ...(content.replyTitle !== undefined ? { replyTitle: content.replyTitle } : {}),
  };
}
