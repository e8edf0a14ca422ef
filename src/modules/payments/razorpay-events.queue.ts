/**
 * The `razorpay-events` queue: one job per stored webhook event (`razorpay-event-<eventId>`),
 * which handles it and records the outcome. The handlers are idempotent, so a retry after a
 * crash, or the job of a repeated delivery, changes nothing that was already done. After the
 * last attempt the event is marked `failed` for the on-call engineer (it can be replayed).
 */
import type { Job } from 'bullmq';
import { log } from '../../platform/logger.js';
import type { QueueRegistry } from '../../platform/queues/registry.js';
import type { Runtime } from '../../platform/runtime.js';
import { handleRazorpayEvent } from './razorpay-event.handlers.js';
import { RazorpayEvent } from './razorpay-event.model.js';
import type { RazorpayEventRecord } from './razorpay-event.model.js';

/** Name of the queue. */
export const RAZORPAY_EVENTS_QUEUE = 'razorpay-events';

interface EventJob {
  eventId: string;
}

const ATTEMPTS = 8;

/** Handles one stored event once; returns its outcome. */
export async function processRazorpayEvent(eventId: string, finalAttempt = false): Promise<string> {
  const record = await RazorpayEvent.findOneAndUpdate(
    { eventId, status: 'received' },
    { $inc: { attempts: 1 } },
    { new: true },
  ).lean<RazorpayEventRecord>();
  if (!record) return 'already_handled';
  try {
    const outcome = await handleRazorpayEvent(record);
    const status = outcome.startsWith('ignored') ? 'ignored' : 'processed';
    await RazorpayEvent.updateOne(
      { _id: record._id, status: 'received' },
      { $set: { status, outcome, processedAt: new Date() } },
    );
    return outcome;
  } catch (error) {
    if (finalAttempt) {
      await RazorpayEvent.updateOne(
        { _id: record._id, status: 'received' },
        { $set: { status: 'failed', outcome: error instanceof Error ? error.name : 'error' } },
      );
      log().error({ err: error, eventId, event: record.event }, 'razorpay event failed for good');
    }
    throw error;
  }
}

/** Defines the queue and its processor. */
export function defineRazorpayEventsQueue(runtime: Runtime): void {
  runtime.queues.define<EventJob>({
    name: RAZORPAY_EVENTS_QUEUE,
    process: (job: Job<EventJob>) => processRazorpayEvent(job.data.eventId, job.attemptsMade + 1 >= ATTEMPTS),
    concurrency: 4,
    defaultJobOptions: {
      attempts: ATTEMPTS,
      backoff: { type: 'exponential', delay: 1000, jitter: 0.3 },
      removeOnComplete: 1000,
      removeOnFail: 1000,
    },
  });
}

/** Queues the handling of a stored event (a no-op while the same job is still queued); `round` names a replay. */
export async function queueRazorpayEvent(queues: QueueRegistry, eventId: string, round?: string): Promise<void> {
  await queues
    .queue<EventJob>(RAZORPAY_EVENTS_QUEUE)
    .add('handle', { eventId }, { jobId: `razorpay-event-${eventId}${round ? `-${round}` : ''}` });
}
