/**
 * Pure slot generation: a doctor's weekly availability (clinic-local wall times) becomes concrete
 * UTC slots for N local days, minus clinic holidays and leaves. No database here: the service
 * upserts the result on the unique (doctor, startAt) key, so running it twice books nothing twice.
 */
import {
  DEFAULT_CLINIC_TIMEZONE,
  addLocalDays,
  isValidTimeZone,
  localDateOf,
  parseLocalDate,
  parseLocalTime,
  weekdayOf,
  zonedTimeToUtc,
} from './clinic-time.js';
import type { LocalDate } from './clinic-time.js';

/** The clinic-time helpers, re-exported so scheduling code has one import for slots and local days. */
export {
  DEFAULT_CLINIC_TIMEZONE,
  addLocalDays,
  localDateOf,
  startOfLocalDay,
  weekdayOf,
  zonedTimeToUtc,
} from './clinic-time.js';
export type { LocalDate } from './clinic-time.js';

/** One working range on a weekday, in clinic-local time: weekday 0 = Sunday … 6 = Saturday, `HH:mm`–`HH:mm` (end may be `24:00`). */
export interface WeeklyRange {
  weekday: number;
  start: string;
  end: string;
}

/** A leave or blocked period: UTC instants, half-open [startAt, endAt), may span several days. */
export interface BlockedPeriod {
  startAt: Date;
  endAt: Date;
}

/** A bookable slot, half-open [startAt, endAt) in UTC. */
export interface Slot {
  startAt: Date;
  endAt: Date;
}

/** Everything slot generation depends on; the same input always yields the same slots. */
export interface SlotGenerationInput {
  /** IANA timezone of the clinic; defaults to Asia/Kolkata. */
  timezone?: string;
  slotMinutes: number;
  availability: readonly WeeklyRange[];
  leaves?: readonly BlockedPeriod[];
  /** Clinic-local dates on which no slots exist. */
  holidays?: readonly LocalDate[];
  /** First clinic-local day; an instant means the local day that contains it. */
  from: LocalDate | Date;
  /** Number of local days, `from` included (0–366). */
  days: number;
}

/** Longest window generated in one call: a year and a day is plenty and bounds the work. */
export const MAX_SLOT_DAYS = 366;

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * Problems with a weekly availability, as readable sentences (empty when it is usable): bad
 * weekday or time, empty range, or two ranges overlapping on a weekday. Schemas can reuse it.
 */
export function availabilityProblems(availability: readonly WeeklyRange[]): string[] {
  const problems: string[] = [];
  const intervals: Array<{ from: number; to: number; label: string }> = [];
  for (const range of availability) {
    const label = `weekday ${range.weekday} ${range.start}–${range.end}`;
    if (!Number.isInteger(range.weekday) || range.weekday < 0 || range.weekday > 6) {
      problems.push(`${label}: weekday must be 0 (Sunday) to 6 (Saturday)`);
      continue;
    }
    let start: number;
    let end: number;
    try {
      start = parseLocalTime(range.start);
      end = parseLocalTime(range.end);
    } catch (error) {
      problems.push(`${label}: ${(error as Error).message}`);
      continue;
    }
    if (end <= start) {
      // Overnight shifts are two ranges (22:00–24:00 and 00:00–02:00), so holidays stay unambiguous.
      problems.push(`${label}: end must be after start on the same day`);
      continue;
    }
    intervals.push({ from: range.weekday * DAY_MINUTES + start, to: range.weekday * DAY_MINUTES + end, label });
  }
  intervals.sort((a, b) => a.from - b.from);
  for (let i = 1; i < intervals.length; i += 1) {
    const [previous, current] = [intervals[i - 1]!, intervals[i]!];
    if (current.from < previous.to) problems.push(`${current.label}: overlaps ${previous.label}`);
  }
  return problems;
}

function validate(input: SlotGenerationInput, timezone: string): void {
  if (!isValidTimeZone(timezone)) throw new RangeError(`Unknown timezone "${timezone}"`);
  if (!Number.isInteger(input.slotMinutes) || input.slotMinutes < 1 || input.slotMinutes > DAY_MINUTES) {
    throw new RangeError(`slotMinutes must be a whole number from 1 to ${DAY_MINUTES}, got ${input.slotMinutes}`);
  }
  if (!Number.isInteger(input.days) || input.days < 0 || input.days > MAX_SLOT_DAYS) {
    throw new RangeError(`days must be a whole number from 0 to ${MAX_SLOT_DAYS}, got ${input.days}`);
  }
  const problems = availabilityProblems(input.availability);
  if (problems.length > 0) throw new RangeError(`Invalid availability: ${problems.join('; ')}`);
  for (const holiday of input.holidays ?? []) parseLocalDate(holiday);
  for (const leave of input.leaves ?? []) {
    const [start, end] = [leave.startAt.getTime(), leave.endAt.getTime()];
    if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
      throw new RangeError('Each leave needs valid startAt and endAt with endAt after startAt');
    }
  }
}

/**
 * The slots of `days` clinic-local days from `from`, sorted by start. Slots step in real elapsed
 * time from each range's start, a slot that would run past its range's end is dropped, holidays
 * drop whole local days, and any overlap with a leave drops the slot.
 */
export function generateSlots(input: SlotGenerationInput): Slot[] {
  const timezone = input.timezone ?? DEFAULT_CLINIC_TIMEZONE;
  validate(input, timezone);
  const slotMs = input.slotMinutes * MINUTE_MS;
  const holidays = new Set(input.holidays ?? []);
  const leaves = (input.leaves ?? []).map((leave) => ({ start: leave.startAt.getTime(), end: leave.endAt.getTime() }));
  const firstDay = typeof input.from === 'string' ? input.from : localDateOf(input.from, timezone);
  parseLocalDate(firstDay);

  const slots: Slot[] = [];
  for (let offset = 0; offset < input.days; offset += 1) {
    const day = addLocalDays(firstDay, offset);
    if (holidays.has(day)) continue;
    const weekday = weekdayOf(day);
    const ranges = input.availability
      .filter((range) => range.weekday === weekday)
      .sort((a, b) => parseLocalTime(a.start) - parseLocalTime(b.start));
    for (const range of ranges) {
      // Real-time stepping: on a DST day a 09:00–13:00 range still yields its true working hours.
      const rangeEnd = zonedTimeToUtc(day, range.end, timezone).getTime();
      for (
        let start = zonedTimeToUtc(day, range.start, timezone).getTime();
        start + slotMs <= rangeEnd;
        start += slotMs
      ) {
        const end = start + slotMs;
        if (leaves.some((leave) => start < leave.end && leave.start < end)) continue;
        slots.push({ startAt: new Date(start), endAt: new Date(end) });
      }
    }
  }
  return slots;
}
