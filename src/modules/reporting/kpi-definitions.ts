/**
 * Every KPI, defined once: one pure function per figure over the facts the owning modules hand
 * out (appointments, visits, slots, the ledger). The nightly job, the live "today" snapshot, the
 * API, the CSV export and the dashboard all read figures made here; the README's KPI table states
 * the same formulas.
 */
import type { AppointmentFact } from '../appointments/index.js';
import type { RevenueDay } from '../ledger/index.js';
import type { SlotDayCount } from '../scheduling/index.js';

/** Booking channels as the KPIs group them (a walk-in is its own channel whatever its source). */
export const CHANNELS = ['whatsapp', 'frontdesk', 'walk_in', 'portal'] as const;
/** One channel. */
export type Channel = (typeof CHANNELS)[number];

/** The channel an appointment came through. */
export function channelOf(fact: AppointmentFact): Channel {
  return fact.walkIn || fact.source === 'walk_in' ? 'walk_in' : fact.source;
}

/** Appointments of the day, whatever became of them (every booking starts as a request). */
export const bookingsRequested = (day: readonly AppointmentFact[]): number => day.length;

/** Appointments of the day that were confirmed at some point (paid holds and desk confirmations). */
export const bookingsConfirmed = (day: readonly AppointmentFact[]): number =>
  day.filter((fact) => fact.confirmedAt !== undefined && fact.confirmedAt !== null).length;

/** Appointments of the day now completed. */
export const bookingsCompleted = (day: readonly AppointmentFact[]): number =>
  day.filter((fact) => fact.status === 'completed').length;

/** Appointments of the day now cancelled (by anyone, including lapsed holds). */
export const bookingsCancelled = (day: readonly AppointmentFact[]): number =>
  day.filter((fact) => fact.status === 'cancelled').length;

/** Appointments of the day marked no-show. */
export const bookingsNoShow = (day: readonly AppointmentFact[]): number =>
  day.filter((fact) => fact.status === 'no_show').length;

/** Appointments of the day whose patient came (checked in, whatever happened next). */
const attended = (day: readonly AppointmentFact[]): number =>
  day.filter((fact) => fact.checkedInAt !== undefined && fact.checkedInAt !== null).length;

/** No-shows ÷ (no-shows + patients who came); null when nobody was due yet. */
export function noShowRate(day: readonly AppointmentFact[]): number | null {
  const missed = bookingsNoShow(day);
  const due = missed + attended(day);
  return due === 0 ? null : missed / due;
}

/** Requested appointments of the day per channel. */
export function bookingsByChannel(day: readonly AppointmentFact[]): Record<Channel, number> {
  const counts = Object.fromEntries(CHANNELS.map((channel) => [channel, 0])) as Record<Channel, number>;
  for (const fact of day) counts[channelOf(fact)] += 1;
  return counts;
}

/** Completed appointments of the day whose signed visit has complaint, assessment and plan ÷ completed; null when none. */
export function clinicalCompletion(
  day: readonly AppointmentFact[],
  documented: ReadonlySet<string>,
): { completed: number; documented: number; rate: number | null } {
  const completed = day.filter((fact) => fact.status === 'completed');
  const complete = completed.filter((fact) => documented.has(fact.id)).length;
  return {
    completed: completed.length,
    documented: complete,
    rate: completed.length ? complete / completed.length : null,
  };
}

/** Median of sorted numbers (mean of the middle two for an even count); null for none. */
export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (the smallest value with at least p of the values at or below it); null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** Count, median and p90 of a set of durations in seconds. */
export interface DurationStats {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

function durationStats(seconds: number[]): DurationStats {
  const sorted = [...seconds].sort((a, b) => a - b);
  return { count: sorted.length, medianSeconds: median(sorted), p90Seconds: percentile(sorted, 0.9) };
}

const secondsBetween = (from: Date, to: Date): number =>
  Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

/**
 * Time to confirm = confirmedAt − requestedAt over the appointments confirmed during the day
 * (counted when the confirmation happens): all, WhatsApp bookings, and prepaid bookings.
 */
export function timeToConfirm(confirmedToday: readonly AppointmentFact[]): {
  all: DurationStats;
  whatsapp: DurationStats;
  prepaid: DurationStats;
} {
  const timed = confirmedToday.filter((fact) => fact.requestedAt && fact.confirmedAt);
  const of = (facts: readonly AppointmentFact[]) =>
    durationStats(facts.map((fact) => secondsBetween(fact.requestedAt!, fact.confirmedAt!)));
  return {
    all: of(timed),
    whatsapp: of(timed.filter((fact) => fact.source === 'whatsapp' && !fact.walkIn)),
    prepaid: of(timed.filter((fact) => fact.prepaymentPaise > 0)),
  };
}

/** Average wait = consult start − check-in over the day's appointments that have both; null when none. */
export function averageWait(day: readonly AppointmentFact[]): { count: number; averageSeconds: number | null } {
  const waits = day
    .filter((fact) => fact.checkedInAt && fact.inConsultAt)
    .map((fact) => secondsBetween(fact.checkedInAt!, fact.inConsultAt!));
  return {
    count: waits.length,
    averageSeconds: waits.length ? Math.round(waits.reduce((sum, wait) => sum + wait, 0) / waits.length) : null,
  };
}

/**
 * Slot utilisation = slots taken ÷ slots offered on the day, where taken counts the day's
 * appointments on a slot that were not cancelled (a no-show's slot was taken, then wasted);
 * null when none were offered.
 */
export function slotUtilisation(
  day: readonly AppointmentFact[],
  counts: readonly SlotDayCount[],
): { offered: number; booked: number; rate: number | null } {
  const offered = counts.reduce((sum, count) => sum + count.offered, 0);
  const booked = day.filter((fact) => fact.onSlot && fact.status !== 'cancelled').length;
  return { offered, booked, rate: offered ? booked / offered : null };
}

/** Revenue figures of one day, straight from the ledger's revenue report (so they agree with the trial balance). */
export interface RevenueFigures {
  grossPaise: number;
  discountPaise: number;
  returnsPaise: number;
  netPaise: number;
  refundsPaise: number;
  collectedPaise: number;
  /** Patient receivable balance at the end of the day. */
  outstandingPaise: number;
}

/** gross, discounts, returns (credit notes), net = gross − discounts − returns, refunds paid, money collected, receivables. */
export function revenueFigures(day: RevenueDay, outstandingPaise: number): RevenueFigures {
  return {
    grossPaise: day.grossPaise,
    discountPaise: day.discountPaise,
    returnsPaise: day.returnsPaise,
    netPaise: day.netPaise,
    refundsPaise: day.refundedPaise,
    collectedPaise: day.collectedPaise,
    outstandingPaise,
  };
}
