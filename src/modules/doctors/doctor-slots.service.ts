/**
 * Keeps each doctor's stored slots in line with their rules and the clinic's settings for the
 * booking horizon (today and the next `bookingHorizonDays - 1` clinic-local days). Called after
 * every rules change, when clinic scheduling settings change, and by the daily job. Only free
 * slots are ever created or removed; held and booked slots stay whatever the rules say.
 */
import { addLocalDays, localDateOf, zonedTimeToUtc } from '../scheduling/slot-generation.js';
import type { LocalDate } from '../scheduling/slot-generation.js';
import { findTakenSlots, regenerateSlots, removeFreeSlotsFrom } from '../scheduling/slot.service.js';
import type { RegenerationResult, SlotRules } from '../scheduling/slot.service.js';
import { getClinic } from '../clinics/clinic.service.js';
import { Doctor } from './doctor.model.js';
import type { DoctorDoc } from './doctor.model.js';

/** Totals of a clinic-wide or installation-wide refresh. */
export interface SlotRefreshTotals extends RegenerationResult {
  doctors: number;
}

interface RefreshInputs {
  rules: SlotRules;
  from: LocalDate;
  horizonDays: number;
  active: boolean;
}

// A regeneration racing a rules change in another process could write slots for the old rules
// last; re-reading the rules afterwards and redoing the work when they moved settles that.
const MAX_PASSES = 3;
// Enough for a 90-day horizon of 15-minute slots around the clock.
const MAX_TAKEN_SLOTS = 10_000;

async function inputsFor(clinicId: string, doctorId: string, now: Date): Promise<RefreshInputs | null> {
  const [clinic, doctor] = await Promise.all([
    getClinic(clinicId).catch(() => null),
    Doctor.findOne({ _id: doctorId, clinicId }, { weeklyAvailability: 1, leaves: 1, active: 1 }).lean<DoctorDoc>(),
  ]);
  if (!clinic || !doctor) return null;
  const { timezone, scheduling } = clinic;
  const from = localDateOf(now, timezone);
  const windowEnd = zonedTimeToUtc(addLocalDays(from, scheduling.bookingHorizonDays), '00:00', timezone);
  // Held and booked slots block their time like a leave, so a new slot length never lays a
  // free slot over an appointment (regeneration itself leaves taken slots alone).
  const taken = await findTakenSlots(
    clinicId,
    doctorId,
    zonedTimeToUtc(from, '00:00', timezone),
    windowEnd,
    MAX_TAKEN_SLOTS,
  );
  return {
    rules: {
      clinicId,
      doctorId,
      timezone,
      slotMinutes: scheduling.slotMinutes,
      availability: (doctor.weeklyAvailability ?? []).map(({ weekday, start, end }) => ({ weekday, start, end })),
      leaves: [...(doctor.leaves ?? []), ...taken].map(({ startAt, endAt }) => ({ startAt, endAt })),
      holidays: scheduling.holidays.map((holiday) => holiday.date),
    },
    from,
    horizonDays: scheduling.bookingHorizonDays,
    active: doctor.active ?? true,
  };
}

async function applyInputs(
  { rules, from, horizonDays, active }: RefreshInputs,
  now: Date,
): Promise<RegenerationResult> {
  if (!active) {
    // An inactive doctor offers nothing: their future free slots go, appointments keep theirs.
    return { created: 0, removed: await removeFreeSlotsFrom(rules.clinicId, rules.doctorId, now), kept: 0 };
  }
  const result = await regenerateSlots(rules, from, horizonDays);
  // A shortened horizon (or a changed timezone) can leave free slots past the new window.
  const horizonEnd = zonedTimeToUtc(addLocalDays(from, horizonDays), '00:00', rules.timezone);
  const beyond = await removeFreeSlotsFrom(rules.clinicId, rules.doctorId, horizonEnd);
  return { ...result, removed: result.removed + beyond };
}

/** Brings one doctor's free slots in line with their rules for the clinic's horizon (idempotent). */
export async function refreshDoctorSlots(
  clinicId: string,
  doctorId: string,
  now = new Date(),
): Promise<RegenerationResult> {
  const totals: RegenerationResult = { created: 0, removed: 0, kept: 0 };
  let inputs = await inputsFor(clinicId, doctorId, now);
  for (let pass = 1; inputs && pass <= MAX_PASSES; pass += 1) {
    const result = await applyInputs(inputs, now);
    totals.created += result.created;
    totals.removed += result.removed;
    totals.kept = result.kept;
    const after = await inputsFor(clinicId, doctorId, now);
    if (!after || JSON.stringify(after) === JSON.stringify(inputs)) break;
    inputs = after;
  }
  return totals;
}

/** Refreshes every doctor of a clinic, one at a time (active ones get slots, inactive ones lose free ones). */
export async function refreshClinicSlots(clinicId: string, now = new Date()): Promise<SlotRefreshTotals> {
  const doctors = await Doctor.find({ clinicId }, { _id: 1 }).sort({ _id: 1 }).lean<Pick<DoctorDoc, '_id'>[]>();
  const totals: SlotRefreshTotals = { doctors: doctors.length, created: 0, removed: 0, kept: 0 };
  for (const doctor of doctors) {
    const result = await refreshDoctorSlots(clinicId, String(doctor._id), now);
    totals.created += result.created;
    totals.removed += result.removed;
    totals.kept += result.kept;
  }
  return totals;
}

/** Refreshes every clinic that has doctors (the daily job). */
export async function refreshAllSlots(now = new Date()): Promise<SlotRefreshTotals> {
  // Deliberately across clinics: this is the installation-wide daily run.
  const clinicIds = (await Doctor.distinct('clinicId')) as unknown[];
  const totals: SlotRefreshTotals = { doctors: 0, created: 0, removed: 0, kept: 0 };
  for (const clinicId of clinicIds) {
    const result = await refreshClinicSlots(String(clinicId), now);
    totals.doctors += result.doctors;
    totals.created += result.created;
    totals.removed += result.removed;
    totals.kept += result.kept;
  }
  return totals;
}
