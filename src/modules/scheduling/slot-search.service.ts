/**
 * Free-slot search for the panel, the API and the bot: by doctor, speciality, clinic-local date
 * and time window. Only free slots of active doctors, never in the past, in time order, each with
 * its doctor's name and the clinic-local date and time a person reads.
 */
import type { Actor } from '../../platform/actor.js';
import { badRequest } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getClinic } from '../clinics/clinic.service.js';
import { bookableDoctors } from '../doctors/doctor.service.js';
import { addLocalDays, zonedTimeToUtc } from './slot-generation.js';
import type { LocalDate } from './slot-generation.js';
import { findFreeSlots } from './slot.service.js';

/** What to search; `from`/`to` are instants or clinic-local dates (a `to` date includes that whole day). */
export interface SlotSearchQuery {
  doctorId?: string;
  speciality?: string;
  date?: LocalDate;
  from?: LocalDate | Date;
  to?: LocalDate | Date;
  limit?: number;
}

/** A free slot as search returns it. */
export interface FreeSlotView {
  id: string;
  doctorId: string;
  doctorName: string;
  speciality: string;
  startAt: Date;
  endAt: Date;
  /** Clinic-local date and start time, e.g. `2030-01-07` and `09:30`. */
  localDate: LocalDate;
  localTime: string;
}

/** The answer: the clinic's timezone (for display) and the slots. */
export interface SlotSearchResult {
  timezone: string;
  slots: FreeSlotView[];
}

/** How many slots one search returns unless asked otherwise. */
export const DEFAULT_SLOT_SEARCH_LIMIT = 100;

function startInstant(value: LocalDate | Date, timezone: string): Date {
  return typeof value === 'string' ? zonedTimeToUtc(value, '00:00', timezone) : value;
}

function endInstant(value: LocalDate | Date, timezone: string): Date {
  return typeof value === 'string' ? zonedTimeToUtc(addLocalDays(value, 1), '00:00', timezone) : value;
}

function timeFormatter(timezone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** Free slots matching `query` in the actor's clinic; 404 when `doctorId` is not a doctor of the clinic. */
export async function searchFreeSlots(
  actor: Actor,
  query: SlotSearchQuery,
  now = new Date(),
): Promise<SlotSearchResult> {
  assertCan(actor, 'read', 'slots');
  const { timezone } = await getClinic(actor.clinicId);
  const from = query.from === undefined ? undefined : startInstant(query.from, timezone);
  const to = query.to === undefined ? undefined : endInstant(query.to, timezone);
  if (from && to && to.getTime() <= from.getTime()) throw badRequest('`to` must be after `from`');

  const doctors = await bookableDoctors(actor.clinicId, { doctorId: query.doctorId, speciality: query.speciality });
  if (doctors.length === 0) return { timezone, slots: [] };
  const byId = new Map(doctors.map((doctor) => [doctor.id, doctor]));
  // Never offer the past, whatever the window asks for.
  const after = from && from.getTime() > now.getTime() ? from : now;
  const slots = await findFreeSlots({
    clinicId: actor.clinicId,
    doctorIds: [...byId.keys()],
    ...(query.date ? { localDate: query.date } : {}),
    after,
    ...(to ? { before: to } : {}),
    limit: query.limit ?? DEFAULT_SLOT_SEARCH_LIMIT,
  });
  const time = timeFormatter(timezone);
  return {
    timezone,
    slots: slots.map((slot) => {
      const doctor = byId.get(slot.doctorId)!;
      return {
        id: slot.id,
        doctorId: slot.doctorId,
        doctorName: doctor.name,
        speciality: doctor.speciality,
        startAt: slot.startAt,
        endAt: slot.endAt,
        localDate: slot.localDate,
        localTime: time.format(slot.startAt),
      };
    }),
  };
}
