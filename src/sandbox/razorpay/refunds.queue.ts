/**
 * Settlement of the stand-in's refunds: Razorpay answers a refund request with `pending` and
 * settles it later; one delayed job per refund does that here (see refund.service.ts `settleRefund`).
 */
import type { Job } from 'bullmq';
import type { Runtime } from '../../platform/runtime.js';

/** Name of the queue. */
export const SANDBOX_RAZORPAY_REFUNDS_QUEUE = 'sandbox-razorpay-refunds';

/** How long a refund stays `pending`: long enough to observe, short enough for tests. */
export const SETTLEMENT_DELAY_MS = 500;

/** Job data: the refund to settle. */
interface SettlementJob {
  refundId: string;
}

/** Defines the queue; `settle` is injected so this file need not import the service that enqueues into it. */
export function defineSandboxRefundsQueue(runtime: Runtime, settle: (refundId: string) => Promise<string>): void {
  runtime.queues.define<SettlementJob>({
    name: SANDBOX_RAZORPAY_REFUNDS_QUEUE,
    concurrency: 4,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: true,
      removeOnFail: 100,
    },
    process: (job: Job<SettlementJob>) => settle(job.data.refundId),
  });
}

/** Schedules the settlement of one refund. */
export async function enqueueSettlement(runtime: Runtime, refundId: string): Promise<void> {
  await runtime.queues
    .queue<SettlementJob>(SANDBOX_RAZORPAY_REFUNDS_QUEUE)
    .add('settle', { refundId }, { jobId: `rzp-refund-${refundId}`, delay: SETTLEMENT_DELAY_MS });
}
