/**
 * The outbound queue, one per business number (`whatsapp-outbound-<phone number id>`), so its
 * BullMQ limiter — shared by every worker in every process — is the per-number rate limit.
 * Job id `outbound-<OutboundMessage id>`, data ids only. Retries back off exponentially with
 * jitter; the processor (outbound.processor.ts) decides which errors are worth retrying.
 */
import type { Job, Queue, WorkerOptions } from 'bullmq';
import type { Config } from '../../config.js';
import { AppError } from '../../platform/errors.js';
import type { Runtime } from '../../platform/runtime.js';

/** Job data: the record to send. */
export interface OutboundJob {
  clinicId: string;
  outboundId: string;
}

/** Attempts per message (about two minutes of backoff in all) before it is marked failed. */
export const OUTBOUND_ATTEMPTS = 8;

const jobOptions = {
  attempts: OUTBOUND_ATTEMPTS,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  // Ids are freed at once, so the sweeper can always re-queue a record still queued; the record,
  // not the job, holds the outcome.
  removeOnComplete: true,
  removeOnFail: true,
};

let bound: Queue<OutboundJob> | undefined;

/** The queue's name for a business number. */
export function outboundQueueName(phoneNumberId: string): string {
  return `whatsapp-outbound-${phoneNumberId}`;
}

/** Worker options: the configured messages per second for the number, across all workers. */
export function outboundWorkerOptions(config: Pick<Config, 'whatsapp'>): {
  concurrency: number;
  limiter: NonNullable<WorkerOptions['limiter']>;
} {
  return { concurrency: 16, limiter: { max: config.whatsapp.ratePerSecond, duration: 1000 } };
}

/**
 * Defines the queue with `process` and binds it as this process's outbound queue, so
 * `sendWhatsApp` can be called from anywhere (the conversation, reminders) without a runtime.
 */
export function defineOutboundQueue(runtime: Runtime, process: (job: Job<OutboundJob>) => Promise<string>): void {
  bound = runtime.queues.define<OutboundJob>({
    name: outboundQueueName(runtime.config.whatsapp.phoneNumberId),
    process,
    ...outboundWorkerOptions(runtime.config),
    defaultJobOptions: jobOptions,
  });
}

/** Queues the send of one record (a repeated call for the same record adds nothing). */
export async function enqueueOutbound(data: OutboundJob): Promise<void> {
  if (!bound)
    throw new AppError('messaging_not_registered', 500, 'The messaging module is not registered in this process');
  await bound.add('send', data, { jobId: `outbound-${data.outboundId}` });
}
