/**
 * The `messaging-sweep` queue: the safety net for work whose job was lost (a crash between
 * storing and queueing, a Redis failover). Every SWEEP_EVERY_MS, and once when a process boots,
 * it re-kicks senders with inbox items pending for more than STALE_INBOUND_MS and re-queues
 * outbound messages still queued after STALE_OUTBOUND_MS. Both are idempotent: a drain that finds
 * nothing or a busy lease does nothing, and a job id already in the queue adds nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { log } from '../../platform/logger.js';
import type { QueueRegistry } from '../../platform/queues/registry.js';
import type { Runtime } from '../../platform/runtime.js';
import { kickSender } from './inbox.queue.js';
import { sendersWithStalePending } from './inbox.service.js';
import { messagingClinicIds } from './messaging-clinic.js';
import { enqueueOutbound } from './outbound.queue.js';
import { staleQueuedOutbound } from './outbound.service.js';

/** Name of the queue (and of its job scheduler). */
export const SWEEP_QUEUE = 'messaging-sweep';
/** How often the sweep runs. */
export const SWEEP_EVERY_MS = 10_000;
/** An inbox item pending longer than this has lost its kick (a fresh one runs after 250 ms). */
export const STALE_INBOUND_MS = 5_000;
/** An outbound message queued longer than this may have lost its job (backoffs keep theirs). */
export const STALE_OUTBOUND_MS = 60_000;

/** What one sweep re-kicked. */
export interface SweepTotals {
  senders: number;
  outbound: number;
}

/** Re-kicks stale inbound senders and re-queues stale outbound messages in every messaging clinic. */
export async function sweepMessaging(queues: QueueRegistry, now = new Date()): Promise<SweepTotals> {
  const totals: SweepTotals = { senders: 0, outbound: 0 };
  const round = Math.floor(now.getTime() / SWEEP_EVERY_MS);
  for (const clinicId of await messagingClinicIds()) {
    for (const waContactId of await sendersWithStalePending(clinicId, new Date(now.getTime() - STALE_INBOUND_MS))) {
      await kickSender(queues, { clinicId, waContactId }, `inbound-sweep-${waContactId}-${round}`);
      totals.senders += 1;
    }
    for (const outboundId of await staleQueuedOutbound(clinicId, new Date(now.getTime() - STALE_OUTBOUND_MS))) {
      await enqueueOutbound({ clinicId, outboundId });
      totals.outbound += 1;
    }
  }
  if (totals.senders + totals.outbound > 0) log().info({ ...totals }, 'messaging sweep re-kicked work');
  return totals;
}

/** Defines the queue; its processor sweeps. */
export function defineSweepQueue(runtime: Runtime): void {
  runtime.queues.define<Record<string, never>>({
    name: SWEEP_QUEUE,
    process: (_job: Job) => sweepMessaging(runtime.queues),
    defaultJobOptions: { removeOnComplete: true, removeOnFail: 100 },
  });
}

/** Installs the periodic sweep (an upsert: every worker may call it) and queues one sweep now. */
export async function scheduleMessagingSweep(runtime: Runtime): Promise<void> {
  const queue = runtime.queues.queue<Record<string, never>>(SWEEP_QUEUE);
  await queue.upsertJobScheduler(SWEEP_QUEUE, { every: SWEEP_EVERY_MS }, { name: 'sweep', data: {} });
  await queue.add('sweep', {}, { jobId: `sweep-boot-${randomUUID()}` });
}
