/**
 * The conversations module: the WhatsApp booking bot. It plugs into the messaging transport as
 * the inbound handler, keeps timeouts as delayed jobs, hears about payments and lapsed holds, and
 * gives the front desk its hand-off list.
 */
import { setInboundHandler } from '../messaging/inbox.processor.js';
import type { DomainModule } from '../index.js';
import './conversation.model.js';
import { handleInboundMessage } from './conversation.inbound.js';
import { conversationRoutes } from './conversation.routes.js';
import { dispatchConversationEvent } from './conversation.runner.js';
import { registerConversationSubscribers } from './conversation.subscribers.js';
import { defineConversationTimeouts } from './conversation.timeouts.js';

// The staff panel (admin/) runs the hand-off inbox through these.
export { Conversation } from './conversation.model.js';
export { listHandedOff, releaseConversation, takeOverConversation } from './conversation.service.js';
export type { ConversationView } from './conversation.service.js';

/** Registers the bot as the inbound handler, its timeout queue and subscribers; mounts staff routes. */
export const conversationsModule: DomainModule = {
  name: 'conversations',
  register(runtime) {
    setInboundHandler(handleInboundMessage);
    defineConversationTimeouts(runtime, dispatchConversationEvent);
    registerConversationSubscribers(dispatchConversationEvent);
  },
  mount(app, runtime) {
    app.use('/api/v1/conversations', conversationRoutes(runtime));
  },
};
