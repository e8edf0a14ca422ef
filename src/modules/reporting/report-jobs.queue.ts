/**
 * The `reports` queue: per clinic, the nightly KPI run at 00:15 clinic time (yesterday's figures)
 * and the owner's evening summary at the clinic's chosen time. Both are BullMQ job schedulers in
 * the clinic's timezone, upserted at worker boot (so a new clinic or a changed time takes effect
 * on the next boot or settings change); a boot also queues yesterday's run once per day, so a
 * process that was down at 00:15 catches up. Job data holds ids only.
 */
import type { Job } from 'bullmq';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { clinicIds, getClinic } from '../clinics/index.js';
import { addLocalDays, localDateOf } from '../scheduling/index.js';
import { sendEveningSummary } from './evening-summary.js';
import { rebuildDays } from './kpi.service.js';
import { eveningSummarySettings } from './report-settings.service.js';

/** Name of the queue. */
export const REPORTS_QUEUE = 'reports';

/** The nightly run: 00:15 every day in the clinic's timezone. */
export const NIGHTLY_KPI_CRON = '15 0 * * *';

/** Job data: the clinic, and for a KPI run the day (yesterday when absent). */
export interface ReportJob {
  clinicId: string;
  date?: string;
}

const jobOptions = { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } };

async function processReportJob(job: Job<ReportJob>): Promise<unknown> {
  const { clinicId } = job.data;
  if (job.name === 'evening-summary') return { outcome: await sendEveningSummary(clinicId) };
  const { timezone } = await getClinic(clinicId);
  const date = job.data.date ?? addLocalDays(localDateOf(new Date(), timezone), -1);
  await rebuildDays(clinicId, date, date);
  log().info({ clinicId, date }, 'daily kpis written');
  return { date };
}

/** Defines the queue (every process; workers run it). */
export function defineReportsQueue(runtime: Runtime): void {
  runtime.queues.define<ReportJob>({ name: REPORTS_QUEUE, process: processReportJob, defaultJobOptions: jobOptions });
}

/** Cron pattern of a clinic-local HH:MM. */
function dailyAt(time: string): string {
  const [hours, minutes] = time.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
}

/** Installs (or moves, or removes) one clinic's evening summary schedule from its settings. */
export async function scheduleEveningSummary(runtime: Runtime, clinicId: string): Promise<void> {
  const queue = runtime.queues.queue<ReportJob>(REPORTS_QUEUE);
  const settings = await eveningSummarySettings(clinicId);
  const id = `evening-summary-${clinicId}`;
  if (!settings.enabled) {
    await queue.removeJobScheduler(id);
    return;
  }
  const { timezone } = await getClinic(clinicId);
  await queue.upsertJobScheduler(
    id,
    { pattern: dailyAt(settings.time), tz: timezone },
    { name: 'evening-summary', data: { clinicId }, opts: jobOptions },
  );
}

/** Installs every clinic's nightly KPI and evening summary schedules and queues yesterday's catch-up run. */
export async function scheduleReports(runtime: Runtime, now = new Date()): Promise<void> {
  const queue = runtime.queues.queue<ReportJob>(REPORTS_QUEUE);
  for (const clinicId of await clinicIds()) {
    const { timezone } = await getClinic(clinicId);
    await queue.upsertJobScheduler(
      `kpis-nightly-${clinicId}`,
      { pattern: NIGHTLY_KPI_CRON, tz: timezone },
      { name: 'kpis', data: { clinicId }, opts: jobOptions },
    );
    const yesterday = addLocalDays(localDateOf(now, timezone), -1);
    await queue.add('kpis', { clinicId, date: yesterday }, { jobId: `kpis-boot-${clinicId}-${yesterday}` });
    await scheduleEveningSummary(runtime, clinicId);
  }
}
