/**
 * The `whatsapp-inbound` queue: one job per stored message ("kick"), whose work is to drain the
 * sender's pending messages under their lease (inbox.processor.ts). Several kicks for one sender
 * are harmless: the first drains everything, the rest find nothing or find the lease taken.
 * Job data holds ids only; ids are deterministic (`inbound-<inboxId>`, `inbound-retry-<inboxId>-<attempt>`,
 * `inbound-sweep-<waContactId>-<round>`).
 */
import type { Job } from 'bullmq';
import { log } from '../../platform/logger.js';
import type { QueueRegistry } from '../../platform/queues/registry.js';
import type { Runtime } from '../../platform/runtime.js';
import { drainSender } from './inbox.processor.js';
import type { DrainResult } from './inbox.processor.js';

/** Name of the queue. */
export const INBOUND_QUEUE = 'whatsapp-inbound';

/**
 * Delay before a webhook's kick runs. Meta may deliver a burst out of order in separate POSTs a
 * few milliseconds apart; waiting this long lets the earlier message be stored before the later
 * one is handled, so the timestamp order holds. Short enough not to be felt in a chat.
 */
export const INBOUND_SETTLE_MS = 250;

/** Job data: the sender to drain. */
export interface InboundJob {
  clinicId: string;
  waContactId: string;
}

// Job retries cover infrastructure errors (MongoDB or Redis away); handler failures are retried
// per message (inbox.processor.ts) and do not fail the job.
const jobOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  // Completed kicks are dropped at once: their ids are never reused and nothing reads them.
  removeOnComplete: true,
  removeOnFail: 1000,
};

/** Defines the queue and its processor. */
export function defineInboundQueue(runtime: Runtime): void {
  const process = async (job: Pick<Job<InboundJob>, 'data'>): Promise<DrainResult> => {
    const { clinicId, waContactId } = job.data;
    const result = await drainSender(clinicId, waContactId, (sender, inboxId, attempt, at) =>
      kickSender(
        runtime.queues,
        { clinicId, waContactId: sender },
        `inbound-retry-${inboxId}-${attempt}`,
        Math.max(0, at.getTime() - Date.now()),
      ),
    );
    // Messages stay pending (and the sweeper keeps offering them) until a handler is installed.
    if (result === 'no_handler') log().warn({ waContactId }, 'no inbound handler installed; messages stay pending');
    return result;
  };
  runtime.queues.define<InboundJob>({ name: INBOUND_QUEUE, process, concurrency: 8, defaultJobOptions: jobOptions });
}

/** Queues a drain of the sender; `jobId` makes a repeated kick for the same reason a no-op. */
export async function kickSender(queues: QueueRegistry, data: InboundJob, jobId: string, delayMs = 0): Promise<void> {
  await queues
    .queue<InboundJob>(INBOUND_QUEUE)
    .add('drain', data, { jobId, ...(delayMs > 0 ? { delay: delayMs } : {}) });
}

/** Queues the drains of a webhook batch in one Redis round trip (BullMQ addBulk: one MULTI). */
export async function kickSenders(
  queues: QueueRegistry,
  kicks: { data: InboundJob; jobId: string }[],
  delayMs = 0,
): Promise<void> {
  if (kicks.length === 0) return;
  await queues.queue<InboundJob>(INBOUND_QUEUE).addBulk(
    kicks.map(({ data, jobId }) => ({
      name: 'drain',
      data,
      opts: { jobId, ...(delayMs > 0 ? { delay: delayMs } : {}) },
    })),
  );
}
