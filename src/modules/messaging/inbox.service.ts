/**
 * Storing and consuming inbox items. Storing happens in the webhook request, before the answer:
 * a duplicate wamid is recognised by the unique index and ignored. Consuming happens in the
 * inbound worker under the sender's lease: claim the oldest pending item, hand it over, mark it.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { Inbox } from './inbox.model.js';
import type { InboxRecord } from './inbox.model.js';
import { classifyInbound } from './inbound-message.js';
import { upsertWaContact, upsertWaContacts } from './wa-contact.service.js';
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

/** One message of a webhook batch, already validated; `profileName` from the batch's contacts. */
export interface BatchMessage {
  message: InboundMessagePayload;
  profileName?: string;
}

/** What storing a message of a batch did, in the batch's order. */
export type BatchOutcome = StoreOutcome;

interface WriteErrorLike {
  index: number;
  code?: number;
  errmsg?: string;
}

/** The write errors of an unordered insertMany, or null when `error` is not one. */
function writeErrorsOf(error: unknown): WriteErrorLike[] | null {
  const errors = (error as { writeErrors?: unknown }).writeErrors;
  if (!Array.isArray(errors)) return null;
  return errors.map((entry: { index?: number; code?: number; errmsg?: string; err?: WriteErrorLike }) => ({
    index: entry.index ?? entry.err?.index ?? -1,
    code: entry.code ?? entry.err?.code,
    errmsg: entry.errmsg ?? entry.err?.errmsg,
  }));
}

/**
 * Stores a webhook batch with one bulk write per collection: the senders (one upsert each, one
 * bulkWrite) and the messages (one unordered insertMany). A wamid seen before — or twice in the
 * batch — fails alone on the unique index and is a duplicate; the rest are stored. Insertion
 * order is the batch's order, so messages of one second keep Meta's order.
 */
export async function storeInboundBatch(
  clinicId: Id,
  batch: BatchMessage[],
  receivedAt: Date,
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = batch.map(() => ({ stored: false, reason: 'unusable_sender' }));
  const usable: { at: number; waHash: string; timestamp: Date; entry: BatchMessage }[] = [];
  batch.forEach((entry, at) => {
    const waHash = senderHash(entry.message.from);
    if (!waHash) return;
    // Meta's clock, capped at ours: a skewed future timestamp must not hold the window open.
    const timestamp = new Date(Math.min(Number(entry.message.timestamp) * 1000, receivedAt.getTime()));
    usable.push({ at, waHash, timestamp, entry });
  });
  if (usable.length === 0) return outcomes;
  const { ids: contactIds, moveWindows } = await upsertWaContacts(
    clinicId,
    usable.map(({ entry, timestamp }) => ({ waId: entry.message.from, inboundAt: timestamp })),
  );
  const documents = usable.map(({ waHash, timestamp, entry }) => {
    const { kind, content } = classifyInbound(entry.message);
    return {
      clinicId,
      waContactId: contactIds.get(waHash)!,
      wamid: entry.message.id,
      waId: entry.message.from,
      waHash,
      ...(entry.profileName ? { profileName: entry.profileName } : {}),
      kind,
      ...(content ? { content } : {}),
      timestamp,
      receivedAt,
    };
  });
  const ids = documents.map(() => new mongoose.Types.ObjectId());
  const failed = new Map<number, WriteErrorLike>();
  const insert = Inbox.insertMany(
    documents.map((doc, i) => ({ ...doc, _id: ids[i] })),
    { ordered: false },
  ).catch((error: unknown) => {
    const errors = writeErrorsOf(error);
    if (!errors || errors.some((entry) => entry.code !== 11000 || entry.index < 0)) throw error;
    for (const entry of errors) failed.set(entry.index, entry);
  });
  // The inbox insert and the senders' windows are independent writes: one round trip for both.
  await Promise.all([insert, moveWindows()]);
  usable.forEach(({ at, waHash }, i) => {
    outcomes[at] = failed.has(i)
      ? { stored: false, reason: 'duplicate' }
      : { stored: true, inboxId: String(ids[i]), waContactId: contactIds.get(waHash)! };
  });
  return outcomes;
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
