/**
 * The `whatsapp-status` queue: status reports whose wamid matched no message yet. Meta can report
 * `sent` before the send call's answer (and with it the wamid) is stored, so such a report is
 * retried a few times with backoff instead of being dropped. Reports for messages this app never
 * sent (another tool on the same number) end failed after the last attempt.
 */
import { createHash } from 'node:crypto';
import type { Job } from 'bullmq';
import { AppError } from '../../platform/errors.js';
import type { QueueRegistry } from '../../platform/queues/registry.js';
import type { Runtime } from '../../platform/runtime.js';
import { applyStatusReport } from './outbound.status.js';
import type { ReportedStatus, StatusOutcome, StatusReport } from './outbound.status.js';

/** Name of the queue. */
export const STATUS_QUEUE = 'whatsapp-status';

/** Job data: the report (a wamid is Meta's id, not content). */
interface StatusJob {
  clinicId: string;
  wamid: string;
  status: ReportedStatus;
  at: number;
  errorCode?: number;
}

const jobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: true,
  removeOnFail: 1000,
};

async function processStatus(job: Pick<Job<StatusJob>, 'data'>): Promise<StatusOutcome> {
  const { clinicId, wamid, status, at, errorCode } = job.data;
  const outcome = await applyStatusReport(clinicId, {
    wamid,
    status,
    at: new Date(at),
    ...(errorCode !== undefined ? { errorCode } : {}),
  });
  if (outcome === 'unknown') throw new AppError('status_target_unknown', 404, 'No outbound message has this wamid yet');
  return outcome;
}

/** Defines the queue and its processor. */
export function defineStatusQueue(runtime: Runtime): void {
  runtime.queues.define<StatusJob>({
    name: STATUS_QUEUE,
    process: processStatus,
    concurrency: 4,
    defaultJobOptions: jobOptions,
  });
}

function deferredJob(clinicId: string, report: StatusReport) {
  // Real wamids are base64 and may contain characters job ids should not; a digest is safe.
  const key = createHash('sha256').update(report.wamid).digest('hex').slice(0, 32);
  const data: StatusJob = {
    clinicId,
    wamid: report.wamid,
    status: report.status,
    at: report.at.getTime(),
    ...(report.errorCode !== undefined ? { errorCode: report.errorCode } : {}),
  };
  return { name: 'apply', data, opts: { jobId: `status-${key}-${report.status}`, delay: 1000 } };
}

/**
 * Retries reports (a webhook batch's unknown ones) shortly, in one Redis round trip; one job per
 * wamid and status, so a repeated report adds nothing.
 */
export async function deferStatusReports(
  queues: QueueRegistry,
  clinicId: string,
  reports: StatusReport[],
): Promise<void> {
  if (reports.length === 0) return;
  await queues.queue<StatusJob>(STATUS_QUEUE).addBulk(reports.map((report) => deferredJob(clinicId, report)));
}
