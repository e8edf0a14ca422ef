/**
 * A number's recent WhatsApp messages in both directions, decrypted, oldest first — what a person
 * at the front desk reads before answering a chat the bot handed over. Callers check the role
 * (it is PHI) and audit the read; nothing here is logged.
 */
import { Inbox } from './inbox.model.js';
import type { InboxRecord } from './inbox.model.js';
import { OutboundMessageModel } from './outbound.model.js';
import type { OutboundRecord } from './outbound.model.js';
import { waHashOf } from './wa-contact.model.js';
import type { OutboundMessage } from './whatsapp-messages.js';

/** One message of a chat as the desk reads it. */
export interface ChatMessage {
  direction: 'in' | 'out';
  at: Date;
  kind: string;
  text: string;
  /** Outbound only: queued, sent, delivered, read, failed. */
  status?: string;
}

/** The words a patient sees in an outbound message (buttons and rows in brackets). */
function outboundText(message: OutboundMessage): string {
  switch (message.kind) {
    case 'buttons':
      return `${message.body}\n${message.buttons.map((button) => `[${button.title}]`).join(' ')}`;
    case 'list':
      return `${message.body}\n${message.sections.flatMap((section) => section.rows.map((row) => `[${row.title}]`)).join(' ')}`;
    case 'cta_url':
      return `${message.body}\n[${message.buttonText}]`;
    case 'template':
      return `(template ${message.name}) ${message.bodyParameters.join(' · ')}`;
    case 'document':
      return `(document) ${message.caption ?? message.filename ?? ''}`.trim();
    default:
      return message.body;
  }
}

function inboundText(record: InboxRecord): string {
  const content = record.content ?? {};
  if (record.kind === 'text') return content.text ?? '';
  if (record.kind === 'unsupported') return '(unsupported message)';
  return `[${content.replyTitle ?? content.replyId ?? ''}]`;
}

/** The last `limit` messages to and from `waId` (digits of the E.164 number), oldest first. */
export async function recentChatMessages(clinicId: string, waId: string, limit = 30): Promise<ChatMessage[]> {
  const hash = waHashOf(waId);
  const [inbound, outbound] = await Promise.all([
    Inbox.find({ clinicId, waHash: hash }).sort({ timestamp: -1 }).limit(limit).lean<InboxRecord[]>(),
    OutboundMessageModel.find({ clinicId, toHash: hash }).sort({ queuedAt: -1 }).limit(limit).lean<OutboundRecord[]>(),
  ]);
  const messages: ChatMessage[] = [
    ...inbound.map((record) => ({
      direction: 'in' as const,
      at: record.timestamp,
      kind: record.kind,
      text: inboundText(record),
    })),
    ...outbound.map((record) => ({
      direction: 'out' as const,
      at: record.queuedAt,
      kind: (record.sentMessage ?? record.message).kind,
      text: outboundText(record.sentMessage ?? record.message),
      status: record.status,
    })),
  ];
  return messages.sort((a, b) => a.at.getTime() - b.at.getTime()).slice(-limit);
}
