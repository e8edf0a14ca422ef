/**
 * Computing and keeping the daily KPIs. `computeDay` gathers one clinic day's facts from the
 * owning modules (appointments, clinical, scheduling, ledger) and builds the clinic's row and one
 * per doctor; `rebuildDays` stores them (replacing, so a re-run changes nothing); `kpiRows` reads
 * stored days and computes any missing one live; `todayRows` is the live snapshot, cached briefly.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { badRequest, forbidden, unprocessable } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { appointmentFactsConfirmedBetween, appointmentFactsOfDays } from '../appointments/index.js';
import type { AppointmentFact } from '../appointments/index.js';
import { completelyDocumentedAppointments } from '../clinical/index.js';
import { getClinic } from '../clinics/index.js';
import { clinicRevenue, receivableBalance } from '../ledger/index.js';
import { addLocalDays, localDateOf, parseLocalDate, slotCountsOfDays, zonedTimeToUtc } from '../scheduling/index.js';
import type { SlotDayCount } from '../scheduling/index.js';
import { DailyKpi } from './daily-kpi.model.js';
import type { DailyKpiRecord } from './daily-kpi.model.js';
import { revenueFigures } from './kpi-definitions.js';
import { kpiRow } from './kpi-row.js';
import type { KpiRow } from './kpi-row.js';

/** The longest range one request or rebuild may cover. */
export const MAX_KPI_DAYS = 366;

/** One clinic day: the clinic's row and one per doctor. */
export interface KpiDay {
  date: string;
  clinic: KpiRow;
  doctors: KpiRow[];
}

function groupByDoctor<T extends { doctorId: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.doctorId, [...(groups.get(item.doctorId) ?? []), item]);
  return groups;
}

/** Computes one clinic-local day from the live records (nothing is stored). */
export async function computeDay(clinicId: string, date: string): Promise<KpiDay> {
  const { timezone } = await getClinic(clinicId);
  const dayStart = zonedTimeToUtc(date, '00:00', timezone);
  const nextDayStart = zonedTimeToUtc(addLocalDays(date, 1), '00:00', timezone);
  const [appointments, confirmedThatDay, slots, revenue, outstandingPaise] = await Promise.all([
    appointmentFactsOfDays(clinicId, date, date),
    appointmentFactsConfirmedBetween(clinicId, dayStart, nextDayStart),
    slotCountsOfDays(clinicId, date, date),
    clinicRevenue(clinicId, date, date),
    receivableBalance(clinicId, date),
  ]);
  const completedIds = appointments.filter((fact) => fact.status === 'completed').map((fact) => fact.id);
  const documented = await completelyDocumentedAppointments(clinicId, completedIds);

  const clinic = kpiRow({
    date,
    doctorId: null,
    appointments,
    confirmedThatDay,
    documented,
    slots,
    revenue: revenueFigures(revenue.days[0]!, outstandingPaise),
  });
  const byDoctor = groupByDoctor<AppointmentFact>(appointments);
  const confirmedByDoctor = groupByDoctor<AppointmentFact>(confirmedThatDay);
  const slotsByDoctor = groupByDoctor<SlotDayCount>(slots);
  const doctorIds = [...new Set([...byDoctor.keys(), ...confirmedByDoctor.keys(), ...slotsByDoctor.keys()])].sort();
  const doctors = doctorIds.map((doctorId) =>
    kpiRow({
      date,
      doctorId,
      appointments: byDoctor.get(doctorId) ?? [],
      confirmedThatDay: confirmedByDoctor.get(doctorId) ?? [],
      documented,
      slots: slotsByDoctor.get(doctorId) ?? [],
      revenue: null,
    }),
  );
  return { date, clinic, doctors };
}

/** Checks a `from`–`to` range of calendar dates and lists its days. */
export function daysOf(from: string, to: string): string[] {
  for (const date of [from, to]) {
    try {
      parseLocalDate(date);
    } catch {
      throw badRequest(`${date} is not a calendar date (YYYY-MM-DD)`);
    }
  }
  if (from > to) throw unprocessable('`from` must not be after `to`', { from, to });
  const days: string[] = [];
  for (let day = from; day <= to && days.length <= MAX_KPI_DAYS; day = addLocalDays(day, 1)) days.push(day);
  if (days.length > MAX_KPI_DAYS) throw unprocessable(`Ask for at most ${MAX_KPI_DAYS} days at a time`, { from, to });
  return days;
}

