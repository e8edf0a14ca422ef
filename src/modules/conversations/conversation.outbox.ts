/** Replies from the booking conversation go out through the WhatsApp outbound queue, in order. */
import { sendWhatsApp } from '../messaging/outbound.service.js';
import type { OutboundMessage } from '../messaging/whatsapp-messages.js';
import type { ConversationParty } from './conversation.effects.js';

/** Queues one reply to the patient (the outbound worker keeps per-recipient order and pacing). */
export async function deliverReply(party: ConversationParty, message: OutboundMessage): Promise<void> {
  await sendWhatsApp({ clinicId: party.clinicId, to: party.waId, message, purpose: 'conversation' });
}
