/**
 * When a booking is cancelled — above all when its prepayment hold lapses — its open payment
 * links are cancelled through Razorpay, so the hold and the link end together. Only once every
 * link is known closed (cancelled or expired, not paid) is the unpaid consultation invoice voided,
 * so the books carry no receivable for a booking that will not happen. A link Razorpay reports
 * paid is left to the payment's webhook (which reinstates the booking or refunds). A job per
 * appointment (`release-links-<appointmentId>`), retried while Razorpay cannot be reached.
 */
import type { Job } from 'bullmq';
import { systemActor } from '../../platform/actor.js';
import { subscribe } from '../../platform/domain-events.js';
import type { Runtime } from '../../platform/runtime.js';
import { consultationInvoiceRecord } from '../billing/consultation-charge.service.js';
import { voidInvoice } from '../billing/invoice-issue.service.js';
import { PaymentLink } from './payment-link.model.js';
import type { PaymentLinkRecord } from './payment-link.model.js';
import { cancelRazorpayLink, fetchRazorpayLink, RazorpayError } from './razorpay.client.js';

/** Name of the queue. */
export const HOLD_RELEASE_QUEUE = 'payment-link-release';

interface ReleaseJob {
  clinicId: string;
  appointmentId: string;
}

// A link reserved this long ago and still `creating` was abandoned by a crashed request.
const ABANDONED_MS = 2 * 60_000;

/** Cancels one open link; returns the status Razorpay ends with. Throws (retry) while unreachable. */
async function close(link: PaymentLinkRecord): Promise<string> {
  if (!link.providerLinkId) {
    if (Date.now() - link.createdAt.getTime() < ABANDONED_MS) throw new Error('payment link still being created');
    await PaymentLink.updateOne({ _id: link._id, status: 'creating' }, { $set: { status: 'failed' } });
    return 'failed';
  }
  let status: string;
  try {
    status = (await cancelRazorpayLink(link.providerLinkId)).status;
  } catch (error) {
    if (!(error instanceof RazorpayError) || error.retryable) throw error;
    // Refused: it is already paid, cancelled or expired. Ask which.
    status = (await fetchRazorpayLink(link.providerLinkId)).status;
  }
  const mapped =
    status === 'paid' || status === 'partially_paid' ? 'paid' : status === 'expired' ? 'expired' : 'cancelled';
  await PaymentLink.updateOne(
    { _id: link._id, status: { $in: ['created', 'creating'] } },
    { $set: { status: mapped, ...(mapped === 'cancelled' ? { cancelledAt: new Date() } : {}) } },
  );
  return mapped;
}

/** Closes the appointment's open links and, if none was paid, voids its unpaid consultation invoice. */
export async function releaseAppointmentLinks(clinicId: string, appointmentId: string): Promise<string> {
  const open = await PaymentLink.find({ clinicId, appointmentId, status: { $in: ['created', 'creating'] } }).lean<
    PaymentLinkRecord[]
  >();
  const outcomes = await Promise.all(open.map(close));
  const paid =
    outcomes.includes('paid') || (await PaymentLink.exists({ clinicId, appointmentId, status: 'paid' })) !== null;
  if (paid) return 'paid_link_left_to_webhook';
  const invoice = await consultationInvoiceRecord(clinicId, appointmentId);
  if (!invoice || invoice.status !== 'issued' || invoice.paidPaise > 0 || invoice.creditedPaise > 0)
    return `links_closed:${open.length}`;
  await voidInvoice(
    systemActor(clinicId, 'worker:payment-links'),
    String(invoice._id),
    'Booking cancelled before payment',
  );
  return 'invoice_voided';
}

/** Defines the queue and subscribes it to cancellations. */
export function defineHoldReleaseQueue(runtime: Runtime): void {
  const queue = runtime.queues.define<ReleaseJob>({
    name: HOLD_RELEASE_QUEUE,
    process: (job: Job<ReleaseJob>) => releaseAppointmentLinks(job.data.clinicId, job.data.appointmentId),
    concurrency: 2,
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 2000, jitter: 0.3 },
      removeOnComplete: true,
      removeOnFail: 1000,
    },
  });
  subscribe('appointment.transitioned', 'payments-release-links', async ({ clinicId, appointmentId, to }) => {
    if (to !== 'cancelled') return;
    await queue.add('release', { clinicId, appointmentId }, { jobId: `release-links-${appointmentId}` });
  });
}
