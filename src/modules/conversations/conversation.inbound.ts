/**
 * The inbox's handler: each WhatsApp message a patient sent, one at a time per number and in the
 * order they were sent, becomes the booking machine's TEXT, TAP or UNSUPPORTED_MESSAGE event.
 */
import type { ConversationEvent } from '../../../flows/booking.types.js';
import { handleReminderReply } from '../automation/index.js';
import type { InboundMessage } from '../messaging/inbound-message.js';
import { dispatchConversationEvent } from './conversation.runner.js';

/** Maps an inbound WhatsApp message to the conversation event it stands for. */
export function eventOf(message: InboundMessage): ConversationEvent {
  switch (message.kind) {
    case 'text':
      return { type: 'TEXT', text: message.text ?? '' };
    case 'button':
    case 'list':
      return { type: 'TAP', id: message.replyId ?? '', ...(message.replyTitle ? { title: message.replyTitle } : {}) };
    default:
      return { type: 'UNSUPPORTED_MESSAGE', kind: message.kind };
  }
}

/** Handles one inbound message: the event is stepped at the time the patient sent it. */
export async function handleInboundMessage(message: InboundMessage): Promise<void> {
  // A reminder's Confirm is answered from any step without moving the chat (automation module).
  if (await handleReminderReply(message)) return;
  await dispatchConversationEvent(message.clinicId, `+${message.waId}`, eventOf(message));
}
