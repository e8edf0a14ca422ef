/**
 * Delivery of the stand-in's webhooks: one job per event POSTs it to our own /webhooks/razorpay,
 * and anything but 2xx (or no answer) is retried with exponential backoff, as Razorpay retries.
 * BullMQ jobs rather than timers: they survive a restart and the queue registry closes them on
 * shutdown, so nothing dangles in tests.
 */
import type { Job } from 'bullmq';
import type { Runtime } from '../../platform/runtime.js';

/** Name of the queue. */
export const SANDBOX_RAZORPAY_WEBHOOKS_QUEUE = 'sandbox-razorpay-webhooks';

/** Job data: the stored event to deliver. */
interface DeliveryJob {
  eventId: string;
}

/** Defines the queue; `deliver` is injected so this file need not import the service that enqueues into it. */
export function defineSandboxWebhooksQueue(
  runtime: Runtime,
  deliver: (eventId: string) => Promise<{ lastStatus: number | null } | undefined>,
): void {
  runtime.queues.define<DeliveryJob>({
    name: SANDBOX_RAZORPAY_WEBHOOKS_QUEUE,
    concurrency: 4,
    // 1, 2, 4, 8, 16 s: a test that adds the webhook route late still sees the event arrive.
    defaultJobOptions: {
      attempts: 6,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: 100,
    },
    async process(job: Job<DeliveryJob>) {
      const result = await deliver(job.data.eventId);
      if (!result) return 'gone';
      const status = result.lastStatus ?? 0;
      if (status < 200 || status >= 300) throw new Error(`webhook answered ${status || 'nothing'}`);
      return status;
    },
  });
}

/** Schedules the delivery of one stored event after `delayMs`. */
export async function enqueueDelivery(runtime: Runtime, eventId: string, delayMs: number): Promise<void> {
  await runtime.queues
    .queue<DeliveryJob>(SANDBOX_RAZORPAY_WEBHOOKS_QUEUE)
    .add('deliver', { eventId }, { jobId: `rzp-event-${eventId}`, delay: delayMs });
}
