/**
 * Slot persistence: idempotent (re)generation from a doctor's rules, and the only two ways a slot
 * changes hands — `takeSlot` (free → held/booked, one conditional update) and `releaseSlot`
 * (back to free, exactly once, only by the appointment holding it).
 */
import type { Types } from 'mongoose';
import { conflict } from '../../platform/errors.js';
import { addLocalDays, generateSlots, localDateOf, zonedTimeToUtc } from './slot-generation.js';
import type { BlockedPeriod, LocalDate, WeeklyRange } from './slot-generation.js';
import { SlotModel } from './slot.model.js';
import type { SlotDoc, SlotStatus } from './slot.model.js';

/** What regeneration needs to know about the clinic and the doctor. */
export interface SlotRules {
  clinicId: string;
  doctorId: string;
  timezone: string;
  slotMinutes: number;
  availability: readonly WeeklyRange[];
  leaves: readonly BlockedPeriod[];
  holidays: readonly LocalDate[];
}

/** Counts from one regeneration run. */
export interface RegenerationResult {
  created: number;
  removed: number;
  kept: number;
}

/** A slot as callers see it. */
export interface SlotView {
  id: string;
  doctorId: string;
  startAt: Date;
  endAt: Date;
  localDate: string;
  status: SlotStatus;
  appointmentId?: string;
}

/** Maps a stored slot to its view. */
export function toSlotView(doc: SlotDoc): SlotView {
  return {
    id: String(doc._id),
    doctorId: String(doc.doctorId),
    startAt: doc.startAt,
    endAt: doc.endAt,
    localDate: doc.localDate,
    status: doc.status as SlotStatus,
    ...(doc.appointmentId ? { appointmentId: String(doc.appointmentId) } : {}),
  };
}

/**
 * Makes the stored free slots for [from, from + days) match the rules. New slots are inserted
 * (the unique doctor+start index makes concurrent runs harmless); free slots the rules no longer
 * allow are removed; held and booked slots are never touched.
 */
export async function regenerateSlots(rules: SlotRules, from: LocalDate, days: number): Promise<RegenerationResult> {
  const desired = generateSlots({ ...rules, from, days });
  const windowStart = zonedTimeToUtc(from, '00:00', rules.timezone);
  const windowEnd = zonedTimeToUtc(addLocalDays(from, days), '00:00', rules.timezone);
  const existing = await SlotModel.find(
    { clinicId: rules.clinicId, doctorId: rules.doctorId, startAt: { $gte: windowStart, $lt: windowEnd } },
    { startAt: 1, endAt: 1, status: 1 },
  ).lean<Pick<SlotDoc, '_id' | 'startAt' | 'endAt' | 'status'>[]>();

  const key = (startAt: Date, endAt: Date) => `${startAt.getTime()}-${endAt.getTime()}`;
  const wanted = new Set(desired.map((slot) => key(slot.startAt, slot.endAt)));
  const have = new Set(existing.map((slot) => key(slot.startAt, slot.endAt)));
  const stale = existing.filter((slot) => slot.status === 'free' && !wanted.has(key(slot.startAt, slot.endAt)));
  // Remove before inserting: a changed slot length may reuse a start time the stale slot holds.
  const removed = stale.length
    ? (await SlotModel.deleteMany({ _id: { $in: stale.map((slot) => slot._id) }, status: 'free' })).deletedCount
    : 0;

  const missing = desired.filter((slot) => !have.has(key(slot.startAt, slot.endAt)));
  let created = 0;
  if (missing.length) {
    const docs = missing.map((slot) => ({
      clinicId: rules.clinicId,
      doctorId: rules.doctorId,
      startAt: slot.startAt,
      endAt: slot.endAt,
      localDate: localDateOf(slot.startAt, rules.timezone),
      status: 'free',
    }));
    try {
      created = (await SlotModel.insertMany(docs, { ordered: false })).length;
    } catch (error) {
      // Another run inserted some of them first (E11000 per duplicate); the rest went in.
      const bulk = error as {
        code?: number;
        insertedDocs?: unknown[];
        writeErrors?: { code?: number; err?: { code?: number } }[];
      };
      const onlyDuplicates = (bulk.writeErrors ?? [{ code: bulk.code }]).every(
        (e) => (e.code ?? e.err?.code) === 11000,
      );
      if (!onlyDuplicates) throw error;
      created = bulk.insertedDocs?.length ?? 0;
    }
  }
  return { created, removed, kept: existing.length - removed };
}

