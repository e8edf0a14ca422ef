/**
 * The `slots-daily` queue: every active doctor's slots for the next `bookingHorizonDays`, made
 * daily (just after midnight India time, so the horizon's new last day opens) and once at boot
 * per day (so a process that was down catches up). Job data holds ids only and the processor
 * re-reads everything; regeneration is idempotent, so repeats and overlaps are harmless.
 */
import type { Job } from 'bullmq';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { DEFAULT_CLINIC_TIMEZONE, localDateOf } from '../scheduling/slot-generation.js';
import { refreshAllSlots, refreshClinicSlots } from './doctor-slots.service.js';
import type { SlotRefreshTotals } from './doctor-slots.service.js';

/** Name of the queue (and of its job scheduler). */
export const SLOT_REFRESH_QUEUE = 'slots-daily';

/** Cron pattern of the daily run, in DEFAULT_CLINIC_TIMEZONE: 00:05 every day. */
export const SLOT_REFRESH_CRON = '5 0 * * *';

/** Job data: one clinic, or every clinic when absent. */
export interface SlotRefreshJob {
  clinicId?: string;
}

const jobOptions = { attempts: 3, backoff: { type: 'exponential', delay: 30_000 } };

/** The processor: refreshes one clinic's or every clinic's slots and reports the totals. */
export async function processSlotRefresh(job: Pick<Job<SlotRefreshJob>, 'data'>): Promise<SlotRefreshTotals> {
  const totals = job.data.clinicId ? await refreshClinicSlots(job.data.clinicId) : await refreshAllSlots();
  log().info({ ...totals, clinicId: job.data.clinicId }, 'slots refreshed');
  return totals;
}

/** Defines the queue and its processor on the registry (every process; workers run it). */
export function defineSlotRefreshQueue(runtime: Runtime): void {
  runtime.queues.define<SlotRefreshJob>({
    name: SLOT_REFRESH_QUEUE,
    process: processSlotRefresh,
    defaultJobOptions: jobOptions,
  });
}

/**
 * Installs the daily schedule (an upsert, so every worker may call it at boot) and queues the
 * boot run, whose id names the day so restarts on the same day add nothing.
 */
export async function scheduleSlotRefresh(runtime: Runtime, now = new Date()): Promise<void> {
  const queue = runtime.queues.queue<SlotRefreshJob>(SLOT_REFRESH_QUEUE);
  await queue.upsertJobScheduler(
    SLOT_REFRESH_QUEUE,
    { pattern: SLOT_REFRESH_CRON, tz: DEFAULT_CLINIC_TIMEZONE },
    { name: 'refresh', data: {}, opts: jobOptions },
  );
  await queue.add('refresh', {}, { jobId: `slots-boot-${localDateOf(now, DEFAULT_CLINIC_TIMEZONE)}` });
}
