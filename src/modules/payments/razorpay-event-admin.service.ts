/**
 * For the engineer on call: the stored Razorpay events that did not end well (`failed` after every
 * retry, or still `received`), and a replay that hands one back to its job. Handlers are
 * idempotent, so replaying an event whose effects partly happened finishes them without doubling.
 * Views carry ids, the event name and the outcome only — never the (encrypted) body.
 */
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { QueueRegistry } from '../../platform/queues/registry.js';
import { assertCan } from '../../platform/rbac/can.js';
import { RazorpayEvent } from './razorpay-event.model.js';
import type { RazorpayEventRecord } from './razorpay-event.model.js';
import { queueRazorpayEvent } from './razorpay-events.queue.js';

/** A stored event as the on-call list shows it. */
export interface RazorpayEventView {
  eventId: string;
  event: string;
  status: RazorpayEventRecord['status'];
  outcome?: string;
  attempts: number;
  receivedAt: Date;
  processedAt?: Date;
  paymentId?: string;
  paymentLinkId?: string;
  refundId?: string;
}

function toView(doc: RazorpayEventRecord): RazorpayEventView {
  const { paymentId, paymentLinkId, refundId } = doc.facts;
  return {
    eventId: doc.eventId,
    event: doc.event,
    status: doc.status,
    ...(doc.outcome ? { outcome: doc.outcome } : {}),
    attempts: doc.attempts,
    receivedAt: doc.receivedAt,
    ...(doc.processedAt ? { processedAt: doc.processedAt } : {}),
    ...(paymentId ? { paymentId } : {}),
    ...(paymentLinkId ? { paymentLinkId } : {}),
    ...(refundId ? { refundId } : {}),
  };
}

/** This clinic's events in `status`, newest first (at most 100). */
export async function listRazorpayEvents(actor: Actor, status: 'failed' | 'received'): Promise<RazorpayEventView[]> {
  assertCan(actor, 'update', 'payments', { clinicId: actor.clinicId });
  const docs = await RazorpayEvent.find({ clinicId: actor.clinicId, status }, { rawBody: 0 })
    .sort({ receivedAt: -1 })
    .limit(100)
    .lean<RazorpayEventRecord[]>();
  return docs.map(toView);
}

/** Puts a failed event back to `received` and queues it again; 409 unless it failed. Audited. */
export async function replayRazorpayEvent(
  actor: Actor,
  queues: QueueRegistry,
  eventId: string,
): Promise<RazorpayEventView> {
  assertCan(actor, 'update', 'payments', { clinicId: actor.clinicId });
  const current = await RazorpayEvent.findOne(
    { clinicId: actor.clinicId, eventId },
    { rawBody: 0 },
  ).lean<RazorpayEventRecord>();
  if (!current) throw notFound('Razorpay event');
  const reopened = await RazorpayEvent.findOneAndUpdate(
    { _id: current._id, status: 'failed' },
    { $set: { status: 'received' }, $unset: { outcome: 1 } },
    { new: true, projection: { rawBody: 0 } },
  ).lean<RazorpayEventRecord>();
  if (!reopened)
    throw conflict(`Only failed events are replayed; this one is ${current.status}`, {
      reason: 'event_not_failed',
      currentStatus: current.status,
    });
  // A new job id: the failed job keeps its own for the record.
  await queueRazorpayEvent(queues, eventId, `replay-${reopened.attempts}`);
  await audit.record({
    actor,
    action: 'razorpay_event.replayed',
    entity: { type: 'razorpay_event', id: eventId },
    diff: [{ field: 'status', from: 'failed', to: 'received' }],
  });
  return toView(reopened);
}
