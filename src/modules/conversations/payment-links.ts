/**
 * The seam between the booking conversation and payments: when a prepayment clinic's booking is
 * held, the bot asks for a payment link. The payments module registers the provider at boot;
 * without one the bot is told honestly that no link could be made (it then hands the chat to the
 * front desk, and the hold keeps the slot until it lapses).
 */
import type { ConversationEvent } from '../../../flows/booking.types.js';

/** Who is paying: enough to find the appointment and reply on the right chat. */
export interface PaymentLinkRequest {
  clinicId: string;
  conversationId: string;
  waId: string;
}

type Provider = (request: PaymentLinkRequest, appointmentId: string) => Promise<{ url: string }>;

let provider: Provider | undefined;

/** Installs the function that creates a payment link for a held appointment. */
export function setPaymentLinkProvider(next: Provider | undefined): void {
  provider = next;
}

/** Asks the provider for a link: PAYMENT_LINK_READY with its URL, or PAYMENT_LINK_FAILED. */
export async function requestPaymentLink(
  request: PaymentLinkRequest,
  appointmentId: string,
): Promise<ConversationEvent> {
  if (!provider) return { type: 'PAYMENT_LINK_FAILED', appointmentId };
  try {
    const { url } = await provider(request, appointmentId);
    return { type: 'PAYMENT_LINK_READY', appointmentId, url };
  } catch {
    return { type: 'PAYMENT_LINK_FAILED', appointmentId };
  }
}
