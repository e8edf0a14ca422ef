/** Replies from the booking conversation go out through the WhatsApp outbound queue, in order. */
import { sendWhatsApp } from '../messaging/outbound.service.js';
import type { OutboundPurpose } from '../messaging/outbound.model.js';
import type { OutboundMessage } from '../messaging/whatsapp-messages.js';
import type { ConversationParty } from './conversation.effects.js';

// The bot's only link button is the payment link: as `payment_link` it falls back, outside the
// 24-hour window, to that approved template with the URL as its parameter instead of failing.
function purposeOf(message: OutboundMessage): OutboundPurpose {
  return message.kind === 'cta_url' ? 'payment_link' : 'conversation';
}

/** Queues one reply to the patient (the outbound worker keeps per-recipient order and pacing). */
export async function deliverReply(party: ConversationParty, message: OutboundMessage): Promise<void> {
  await sendWhatsApp({ clinicId: party.clinicId, to: party.waId, message, purpose: purposeOf(message) });
}
