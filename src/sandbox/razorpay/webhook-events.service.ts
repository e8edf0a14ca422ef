/**
 * The stand-in's webhooks: each event is stored with the exact body it is signed over, then POSTed
 * to our own `/webhooks/razorpay` by a delivery job (retried with backoff on anything but 2xx, as
 * Razorpay retries) or on demand by a resend, which sends the identical body, signature and event id.
 */
import { createHmac } from 'node:crypto';
import type { Runtime } from '../../platform/runtime.js';
import { log } from '../../platform/logger.js';
import { accountIdFor, newRazorpayId, unixSeconds } from './ids.js';
import { sandboxEvents } from './sandbox-event.model.js';
import type { SandboxEventRecord } from './sandbox-event.model.js';
import { enqueueDelivery } from './webhooks.queue.js';

/** Razorpay's `X-Razorpay-Signature`: hex HMAC-SHA256 of the raw body with the webhook secret. */
export function signRazorpayWebhook(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** An event to fire: its name, what it contains and the entities, and the ids it concerns. */
export interface NewEvent {
  event: string;
  contains: string[];
  payload: Record<string, { entity: Record<string, unknown> }>;
  paymentLinkId: string | null;
  paymentId: string | null;
  refundId?: string | null;
}

/** One stored event as the sandbox lists it. */
export interface SandboxEventView {
  id: string;
  event: string;
  paymentLinkId: string | null;
  paymentId: string | null;
  refundId: string | null;
  attempts: number;
  lastStatus: number | null;
  deliveredAt: string | null;
  createdAt: string;
  /** The exact body, and the signature it is sent with, so tests can verify or replay it. */
  body: string;
  signature: string;
}

/** Gap between the deliveries of events fired together, so they arrive in the order fired (retries may still reorder them, as with Razorpay). */
export const DELIVERY_GAP_MS = 300;

/** Stores `events` in order and, unless `deliver` is false, schedules their delivery in that order. */
export async function recordEvents(
  runtime: Runtime,
  events: NewEvent[],
  { deliver = true } = {},
): Promise<{ id: string; event: string }[]> {
  const { keyId } = runtime.config.razorpay;
  const stored: { id: string; event: string }[] = [];
  for (const [index, item] of events.entries()) {
    const eventId = newRazorpayId('evt');
    const envelope = {
      entity: 'event',
      account_id: accountIdFor(keyId),
      event: item.event,
      contains: item.contains,
      payload: item.payload,
      created_at: unixSeconds(),
    };
    await sandboxEvents().create({
      keyId,
      eventId,
      event: item.event,
      paymentLinkId: item.paymentLinkId,
      paymentId: item.paymentId,
      refundId: item.refundId ?? null,
      body: JSON.stringify(envelope),
      createdAt: new Date(),
    });
    if (deliver) await enqueueDelivery(runtime, eventId, 50 + index * DELIVERY_GAP_MS);
    stored.push({ id: eventId, event: item.event });
  }
  log().info({ events: stored.map((item) => item.id) }, 'sandbox razorpay events stored');
  return stored;
}

/** POSTs the stored event to the webhook once and records the attempt; `undefined` when there is no such event. */
export async function deliverEvent(runtime: Runtime, eventId: string): Promise<SandboxEventView | undefined> {
  const record = await sandboxEvents().findOne({ eventId }).lean<SandboxEventRecord>();
  if (!record) return undefined;
  let status = 0;
  try {
    const response = await fetch(`${runtime.config.publicUrl}/webhooks/razorpay`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-razorpay-signature': signRazorpayWebhook(record.body, runtime.config.razorpay.webhookSecret),
        'x-razorpay-event-id': record.eventId,
        'user-agent': 'Razorpay-Webhook/v1',
      },
      body: record.body,
      // Razorpay gives up on a webhook call after 5 seconds and counts it as failed.
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    status = response.status;
  } catch (error) {
    log().warn({ eventId, err: error }, 'sandbox razorpay webhook delivery failed');
  }
  const now = new Date();
  await sandboxEvents().updateOne(
    { eventId },
    { $inc: { attempts: 1 }, $set: { lastStatus: status, lastAttemptAt: now } },
  );
  if (status >= 200 && status < 300)
    await sandboxEvents().updateOne({ eventId, deliveredAt: null }, { $set: { deliveredAt: now } });
  return viewOf(runtime, (await sandboxEvents().findOne({ eventId }).lean<SandboxEventRecord>())!);
}

/** Stored events for a link, payment or refund (or the latest 200), oldest first. */
export async function listEvents(
  runtime: Runtime,
  filter: { paymentLinkId?: string; paymentId?: string; refundId?: string },
): Promise<SandboxEventView[]> {
  const query: Record<string, string> = { keyId: runtime.config.razorpay.keyId };
  for (const [key, value] of Object.entries(filter)) if (value) query[key] = value;
  const records = await sandboxEvents()
    .find(query)
    .sort({ createdAt: -1, _id: -1 })
    .limit(200)
    .lean<SandboxEventRecord[]>();
  return records.reverse().map((record) => viewOf(runtime, record));
}

function viewOf(runtime: Runtime, record: SandboxEventRecord): SandboxEventView {
  return {
    id: record.eventId,
    event: record.event,
    paymentLinkId: record.paymentLinkId,
    paymentId: record.paymentId,
    refundId: record.refundId,
    attempts: record.attempts,
    lastStatus: record.lastStatus,
    deliveredAt: record.deliveredAt ? record.deliveredAt.toISOString() : null,
    createdAt: record.createdAt.toISOString(),
    body: record.body,
    signature: signRazorpayWebhook(record.body, runtime.config.razorpay.webhookSecret),
  };
}
