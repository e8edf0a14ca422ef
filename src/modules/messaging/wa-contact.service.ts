/**
 * WhatsApp users as the transport tracks them: find-or-create by number, the 24-hour window, the
 * per-user processing lease and the per-user send pacing. Every write is one conditional
 * single-document update, so any number of processes can share them without transactions.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { WaContact, waHashOf } from './wa-contact.model.js';
import type { WaContactRecord } from './wa-contact.model.js';

type Id = string | Types.ObjectId;

/** Finds or creates the user `waId` in `clinicId`; `inboundAt` moves their window forward (never back). */
export async function upsertWaContact(clinicId: Id, waId: string, inboundAt?: Date): Promise<WaContactRecord> {
  const waHash = waHashOf(waId);
  // A fresh update object per attempt: mongoose casts (and seals) values in place.
  const upsert = () =>
    WaContact.findOneAndUpdate(
      { clinicId, waHash },
      { $setOnInsert: { clinicId, waHash, waId }, ...(inboundAt ? { $max: { lastInboundAt: inboundAt } } : {}) },
      { upsert: true, new: true },
    ).lean<WaContactRecord>();
  try {
    return (await upsert())!;
  } catch (error) {
    // Two first messages at once: the unique index lets one insert; the other updates.
    if (!isDuplicateKey(error, 'wa_contact_unique')) throw error;
    return (await upsert())!;
  }
}

/** One sender of a webhook batch: their WhatsApp id and the latest time they wrote. */
export interface SenderSighting {
  waId: string;
  inboundAt: Date;
}

/** A batch's senders by `waHash`, and the write that moves their windows (run it beside the inbox insert). */
export interface BatchSenders {
  ids: Map<string, string>;
  moveWindows: () => Promise<void>;
}

/**
 * Finds or creates every sender of a webhook batch with one read and ONE bulk write: an upsert
 * per distinct sender that creates the new ones and moves every window forward (`$max`). When
 * all senders are known (the usual case) the ids come from the read and the bulk write is handed
 * back to run in parallel with the inbox insert, so the webhook's answer waits for one round of
 * writes. Two batches creating the same new sender at once: the unique index lets one insert,
 * and the loser's upserts are retried once (they then match).
 */
export async function upsertWaContacts(clinicId: Id, senders: SenderSighting[]): Promise<BatchSenders> {
  const latest = new Map<string, SenderSighting & { waHash: string }>();
  for (const sender of senders) {
    const waHash = waHashOf(sender.waId);
    const seen = latest.get(waHash);
    if (!seen || seen.inboundAt < sender.inboundAt) latest.set(waHash, { ...sender, waHash });
  }
  const ids = new Map<string, string>();
  if (latest.size === 0) return { ids, moveWindows: async () => undefined };
  const clinic = new mongoose.Types.ObjectId(String(clinicId));
  const lookup = async (hashes: string[]) => {
    const found = await WaContact.find({ clinicId: clinic, waHash: { $in: hashes } }, { _id: 1, waHash: 1 }).lean<
      Pick<WaContactRecord, '_id' | 'waHash'>[]
    >();
    for (const contact of found) ids.set(contact.waHash, String(contact._id));
  };
  // Fresh operations per attempt: mongoose casts (and seals) values in place.
  const operations = () =>
    [...latest.values()].map(({ waId, waHash, inboundAt }) => ({
      updateOne: {
        filter: { clinicId: clinic, waHash },
        update: { $setOnInsert: { clinicId: clinic, waHash, waId }, $max: { lastInboundAt: inboundAt } },
        upsert: true,
      },
    }));
  const upsertAll = async () => {
    try {
      await WaContact.bulkWrite(operations(), { ordered: false });
    } catch (error) {
      if (!isDuplicateKey(error, 'wa_contact_unique')) throw error;
      await WaContact.bulkWrite(operations(), { ordered: false });
    }
  };
  await lookup([...latest.keys()]);
  const missing = [...latest.keys()].filter((waHash) => !ids.has(waHash));
  if (missing.length === 0) return { ids, moveWindows: upsertAll };
  await upsertAll();
  await lookup(missing);
  return { ids, moveWindows: async () => undefined };
}

/** The user `waContactId` of `clinicId`, or null. */
export async function findWaContact(clinicId: Id, waContactId: Id): Promise<WaContactRecord | null> {
  return WaContact.findOne({ _id: waContactId, clinicId }).lean<WaContactRecord>();
}

/**
 * Takes the processing lease on the user's messages for `ms`, if nobody holds an unexpired one.
 * `owner` must be unique per attempt (two jobs in one worker must not share a lease).
 */
export async function acquireLease(
  clinicId: Id,
  waContactId: Id,
  owner: string,
  ms: number,
  now = new Date(),
): Promise<boolean> {
  const taken = await WaContact.findOneAndUpdate(
    { _id: waContactId, clinicId, $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] },
    { $set: { lockOwner: owner, lockedUntil: new Date(now.getTime() + ms) } },
    { new: true, projection: { _id: 1 } },
  ).lean();
  return taken !== null;
}

/** Extends a lease `owner` still holds; false when it was lost (expired and taken over). */
export async function renewLease(clinicId: Id, waContactId: Id, owner: string, ms: number): Promise<boolean> {
  const result = await WaContact.updateOne(
    { _id: waContactId, clinicId, lockOwner: owner },
    { $set: { lockedUntil: new Date(Date.now() + ms) } },
  );
  return result.matchedCount === 1;
}

/** Gives the lease up, if `owner` still holds it. */
export async function releaseLease(clinicId: Id, waContactId: Id, owner: string): Promise<void> {
  await WaContact.updateOne(
    { _id: waContactId, clinicId, lockOwner: owner },
    { $unset: { lockOwner: 1, lockedUntil: 1 } },
  );
}

/** What a send attempt learns from the pacing claim. */
export type SendSlot = { granted: true; contact: WaContactRecord } | { granted: false; retryAt: Date };

/**
 * Claims the user's next send slot: granted when the previous send to them was at least
 * `pacingMs` ago (the claim then reserves the next one); otherwise says when to try again.
 * Null when the user record is gone.
 */
export async function claimSendSlot(
  clinicId: Id,
  waContactId: Id,
  pacingMs: number,
  now = new Date(),
): Promise<SendSlot | null> {
  const before = await WaContact.findOneAndUpdate(
    { _id: waContactId, clinicId, $or: [{ nextSendAt: null }, { nextSendAt: { $lte: now } }] },
    { $set: { nextSendAt: new Date(now.getTime() + pacingMs) } },
    { new: false },
  ).lean<WaContactRecord>();
  if (before) return { granted: true, contact: before };
  const current = await findWaContact(clinicId, waContactId);
  if (!current) return null;
  return { granted: false, retryAt: current.nextSendAt ?? new Date(now.getTime() + pacingMs) };
}
