/**
 * Runs the WhatsApp booking conversation: computes the next step with the pure machine, persists it
 * with a version check (re-stepping from the fresh snapshot if another event won the race), then
 * performs the step's effects in order — replies go to the outbound queue, service effects call
 * the domain, and their results are fed back as the next events. Inbound messages arrive here one
 * at a time per number (the inbox's per-sender lease); timeouts and payment events arrive from
 * workers and are serialised against them by the version check.
 */
import { stepConversation } from '../../../flows/booking.conversation.js';
import type { StepResult } from '../../../flows/booking.conversation.js';
import type { BookingEffect, ConversationEvent } from '../../../flows/booking.types.js';
import { log } from '../../platform/logger.js';
import { getClinic } from '../clinics/clinic.service.js';
import { performServiceEffect } from './conversation.effects.js';
import type { ConversationParty } from './conversation.effects.js';
import type { ConversationRecord } from './conversation.model.js';
import { ensureConversation, reloadConversation, saveStep } from './conversation.store.js';
import { deliverReply } from './conversation.outbox.js';
import { scheduleConversationTimeout } from './conversation.timeouts.js';

/** Bounds one dispatch: a step's results feeding further steps must end well before this. */
const MAX_STEPS_PER_DISPATCH = 25;
const MAX_WRITE_ATTEMPTS = 5;

async function stepEnv(clinicId: string, now: Date) {
  const clinic = await getClinic(clinicId);
  return {
    now,
    clinic: { name: clinic.name, timezone: clinic.timezone, ...(clinic.phone ? { phone: clinic.phone } : {}) },
  };
}

/** Steps the machine and persists the result, re-stepping on a lost race. */
async function stepAndSave(
  conversation: ConversationRecord,
  event: ConversationEvent,
  now: Date,
): Promise<{ conversation: ConversationRecord; step: StepResult }> {
  const env = await stepEnv(String(conversation.clinicId), now);
  let current = conversation;
  for (let attempt = 1; ; attempt++) {
    const step = stepConversation(current.snapshot ?? null, event, env);
    const declined = step.effects.find((effect) => effect.type === 'recordConsent');
    const handoff = step.effects.find((effect) => effect.type === 'handoff');
    const saved = await saveStep(current, {
      snapshot: step.snapshot,
      machineVersion: step.version,
      state: step.state,
      handedOff: step.handedOff,
      ...(handoff?.type === 'handoff' ? { handoffReason: handoff.reason } : {}),
      ...(declined?.type === 'recordConsent'
        ? {
            consentDecline: {
              noticeVersion: declined.consent.noticeVersion,
              language: declined.consent.language,
              at: now,
            },
          }
        : {}),
      at: now,
    });
    if (saved) {
      if (step.note)
        log().warn(
          { conversationId: String(current._id), note: step.note, state: step.state },
          'conversation step note',
        );
      return { conversation: saved, step };
    }
    if (attempt >= MAX_WRITE_ATTEMPTS) throw new Error('conversation write kept losing races');
    current = await reloadConversation(current);
  }
}

async function perform(party: ConversationParty, effect: BookingEffect, now: Date): Promise<ConversationEvent | null> {
  switch (effect.type) {
    case 'reply':
      await deliverReply(party, effect.message);
      return null;
    case 'scheduleTimeout':
      await scheduleConversationTimeout(party, effect.turn, effect.delayMs);
      return null;
    case 'recordConsent':
    case 'handoff':
      // Persisted with the step itself (consent decline, hand-off flag).
      return null;
    default:
      return performServiceEffect(party, effect, now);
  }
}

/**
 * Feeds `event` into the conversation for `phone` (E.164) and runs everything it leads to.
 * Effects happen only after their step is saved, so a retried dispatch never repeats a reply
 * for a step that was not persisted.
 */
export async function dispatchConversationEvent(
  clinicId: string,
  phone: string,
  event: ConversationEvent,
  now = new Date(),
): Promise<void> {
  let conversation = await ensureConversation(clinicId, phone);
  const party: ConversationParty = {
    clinicId,
    conversationId: String(conversation._id),
    waId: phone.replace(/^\+/, ''),
  };
  const pending: ConversationEvent[] = [event];
  for (let steps = 0; pending.length > 0; steps++) {
    if (steps >= MAX_STEPS_PER_DISPATCH) {
      log().error({ conversationId: party.conversationId }, 'conversation dispatch stopped: too many chained steps');
      return;
    }
    const next = pending.shift()!;
    const result = await stepAndSave(conversation, next, now);
    conversation = result.conversation;
    for (const effect of result.step.effects) {
      const answer = await perform(party, effect, new Date());
      if (answer) pending.push(answer);
    }
    log().debug(
      { conversationId: party.conversationId, event: next.type, state: result.step.state },
      'conversation step',
    );
  }
}
