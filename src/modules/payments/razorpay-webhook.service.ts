/**
 * Receiving a Razorpay webhook: the signature is checked over the exact raw bytes (401 when it is
 * missing or wrong), the body parsed (400), and the event stored under its
 * `x-razorpay-event-id` BEFORE anything acts on it. A repeat of a stored event is a no-op that
 * still answers 200 — unless it was never handled, in which case its job is queued again (the
 * first delivery may have been stored and then lost its job to a crash).
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../../config.js';
import { sameSecret } from '../../platform/crypto/same-secret.js';
import { badRequest, unauthenticated } from '../../platform/errors.js';
import type { QueueRegistry } from '../../platform/queues/registry.js';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { RazorpayEvent } from './razorpay-event.model.js';
import type { RazorpayEventRecord } from './razorpay-event.model.js';
import { factsOf, razorpayWebhookSchema } from './razorpay-event.schemas.js';
import { queueRazorpayEvent } from './razorpay-events.queue.js';

/** What arrived: the raw bytes and the two headers that matter. */
export interface RazorpayDelivery {
  rawBody: Buffer | undefined;
  signature: string | undefined;
  eventId: string | undefined;
}

/** The hex HMAC-SHA256 of `rawBody` under the webhook secret, as Razorpay computes it. */
export function razorpaySignature(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** True when `signature` is the signature of `rawBody`; compared in constant time. */
export function isValidRazorpaySignature(
  rawBody: Buffer | undefined,
  signature: string | undefined,
  secret: string,
): boolean {
  if (!rawBody || !signature) return false;
  return sameSecret(signature.trim().toLowerCase(), razorpaySignature(rawBody, secret));
}

const EVENT_ID = /^[A-Za-z0-9_-]{1,100}$/;

function parse(rawBody: Buffer) {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw badRequest('The body is not JSON');
  }
  const parsed = razorpayWebhookSchema.safeParse(json);
  if (!parsed.success)
    throw badRequest('Not a Razorpay webhook event', {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  return parsed.data;
}

/** Verifies, stores and queues one delivery; `duplicate` is true for an event already stored. */
export async function receiveRazorpayWebhook(
  config: Config,
  queues: QueueRegistry,
  delivery: RazorpayDelivery,
): Promise<{ eventId: string; event: string; duplicate: boolean }> {
  if (!isValidRazorpaySignature(delivery.rawBody, delivery.signature, config.razorpay.webhookSecret))
    throw unauthenticated('Missing or invalid Razorpay signature');
  const eventId = delivery.eventId?.trim();
  if (!eventId || !EVENT_ID.test(eventId)) throw badRequest('x-razorpay-event-id is missing or malformed');
  const body = parse(delivery.rawBody!);
  const facts = factsOf(body);
  let stored: RazorpayEventRecord;
  let duplicate = false;
  try {
    stored = (
      await RazorpayEvent.create({
        eventId,
        event: body.event,
        ...(facts.clinicId ? { clinicId: facts.clinicId } : {}),
        facts,
        rawBody: delivery.rawBody!.toString('utf8'),
        receivedAt: new Date(),
      })
    ).toObject() as RazorpayEventRecord;
  } catch (error) {
    if (!isDuplicateKey(error, 'razorpay_event_unique')) throw error;
    duplicate = true;
    stored = (await RazorpayEvent.findOne(
      { eventId },
      { eventId: 1, event: 1, status: 1 },
    ).lean<RazorpayEventRecord>())!;
  }
  // A failure to queue answers 500, so Razorpay delivers again and the repeat queues it.
  if (stored.status === 'received') await queueRazorpayEvent(queues, eventId);
  return { eventId, event: stored.event, duplicate };
}
