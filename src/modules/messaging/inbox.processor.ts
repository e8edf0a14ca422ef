/**
 * Handles one sender's pending messages, one at a time and in timestamp order, even with many
 * workers in many processes. The unit of exclusion is a lease on the sender's WaContact (a
 * conditional update: free or expired → ours for LEASE_MS), renewed while working and released
 * at the end. After releasing, the drainer looks again: a message stored while it held the lease
 * may have had its own job turned away as "busy", and this re-check is what picks it up.
 * A message whose handler throws waits RETRY_DELAYS_MS before its next attempt, and the sender's
 * later messages wait behind it (order over progress); after MAX_INBOUND_ATTEMPTS it is failed.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import { AppError } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import { touchContactInbound } from '../patients/contact.service.js';
import { claimNextPending, hasPendingInbound, markInboxDone, markInboxError } from './inbox.service.js';
import { toInboundMessage } from './inbound-message.js';
import type { InboundMessage } from './inbound-message.js';
import { acquireLease, releaseLease, renewLease } from './wa-contact.service.js';

type Id = string | Types.ObjectId;

/** The conversation's entry point for one inbound message. */
export type InboundHandler = (item: InboundMessage) => Promise<void>;

/** How long a lease lasts without renewal: a crashed worker's sender is free again after this. */
export const LEASE_MS = 30_000;
/** Waits before the 2nd and 3rd attempt of a message whose handler failed; then it is failed. */
export const RETRY_DELAYS_MS = [1_000, 4_000] as const;
/** Attempts per message before it is marked failed and the sender's next message goes ahead. */
export const MAX_INBOUND_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

let handler: InboundHandler | undefined;
const processTag = `${hostname()}-${process.pid}`;

/** Installs the handler every inbound message goes to (the conversation runner, or a test). */
export function setInboundHandler(fn: InboundHandler | undefined): void {
  handler = fn;
}

/**
 * What one drain did: handled everything; found another worker on it; is waiting for a failed
 * message's retry time (a kick is scheduled for then); or had nobody to hand messages to.
 */
export type DrainResult = 'drained' | 'busy' | 'waiting' | 'no_handler';

/** Queues a drain of the sender at `at` (the retry of a failed message). */
export type ScheduleRetry = (waContactId: string, inboxId: string, attempt: number, at: Date) => Promise<void>;

/** An error's code for the record: AppError code or the error class, never its message. */
function errorCode(error: unknown): string {
  if (error instanceof AppError) return error.code;
  return error instanceof Error ? error.name : 'unknown_error';
}

interface Lease {
  lost: boolean;
  stop(): void;
}

function keepLease(clinicId: Id, waContactId: Id, owner: string, ms: number): Lease {
  const lease: Lease = { lost: false, stop: () => clearInterval(timer) };
  const timer = setInterval(
    () => {
      renewLease(clinicId, waContactId, owner, ms).then(
        (held) => {
          if (!held) lease.lost = true;
        },
        (error: unknown) =>
          log().warn({ err: error, waContactId: String(waContactId) }, 'inbound lease renewal failed'),
      );
    },
    Math.max(50, Math.floor(ms / 3)),
  );
  return lease;
}

async function drainHeld(
  clinicId: Id,
  waContactId: Id,
  handle: InboundHandler,
  lease: Lease,
  scheduleRetry: ScheduleRetry,
): Promise<'empty' | 'waiting' | 'lost'> {
  for (;;) {
    // A lost lease means someone else took over after an expiry: stop after the current message.
    if (lease.lost) return 'lost';
    const next = await claimNextPending(clinicId, waContactId);
    if (!next) return 'empty';
    if (!('item' in next)) return 'waiting';
    const { item } = next;
    try {
      // The patients module's copy of the window, for contacts registered on this number.
      await touchContactInbound(String(clinicId), item.waId, item.timestamp);
      await handle(toInboundMessage(item));
      await markInboxDone(clinicId, item._id);
    } catch (error) {
      // Only the code is kept and logged: a handler's error message may quote what the patient wrote.
      const code = errorCode(error);
      const delay = RETRY_DELAYS_MS[item.attempts - 1];
      const retryAt = delay === undefined ? null : new Date(Date.now() + delay);
      await markInboxError(clinicId, item._id, code, retryAt);
      log().warn(
        { errorCode: code, inboxId: String(item._id), wamid: item.wamid, attempt: item.attempts, final: !retryAt },
        'inbound message handling failed',
      );
      if (retryAt) {
        await scheduleRetry(String(waContactId), String(item._id), item.attempts, retryAt);
        return 'waiting';
      }
    }
  }
}

/** Handles the sender's pending messages under their lease; see the file comment. */
export async function drainSender(
  clinicId: Id,
  waContactId: Id,
  scheduleRetry: ScheduleRetry,
  { leaseMs = LEASE_MS } = {},
): Promise<DrainResult> {
  const handle = handler;
  if (!handle) return 'no_handler';
  for (;;) {
    const owner = `${processTag}-${randomUUID()}`;
    if (!(await acquireLease(clinicId, waContactId, owner, leaseMs))) return 'busy';
    const lease = keepLease(clinicId, waContactId, owner, leaseMs);
    let outcome;
    try {
      outcome = await drainHeld(clinicId, waContactId, handle, lease, scheduleRetry);
    } finally {
      lease.stop();
      await releaseLease(clinicId, waContactId, owner);
    }
    if (outcome === 'waiting') return 'waiting';
    if (!(await hasPendingInbound(clinicId, waContactId))) return 'drained';
  }
}
