/**
 * Clinic-local calendar arithmetic on top of `Intl.DateTimeFormat`, without a date library.
 * Instants are UTC `Date`s; a clinic's day and wall-clock times exist only in its IANA timezone,
 * so every conversion goes through the zone's offset at that instant (DST-safe).
 */

/** A calendar date in the clinic's timezone, `YYYY-MM-DD`. */
export type LocalDate = string;

/** The timezone clinics use unless their settings say otherwise. */
export const DEFAULT_CLINIC_TIMEZONE = 'Asia/Kolkata';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^(\d{2}):(\d{2})$/;

// Building a DateTimeFormat costs far more than using one; clinics share a handful of zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA zone this runtime knows, e.g. `Asia/Kolkata`. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of `ms` in `timeZone`, expressed as if they were a UTC timestamp. */
function wallClockMs(ms: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = NaN, month = NaN, day = NaN, hour = NaN, minute = NaN, second = NaN } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Offset of `timeZone` from UTC at the instant `ms`, in milliseconds (IST: +19 800 000). */
function offsetMs(ms: number, timeZone: string): number {
  // The formatter has second precision, so compare against the instant truncated to seconds.
  return wallClockMs(ms, timeZone) - (ms - (((ms % 1000) + 1000) % 1000));
}

function assertInstant(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return ms;
}

/** Splits a strict `YYYY-MM-DD` into numbers; throws RangeError for anything else (2025-02-30 included). */
export function parseLocalDate(localDate: LocalDate): { year: number; month: number; day: number } {
  const match = LOCAL_DATE.exec(localDate);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Invalid local date "${localDate}" (expected YYYY-MM-DD)`);
}

/**
 * Minutes since local midnight for a strict `HH:mm`; `24:00` is accepted as the end of the day
 * so a range can close at midnight. Throws RangeError otherwise.
 */
export function parseLocalTime(time: string): number {
  const match = LOCAL_TIME.exec(time);
  if (match) {
    const [hours, minutes] = [Number(match[1]), Number(match[2])];
    if ((hours < 24 && minutes < 60) || (hours === 24 && minutes === 0)) return hours * 60 + minutes;
  }
  throw new RangeError(`Invalid local time "${time}" (expected HH:mm)`);
}

/** The clinic-local calendar date of an instant, e.g. 2025-01-01T20:00Z in Asia/Kolkata → `2025-01-02`. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const wall = new Date(wallClockMs(assertInstant(instant), timeZone));
  return wall.toISOString().slice(0, 10);
}

/**
 * The UTC instant at which the clinic's wall clock shows `time` on `localDate`.
 * Wall times skipped by a DST jump resolve forward by the jump (01:30 on London's spring-forward
 * day → 02:30 BST); wall times that occur twice resolve to the earlier one. This is Temporal's
 * `compatible` disambiguation, so results match what most calendars show.
 */
export function zonedTimeToUtc(localDate: LocalDate, time: string, timeZone: string): Date {
  const { year, month, day } = parseLocalDate(localDate);
  const wallMs = Date.UTC(year, month - 1, day) + parseLocalTime(time) * MINUTE_MS;
  // The true instant lies within ±14 h of wallMs; offsets a day either side bracket any DST change.
  const offsetBefore = offsetMs(wallMs - DAY_MS, timeZone);
  const offsetAfter = offsetMs(wallMs + DAY_MS, timeZone);
  const candidates = [offsetBefore, offsetAfter]
    .map((offset) => wallMs - offset)
    .filter((ms) => wallClockMs(ms, timeZone) === wallMs)
    .sort((a, b) => a - b);
  // No candidate means the wall time falls in a DST gap: read it with the offset in force before.
  return new Date(candidates[0] ?? wallMs - offsetBefore);
}

/** The instant the clinic-local day containing `instant` begins (usually local 00:00). */
export function startOfLocalDay(instant: Date, timeZone: string): Date {
  return zonedTimeToUtc(localDateOf(instant, timeZone), '00:00', timeZone);
}

/** The local date `days` calendar days after `localDate` (negative goes back); no timezone involved. */
export function addLocalDays(localDate: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  const { year, month, day } = parseLocalDate(localDate);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Day of the week of a local date, 0 = Sunday … 6 = Saturday (as `Date#getDay`). */
export function weekdayOf(localDate: LocalDate): number {
  const { year, month, day } = parseLocalDate(localDate);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}