/**
 * Computes and stores every day of `from`–`to` for the clinic, each replacing what was there:
 * the nightly job, the API's rebuild and `npm run kpis` all come here. Returns the days written.
 */
export async function rebuildDays(clinicId: string, from: string, to: string): Promise<string[]> {
  const days = daysOf(from, to);
  for (const date of days) {
    const day = await computeDay(clinicId, date);
    await DailyKpi.replaceOne(
      { clinicId: new Types.ObjectId(clinicId), date },
      {
        clinicId: new Types.ObjectId(clinicId),
        date,
        computedAt: new Date(),
        clinic: day.clinic,
        doctors: day.doctors,
      },
      { upsert: true },
    );
  }
  return days;
}

/** The doctor whose figures an actor may read: a doctor only their own; others any (or the clinic's). */
function scopeFor(actor: Actor, action: 'read' | 'export', doctorId: string | undefined): string | undefined {
  if (actor.roles.includes('doctor') && !actor.roles.some((role) => role === 'admin' || role === 'accounts')) {
    if (doctorId && doctorId !== actor.doctorId) throw forbidden('Doctors see their own figures only');
    assertCan(actor, action, 'kpis', { clinicId: actor.clinicId, doctorId: actor.doctorId });
    return actor.doctorId;
  }
  assertCan(actor, action, 'kpis', { clinicId: actor.clinicId, ...(doctorId ? { doctorId } : {}) });
  return doctorId;
}

function rowFor(day: Pick<KpiDay, 'date' | 'clinic' | 'doctors'>, doctorId: string | undefined): KpiRow {
  if (!doctorId) return day.clinic;
  const found = day.doctors.find((row) => row.doctorId === doctorId);
  // A doctor with nothing that day still gets a row of zeros (computed from no facts).
  return (
    found ??
    kpiRow({
      date: day.date,
      doctorId,
      appointments: [],
      confirmedThatDay: [],
      documented: new Set(),
      slots: [],
      revenue: null,
    })
  );
}

/** Rows of `from`–`to` for the clinic or one doctor: stored days as written, missing days computed live. */
export async function kpiRows(
  actor: Actor,
  query: { from: string; to: string; doctorId?: string; format?: 'json' | 'csv' },
): Promise<{ from: string; to: string; doctorId: string | null; rows: KpiRow[] }> {
  const doctorId = scopeFor(actor, query.format === 'csv' ? 'export' : 'read', query.doctorId);
  const days = daysOf(query.from, query.to);
  const stored = await DailyKpi.find({
    clinicId: new Types.ObjectId(actor.clinicId),
    date: { $gte: query.from, $lte: query.to },
  }).lean<DailyKpiRecord[]>();
  const byDate = new Map(stored.map((day) => [day.date, day]));
  const rows: KpiRow[] = [];
  for (const date of days) rows.push(rowFor(byDate.get(date) ?? (await computeDay(actor.clinicId, date)), doctorId));
  return { from: query.from, to: query.to, doctorId: doctorId ?? null, rows };
}

const SNAPSHOT_TTL_MS = 5_000;
const snapshots = new Map<string, { at: number; day: Promise<KpiDay> }>();

/** Today's figures computed live, cached for a few seconds per clinic so a busy board costs one computation. */
export async function todayRow(
  actor: Actor,
  query: { doctorId?: string; format?: 'json' | 'csv' },
  now = new Date(),
): Promise<KpiRow> {
  const doctorId = scopeFor(actor, query.format === 'csv' ? 'export' : 'read', query.doctorId);
  const { timezone } = await getClinic(actor.clinicId);
  const date = localDateOf(now, timezone);
  const key = `${actor.clinicId}|${date}`;
  let cached = snapshots.get(key);
  if (!cached || now.getTime() - cached.at > SNAPSHOT_TTL_MS) {
    cached = { at: now.getTime(), day: computeDay(actor.clinicId, date) };
    snapshots.set(key, cached);
    cached.day.catch(() => snapshots.delete(key));
  }
  return rowFor(await cached.day, doctorId);
}

/** Forgets cached snapshots (a test that changes records mid-second, or a clinic's day rolling over). */
export function clearTodaySnapshots(): void {
  snapshots.clear();
}
