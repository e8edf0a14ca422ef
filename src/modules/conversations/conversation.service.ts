/**
 * What the front desk does with WhatsApp conversations: see the chats waiting for a person, take
 * one over (the bot stays silent) and release it back to the bot. Audited.
 */
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { assertCan } from '../../platform/rbac/can.js';
import { recentChatMessages } from '../messaging/index.js';
import type { ChatMessage } from '../messaging/index.js';
import { dispatchConversationEvent } from './conversation.runner.js';
import { handedOffConversations, loadConversation } from './conversation.store.js';
import type { ConversationRecord } from './conversation.model.js';

/** A conversation as the front desk sees it: the number masked, the state, the hand-off. */
export interface ConversationView {
  id: string;
  phoneMasked: string;
  state?: string;
  handedOff: boolean;
  handedOffAt?: Date;
  handoffReason?: string;
  lastEventAt?: Date;
}

function toView(doc: ConversationRecord): ConversationView {
  return {
    id: String(doc._id),
    // Enough for staff to recognise a caller, not enough to copy the number out of a screen.
    phoneMasked: `${doc.phone.slice(0, 3)}••••••${doc.phone.slice(-4)}`,
    ...(doc.state ? { state: doc.state } : {}),
    handedOff: doc.handedOff,
    ...(doc.handedOffAt ? { handedOffAt: doc.handedOffAt } : {}),
    ...(doc.handoffReason ? { handoffReason: doc.handoffReason } : {}),
    ...(doc.lastEventAt ? { lastEventAt: doc.lastEventAt } : {}),
  };
}

/** Chats waiting for the front desk, oldest first. */
export async function listHandedOff(actor: Actor): Promise<ConversationView[]> {
  assertCan(actor, 'read', 'conversations');
  return (await handedOffConversations(actor.clinicId)).map(toView);
}

async function sendStaffEvent(
  actor: Actor,
  conversationId: string,
  type: 'RELEASE' | 'TAKE_OVER',
): Promise<ConversationView> {
  assertCan(actor, 'update', 'conversations');
  const conversation = await loadConversation(actor.clinicId, conversationId);
  await dispatchConversationEvent(actor.clinicId, conversation.phone, { type });
  const after = await loadConversation(actor.clinicId, conversationId);
  await audit.record({
    actor,
    action: type === 'RELEASE' ? 'conversation.released' : 'conversation.taken_over',
    entity: { type: 'conversation', id: conversationId },
    diff: [{ field: 'handedOff', from: conversation.handedOff, to: after.handedOff }],
  });
  return toView(after);
}

/** Hands the chat back to the bot (it greets the patient again). */
export function releaseConversation(actor: Actor, conversationId: string): Promise<ConversationView> {
  return sendStaffEvent(actor, conversationId, 'RELEASE');
}

/** A person takes the chat over: the bot stays silent until it is released. */
export function takeOverConversation(actor: Actor, conversationId: string): Promise<ConversationView> {
  return sendStaffEvent(actor, conversationId, 'TAKE_OVER');
}

/**
 * The chat's recent messages in both directions, decrypted, so a person can answer what the
 * patient asked (front desk and admin). The read of PHI is audited (ids and a count only).
 */
export async function conversationMessages(
  actor: Actor,
  conversationId: string,
  limit = 30,
): Promise<{ conversation: ConversationView; messages: ChatMessage[] }> {
  assertCan(actor, 'read', 'conversations');
  const conversation = await loadConversation(actor.clinicId, conversationId);
  const messages = await recentChatMessages(actor.clinicId, conversation.phone.replace(/^\+/, ''), limit);
  await audit.record({
    actor,
    action: 'conversation.messages_read',
    entity: { type: 'conversation', id: conversationId },
    diff: [{ field: 'messages', to: messages.length }],
  });
  return { conversation: toView(conversation), messages };
}
