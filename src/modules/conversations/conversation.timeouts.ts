/**
 * Conversation inactivity timeouts as BullMQ delayed jobs (xstate `after` timers would not survive
 * a restart). The job carries ids and the turn only; when it fires, TIMEOUT { turn } is fed to the
 * conversation, and the machine ignores it if the patient has written since (a later turn).
 */
import type { Job, Queue } from 'bullmq';
import type { Runtime } from '../../platform/runtime.js';
import type { ConversationParty } from './conversation.effects.js';
import { loadConversation } from './conversation.store.js';

/** Queue name for conversation timeouts. */
export const CONVERSATION_TIMEOUTS_QUEUE = 'conversation-timeouts';

interface TimeoutJob {
  clinicId: string;
  conversationId: string;
  turn: number;
}

let queue: Queue<TimeoutJob> | undefined;

/** Schedules TIMEOUT { turn } for the conversation after `delayMs` (one job per turn). */
export async function scheduleConversationTimeout(
  party: ConversationParty,
  turn: number,
  delayMs: number,
): Promise<void> {
  if (!queue) throw new Error('conversation timeouts queue is not defined');
  await queue.add(
    'timeout',
    { clinicId: party.clinicId, conversationId: party.conversationId, turn },
    { jobId: `booking-timeout-${party.conversationId}-${turn}`, delay: delayMs },
  );
}

/** Defines the queue; `dispatch` feeds the event (injected to keep this file free of the runner). */
export function defineConversationTimeouts(
  runtime: Runtime,
  dispatch: (clinicId: string, phone: string, event: { type: 'TIMEOUT'; turn: number }) => Promise<void>,
): void {
  queue = runtime.queues.define<TimeoutJob>({
    name: CONVERSATION_TIMEOUTS_QUEUE,
    concurrency: 4,
    process: async (job: Job<TimeoutJob>) => {
      const conversation = await loadConversation(job.data.clinicId, job.data.conversationId);
      await dispatch(job.data.clinicId, conversation.phone, { type: 'TIMEOUT', turn: job.data.turn });
    },
  });
}
