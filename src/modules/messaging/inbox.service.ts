/**
 * Storing and consuming inbox items. Storing happens in the webhook request, before the answer:
 * a duplicate wamid is recognised by the unique index and ignored. Consuming happens in the
 * inbound worker under the sender's lease: claim the oldest pending item, hand it over, mark it.
 */
import type { Types } from 'mongoose';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { Inbox } from './inbox.model.js';
import type { InboxRecord } from './inbox.model.js';
import { classifyInbound } from './inbound-message.js';
import { upsertWaContact } from './wa-contact.service.js';
import { waHashOf } from './wa-contact.model.js';
import type { InboundMessagePayload } from './whatsapp-webhook.schemas.js';

type Id = string | Types.ObjectId;

/** What storing one webhook message did. */
export type StoreOutcome =
  | { stored: true; inboxId: string; waContactId: string }
  | { stored: false; reason: 'duplicate' | 'unusable_sender' };

function senderHash(waId: string): string | null {
  try {
    return waHashOf(waId);
  } catch {
    return null;
  }
}

/**
 * Stores one message from the webhook (and moves the sender's 24-hour window forward). A wamid
 * seen before is a redelivery: nothing is stored. A sender id that is not a phone number cannot
 * be grouped or answered, so it is skipped (the caller logs the wamid).
 */
export async function storeInbound(
  clinicId: Id,
  message: InboundMessagePayload,
  profileName: string | undefined,
  receivedAt: Date,
): Promise<StoreOutcome> {
  const waHash = senderHash(message.from);
  if (!waHash) return { stored: false, reason: 'unusable_sender' };
  // Meta's clock, capped at ours: a skewed future timestamp must not hold the window open.
  const timestamp = new Date(Math.min(Number(message.timestamp) * 1000, receivedAt.getTime()));
  const sender = await upsertWaContact(clinicId, message.from, timestamp);
  const { kind, content } = classifyInbound(message);
  try {
    const item = await Inbox.create({
      clinicId,
      waContactId: sender._id,
      wamid: message.id,
      waId: message.from,
      waHash,
      ...(profileName ? { profileName } : {}),
      kind,
      ...(content ? { content } : {}),
      timestamp,
      receivedAt,
    });
    return { stored: true, inboxId: String(item._id), waContactId: String(sender._id) };
  } catch (error) {
    if (isDuplicateKey(error, 'inbox_wamid_unique')) return { stored: false, reason: 'duplicate' };
    throw error;
  }
}

/** The sender's next message, claimed; or when it may next be tried (after a failure); or null when none is pending. */
export type NextPending = { item: InboxRecord } | { retryAt: Date } | null;

/**
 * Claims the sender's oldest pending item (by the patient's timestamp), counting the attempt,
 * unless it failed recently and its retry time has not come. Two steps are safe: the caller
 * holds the sender's lease.
 */
export async function claimNextPending(clinicId: Id, waContactId: Id, now = new Date()): Promise<NextPending> {
  const head = await Inbox.findOne({ clinicId, waContactId, status: 'pending' }, { _id: 1, retryAt: 1 })
    .sort({ timestamp: 1, _id: 1 })
    .lean<Pick<InboxRecord, '_id' | 'retryAt'>>();
  if (!head) return null;
  if (head.retryAt && head.retryAt > now) return { retryAt: head.retryAt };
  const item = await Inbox.findOneAndUpdate(
    { _id: head._id, clinicId, status: 'pending' },
    { $inc: { attempts: 1 } },
    { new: true },
  ).lean<InboxRecord>();
  return item ? { item } : null;
}

/** Marks a pending item handled. */
export async function markInboxDone(clinicId: Id, inboxId: Id): Promise<void> {
  await Inbox.updateOne(
    { _id: inboxId, clinicId, status: 'pending' },
    { $set: { status: 'done', processedAt: new Date() } },
  );
}

/** Records a failed attempt's error code and when to try again, or (`retryAt` null) gives the item up as failed. */
export async function markInboxError(
  clinicId: Id,
  inboxId: Id,
  errorCode: string,
  retryAt: Date | null,
): Promise<void> {
  await Inbox.updateOne(
    { _id: inboxId, clinicId, status: 'pending' },
    { $set: { lastError: errorCode, ...(retryAt ? { retryAt } : { status: 'failed', processedAt: new Date() }) } },
  );
}

/** True when the sender has a pending item left. */
export async function hasPendingInbound(clinicId: Id, waContactId: Id): Promise<boolean> {
  return (await Inbox.exists({ clinicId, waContactId, status: 'pending' })) !== null;
}

/** Senders with an item pending since before `receivedBefore` (at most `limit` items looked at). */
export async function sendersWithStalePending(clinicId: Id, receivedBefore: Date, limit = 500): Promise<string[]> {
  const items = await Inbox.find(
    { clinicId, status: 'pending', receivedAt: { $lt: receivedBefore } },
    { waContactId: 1 },
  )
    .sort({ receivedAt: 1 })
    .limit(limit)
    .lean<Pick<InboxRecord, 'waContactId'>[]>();
  return [...new Set(items.map((item) => String(item.waContactId)))];
}