/**
 * Takes a free slot for `appointmentId` in one conditional update, or throws 409. This is the
 * only way a slot is booked: never "check, then insert".
 */
export async function takeSlot(
  clinicId: string,
  slotId: string | Types.ObjectId,
  appointmentId: string | Types.ObjectId,
  status: 'held' | 'booked',
): Promise<SlotView> {
  const doc = await SlotModel.findOneAndUpdate(
    { _id: slotId, clinicId, status: 'free' },
    { $set: { status, appointmentId } },
    { new: true },
  ).lean<SlotDoc>();
  if (!doc) throw conflict('That slot has just been taken; please pick another', { reason: 'slot_taken' });
  return toSlotView(doc);
}

/** Moves a held slot to booked (prepayment completed); false if the hold is no longer ours. */
export async function confirmHeldSlot(
  clinicId: string,
  slotId: string | Types.ObjectId,
  appointmentId: string | Types.ObjectId,
): Promise<boolean> {
  const result = await SlotModel.updateOne(
    { _id: slotId, clinicId, appointmentId, status: { $in: ['held', 'booked'] } },
    { $set: { status: 'booked' } },
  );
  return result.matchedCount === 1;
}

/** Frees the slot if (and only if) `appointmentId` still holds it; true exactly once. */
export async function releaseSlot(
  clinicId: string,
  slotId: string | Types.ObjectId,
  appointmentId: string | Types.ObjectId,
): Promise<boolean> {
  const result = await SlotModel.updateOne(
    { _id: slotId, clinicId, appointmentId, status: { $in: ['held', 'booked'] } },
    { $set: { status: 'free' }, $unset: { appointmentId: 1 } },
  );
  return result.modifiedCount === 1;
}

/** Filters for free-slot search. */
export interface FreeSlotQuery {
  clinicId: string;
  doctorIds?: readonly string[];
  localDate?: LocalDate;
  after: Date;
  before?: Date;
  limit?: number;
}

/** Free slots in time order (never in the past). */
export async function findFreeSlots(query: FreeSlotQuery): Promise<SlotView[]> {
  const filter: Record<string, unknown> = {
    clinicId: query.clinicId,
    status: 'free',
    startAt: { $gte: query.after, ...(query.before ? { $lt: query.before } : {}) },
  };
  if (query.doctorIds) filter.doctorId = { $in: query.doctorIds };
  if (query.localDate) filter.localDate = query.localDate;
  const docs = await SlotModel.find(filter)
    .sort({ startAt: 1, doctorId: 1 })
    .limit(query.limit ?? 200)
    .lean<SlotDoc[]>();
  return docs.map(toSlotView);
}

/** One slot of this clinic, or null. */
export async function getSlot(clinicId: string, slotId: string): Promise<SlotView | null> {
  const doc = await SlotModel.findOne({ _id: slotId, clinicId }).lean<SlotDoc>();
  return doc ? toSlotView(doc) : null;
}

/**
 * Deletes the doctor's free slots starting at or after `from` (a deactivated doctor, or days
 * beyond a shortened booking horizon); held and booked slots stay. Returns how many went.
 */
export async function removeFreeSlotsFrom(clinicId: string, doctorId: string, from: Date): Promise<number> {
  const result = await SlotModel.deleteMany({ clinicId, doctorId, status: 'free', startAt: { $gte: from } });
  return result.deletedCount;
}

/** The doctor's held and booked slots overlapping [from, to), in time order (what a new leave collides with). */
export async function findTakenSlots(
  clinicId: string,
  doctorId: string,
  from: Date,
  to: Date,
  limit = 500,
): Promise<SlotView[]> {
  // Slots never exceed a day, so a start within a day before `from` is the widest overlap possible.
  const docs = await SlotModel.find({
    clinicId,
    doctorId,
    status: { $in: ['held', 'booked'] },
    startAt: { $gt: new Date(from.getTime() - 24 * 60 * 60_000), $lt: to },
    endAt: { $gt: from },
  })
    .sort({ startAt: 1 })
    .limit(limit)
    .lean<SlotDoc[]>();
  return docs.map(toSlotView);
}
