/**
 * Dates, times and money as the bot writes them: "Mon 12 Jan, 10:30 AM" in English and
 * "सोम 12 जन॰, सुबह 10:30" in Hindi, in the clinic's timezone. Written out by hand from the
 * zone's wall-clock fields rather than with a locale format, so the wording is the same on every
 * Node build (ICU data differs between builds) and short enough for a 24-character list row.
 */
import type { Lang } from './booking.types.js';

/** The timezone used when a clinic does not name one. */
export const DEFAULT_TIMEZONE = 'Asia/Kolkata';

const WEEKDAYS: Record<Lang, readonly string[]> = {
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  hi: ['रवि', 'सोम', 'मंगल', 'बुध', 'गुरु', 'शुक्र', 'शनि'],
};
const MONTHS: Record<Lang, readonly string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  hi: ['जन॰', 'फ़र॰', 'मार्च', 'अप्रैल', 'मई', 'जून', 'जुल॰', 'अग॰', 'सित॰', 'अक्तू॰', 'नव॰', 'दिस॰'],
};
const RELATIVE_DAYS: Record<Lang, readonly [string, string]> = { en: ['Today', 'Tomorrow'], hi: ['आज', 'कल'] };

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: Date, timeZone: string): WallClock {
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
    });
    formatters.set(timeZone, formatter);
  }
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) fields[part.type] = Number(part.value);
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 1,
    day: fields.day ?? 1,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
  };
}

function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function dayLabel(lang: Lang, year: number, month: number, day: number): string {
  return `${WEEKDAYS[lang][weekdayOf(year, month, day)]} ${day} ${MONTHS[lang][month - 1]}`;
}

/** "10:30 AM" / "सुबह 10:30": Hindi names the part of the day instead of AM/PM, as people say it. */
function timeLabel(lang: Lang, hour: number, minute: number): string {
  const clock = `${hour % 12 === 0 ? 12 : hour % 12}:${String(minute).padStart(2, '0')}`;
  if (lang === 'en') return `${clock} ${hour < 12 ? 'AM' : 'PM'}`;
  const part =
    hour >= 5 && hour < 12 ? 'सुबह' : hour >= 12 && hour < 16 ? 'दोपहर' : hour >= 16 && hour < 20 ? 'शाम' : 'रात';
  return `${part} ${clock}`;
}

/** A clinic-local date `YYYY-MM-DD` as "Mon 12 Jan" / "सोम 12 जन॰" (no timezone involved). */
export function formatLocalDate(localDate: string, lang: Lang): string {
  const [year = 0, month = 1, day = 1] = localDate.split('-').map(Number);
  return dayLabel(lang, year, month, day);
}

/** An instant as "Mon 12 Jan, 10:30 AM" / "सोम 12 जन॰, सुबह 10:30" in `timeZone`. */
export function formatDateTime(instant: string | Date, lang: Lang, timeZone = DEFAULT_TIMEZONE): string {
  const clock = wallClock(new Date(instant), timeZone);
  return `${dayLabel(lang, clock.year, clock.month, clock.day)}, ${timeLabel(lang, clock.hour, clock.minute)}`;
}

/** Only the time of an instant: "10:30 AM" / "सुबह 10:30". */
export function formatTime(instant: string | Date, lang: Lang, timeZone = DEFAULT_TIMEZONE): string {
  const clock = wallClock(new Date(instant), timeZone);
  return timeLabel(lang, clock.hour, clock.minute);
}

/** The clinic-local date `YYYY-MM-DD` of an instant. */
export function localDateIn(instant: Date, timeZone = DEFAULT_TIMEZONE): string {
  const { year, month, day } = wallClock(instant, timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "Today, Mon 12 Jan" / "Tomorrow, …" / "Wed 14 Jan", judged on the clinic's calendar at `now`. */
export function formatDayChoice(localDate: string, lang: Lang, now: Date, timeZone = DEFAULT_TIMEZONE): string {
  const today = localDateIn(now, timeZone);
  const tomorrow = localDateIn(new Date(Date.parse(`${today}T12:00:00Z`) + 86_400_000), 'UTC');
  const label = formatLocalDate(localDate, lang);
  if (localDate === today) return `${RELATIVE_DAYS[lang][0]}, ${label}`;
  if (localDate === tomorrow) return `${RELATIVE_DAYS[lang][1]}, ${label}`;
  return label;
}

const wholeRupees = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });
const rupeesAndPaise = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Paise as rupees with Indian digit grouping: 150000 → "₹1,500", 150050 → "₹1,500.50". */
export function formatRupees(paise: number): string {
  return `₹${(paise % 100 === 0 ? wholeRupees : rupeesAndPaise).format(paise / 100)}`;
}
