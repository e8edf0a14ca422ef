/**
 * The stand-in's status webhooks: after accepting a message it reports `sent`, `delivered` and
 * `read` (or `failed`) to our own POST /webhooks/whatsapp, signed with the app secret, a little
 * apart — as Meta does. Delayed BullMQ jobs rather than timers: they survive a restart and the
 * queue registry closes them on shutdown, so nothing dangles in tests.
 */
import type { Job } from 'bullmq';
import type { Runtime } from '../../platform/runtime.js';
import { buildStatusPayload } from './inbound-payload.js';
import { postWebhook } from './inbound-sender.js';
import { sandboxMessages } from './sandbox-message.model.js';
import type { SandboxMessageRecord } from './sandbox-message.model.js';

/** Name of the queue. */
export const SANDBOX_CALLBACKS_QUEUE = 'sandbox-whatsapp-callbacks';

type ReportedStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** Job data: the recorded message and the status to report. */
interface CallbackJob {
  recordId: string;
  status: ReportedStatus;
  errorCode?: number;
}

/** Statuses the record may have for a report to become its latest (a retried report never moves it back). */
const PREVIOUS: Record<ReportedStatus, string[]> = {
  sent: ['accepted'],
  delivered: ['accepted', 'sent'],
  read: ['accepted', 'sent', 'delivered'],
  failed: ['accepted', 'sent'],
};

/** Delay of each report after acceptance. */
export const CALLBACK_DELAYS_MS: Record<ReportedStatus, number> = { sent: 100, delivered: 250, read: 500, failed: 100 };

/** Defines the queue; its processor POSTs one signed status webhook and records the status. */
export function defineSandboxCallbacksQueue(runtime: Runtime): void {
  const { appSecret, phoneNumberId } = runtime.config.whatsapp;
  const webhookUrl = `${runtime.config.publicUrl}/webhooks/whatsapp`;
  runtime.queues.define<CallbackJob>({
    name: SANDBOX_CALLBACKS_QUEUE,
    concurrency: 8,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: true,
      removeOnFail: 100,
    },
    async process(job: Job<CallbackJob>) {
      const record = await sandboxMessages().findById(job.data.recordId).lean<SandboxMessageRecord>();
      if (!record) return 'gone';
      const payload = buildStatusPayload(phoneNumberId, [
        {
          wamid: record.wamid,
          status: job.data.status,
          recipientId: record.to,
          ...(job.data.errorCode !== undefined ? { errorCode: job.data.errorCode } : {}),
        },
      ]);
      const status = await postWebhook({ webhookUrl, appSecret, phoneNumberId }, payload);
      if (status !== 200) throw new Error(`webhook answered ${status}`);
      await sandboxMessages().updateOne(
        { _id: record._id, status: { $in: PREVIOUS[job.data.status] } },
        { $set: { status: job.data.status, statusAt: new Date() } },
      );
      return job.data.status;
    },
  });
}

/** Schedules the reports for one accepted message. */
export async function scheduleStatusCallbacks(
  runtime: Runtime,
  recordId: string,
  reports: { status: ReportedStatus; errorCode?: number }[],
): Promise<void> {
  const queue = runtime.queues.queue<CallbackJob>(SANDBOX_CALLBACKS_QUEUE);
  for (const report of reports) {
    await queue.add(
      'report',
      { recordId, ...report },
      { jobId: `sandbox-status-${recordId}-${report.status}`, delay: CALLBACK_DELAYS_MS[report.status] },
    );
  }
}
