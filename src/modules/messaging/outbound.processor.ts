/**
 * Sends one queued OutboundMessage. In order:
 * 1. Strict order per recipient: while an earlier message to them is unsent, wait.
 * 2. Pacing: claim the recipient's next send slot (at least WHATSAPP_PACING_MS after the last).
 * 3. The 24-hour window, checked now: the message, its template fallback, or failed outside_window.
 * 4. Send through whatsapp-api-js; record the wamid, or fail at once on a permanent 4xx, or
 *    throw so BullMQ retries (429, 5xx, network) — failing on the last attempt so that a later
 *    message to the same recipient is never blocked forever.
 * Waiting is `moveToDelayed` + DelayedError: the job sleeps in Redis, not in a worker slot.
 * Delivery is at least once: a crash between Meta's answer and the wamid write sends the message
 * again on retry, because the Cloud API takes no idempotency key.
 */
import { DelayedError } from 'bullmq';
import type { Job } from 'bullmq';
import type { Config } from '../../config.js';
import { AppError } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import { contactRecordByPhone } from '../patients/contact.service.js';
import type { OutboundJob } from './outbound.queue.js';
import type { OutboundRecord } from './outbound.model.js';
import {
  earlierQueuedExists,
  findOutbound,
  markOutboundFailed,
  markOutboundSent,
  noteOutboundAttempt,
} from './outbound.service.js';
import { claimSendSlot } from './wa-contact.service.js';
import { chooseDelivery, isWindowOpen } from './window.js';
import { GraphApiError } from './whatsapp-client.js';
import type { WhatsAppSender } from './whatsapp-client.js';

/** The shortest wait before looking again at a recipient's queue. */
const MIN_WAIT_MS = 50;

async function waitUntil(job: Job<OutboundJob>, at: number): Promise<never> {
  await job.moveToDelayed(Math.max(at, Date.now() + MIN_WAIT_MS), job.token);
  throw new DelayedError();
}

/** The failure code of a send error and whether trying again can help. */
export function classifySendError(error: unknown): { code: string; retryable: boolean } {
  if (error instanceof GraphApiError) return { code: error.code, retryable: error.retryable };
  // Builders and recipient checks throw these for messages that can never be sent.
  if (error instanceof TypeError || error instanceof RangeError) return { code: 'invalid_message', retryable: false };
  // Anything else (an unparseable answer, …) may be transient.
  return { code: 'send_error', retryable: true };
}

async function languageOf(record: OutboundRecord): Promise<'en' | 'hi'> {
  const contact = await contactRecordByPhone(String(record.clinicId), `+${record.to}`);
  return contact?.preferredLanguage ?? 'en';
}

/** The processor for `config`'s number, sending through `sender`. */
export function createOutboundProcessor(
  config: Pick<Config, 'whatsapp'>,
  sender: WhatsAppSender,
): (job: Job<OutboundJob>) => Promise<string> {
  const { pacingMs, templates } = config.whatsapp;
  return async (job) => {
    const record = await findOutbound(job.data.clinicId, job.data.outboundId);
    if (!record || record.status !== 'queued') return 'skipped';
    const outboundId = job.data.outboundId;

    if (await earlierQueuedExists(record)) return waitUntil(job, Date.now() + Math.max(pacingMs, MIN_WAIT_MS));
    const now = new Date();
    const slot = await claimSendSlot(record.clinicId, record.waContactId, pacingMs, now);
    if (!slot) {
      await markOutboundFailed(record, 'recipient_missing');
      return 'failed';
    }
    if (!slot.granted) return waitUntil(job, slot.retryAt.getTime());

    const needsTemplate = record.message.kind !== 'template' && !isWindowOpen(slot.contact.lastInboundAt, now);
    const choice = chooseDelivery({
      message: record.message,
      purpose: record.purpose,
      ...(record.template ? { template: record.template } : {}),
      ...(slot.contact.lastInboundAt ? { lastInboundAt: slot.contact.lastInboundAt } : {}),
      now,
      templates,
      language: needsTemplate ? await languageOf(record) : 'en',
    });
    if (choice.as === 'outside_window') {
      await markOutboundFailed(record, 'outside_window');
      log().info({ outboundId, reason: 'outside_window' }, 'whatsapp message not sent');
      return 'failed';
    }

    let wamid: string;
    try {
      wamid = await sender.send(record.to, choice.message);
    } catch (error) {
      const { code, retryable } = classifySendError(error);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!retryable || lastAttempt) {
        await markOutboundFailed(record, code);
        log().warn({ outboundId, reason: code, attempt: job.attemptsMade + 1 }, 'whatsapp message failed');
        return 'failed';
      }
      await noteOutboundAttempt(record, code);
      // A fresh error with the code only: BullMQ stores and logs it, and the original may quote a response.
      throw new AppError('outbound_retry', 503, `Send of ${outboundId} failed (${code}); will retry`);
    }
    await markOutboundSent(record, { wamid, as: choice.as, message: choice.message, dispatchedAt: now });
    log().info({ outboundId, wamid, as: choice.as }, 'whatsapp message sent');
    return 'sent';
  };
}
