/**
 * The `razorpay-refunds` queue: online refunds are sent to Razorpay by a job per refund
 * (`razorpay-refund-<refundId>`), never inside the request that asked for them. Every attempt
 * carries the same `X-Refund-Idempotency` key (derived from our refund id), so a call that timed
 * out and is retried gets the one refund Razorpay already made — never a second one. A refusal
 * (4xx) fails the refund, which gives its amount back to the payment for another try.
 */
import type { Job } from 'bullmq';
import { systemActor } from '../../platform/actor.js';
import { subscribe } from '../../platform/domain-events.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { markRefundFailed, markRefundProcessed, markRefundProcessing } from '../billing/refund-settle.service.js';
import { getRefund } from '../billing/refund.service.js';
import { createRazorpayRefund, RazorpayError } from './razorpay.client.js';

/** Name of the queue. */
export const RAZORPAY_REFUNDS_QUEUE = 'razorpay-refunds';

interface RefundJob {
  clinicId: string;
  refundId: string;
}

/** Sends one refund to Razorpay if it still waits for that; returns what happened. */
export async function sendRefundToRazorpay(clinicId: string, refundId: string): Promise<string> {
  const actor = systemActor(clinicId, 'worker:razorpay-refunds');
  const refund = await getRefund(actor, refundId);
  if (refund.status !== 'requested' || refund.channel !== 'online' || !refund.providerPaymentId)
    return `skipped:${refund.status}`;
  try {
    const sent = await createRazorpayRefund(refund.providerPaymentId, refund.amountPaise, refund.idempotencyKey, {
      clinicId,
      refundId,
    });
    await markRefundProcessing(actor, refundId, sent.id);
    // Instant refunds can come back processed; the refund.processed webhook may also have won the race.
    if (sent.status === 'processed') await markRefundProcessed(actor, refundId, sent.id);
    return `sent:${sent.status}`;
  } catch (error) {
    if (error instanceof RazorpayError && !error.retryable) {
      log().warn({ refundId, statusCode: error.statusCode, code: error.code }, 'razorpay refused the refund');
      await markRefundFailed(actor, refundId, `razorpay_${error.code ?? error.statusCode ?? 'refused'}`);
      return 'refused';
    }
    throw error;
  }
}

/** Defines the queue and subscribes it to online refund requests. */
export function defineRazorpayRefundsQueue(runtime: Runtime): void {
  const queue = runtime.queues.define<RefundJob>({
    name: RAZORPAY_REFUNDS_QUEUE,
    process: (job: Job<RefundJob>) => sendRefundToRazorpay(job.data.clinicId, job.data.refundId),
    concurrency: 2,
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 2000, jitter: 0.3 },
      removeOnComplete: 1000,
      removeOnFail: 1000,
    },
  });
  subscribe('refund.requested', 'payments-razorpay-refund', async ({ clinicId, refundId, channel }) => {
    if (channel !== 'online') return;
    await queue.add('refund', { clinicId, refundId }, { jobId: `razorpay-refund-${refundId}` });
  });
}
