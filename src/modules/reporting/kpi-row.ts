/**
 * One day's KPIs as a flat row: the shape stored per doctor inside `daily_kpis`, answered by the
 * API and written to CSV column for column (so CSV and JSON cannot disagree).
 */
import type { AppointmentFact } from '../appointments/index.js';
import type { SlotDayCount } from '../scheduling/index.js';
import {
  averageWait,
  bookingsByChannel,
  bookingsCancelled,
  bookingsCompleted,
  bookingsConfirmed,
  bookingsNoShow,
  bookingsRequested,
  clinicalCompletion,
  noShowRate,
  slotUtilisation,
  timeToConfirm,
} from './kpi-definitions.js';
import type { RevenueFigures } from './kpi-definitions.js';

/** The columns of a KPI row, in CSV order. */
export const KPI_COLUMNS = [
  'date',
  'doctorId',
  'bookingsRequested',
  'bookingsConfirmed',
  'bookingsCompleted',
  'bookingsCancelled',
  'bookingsNoShow',
  'noShowRate',
  'viaWhatsapp',
  'viaFrontdesk',
  'viaWalkIn',
  'viaPortal',
  'clinicalCompleted',
  'clinicalDocumented',
  'clinicalCompletionRate',
  'confirmCount',
  'confirmMedianSeconds',
  'confirmP90Seconds',
  'whatsappConfirmMedianSeconds',
  'whatsappConfirmP90Seconds',
  'prepaidConfirmMedianSeconds',
  'prepaidConfirmP90Seconds',
  'waitCount',
  'averageWaitSeconds',
  'slotsOffered',
  'slotsBooked',
  'slotUtilisation',
  'revenueGrossPaise',
  'revenueDiscountPaise',
  'revenueReturnsPaise',
  'revenueNetPaise',
  'refundsPaise',
  'collectedPaise',
  'outstandingPaise',
] as const;

/** One column name. */
export type KpiColumn = (typeof KPI_COLUMNS)[number];

/** A day's figures for the clinic (doctorId null) or one doctor (revenue columns null: the ledger is per clinic). */
export type KpiRow = { date: string; doctorId: string | null } & Record<
  Exclude<KpiColumn, 'date' | 'doctorId'>,
  number | null
>;

/** What one row is computed from. */
export interface KpiRowInput {
  date: string;
  doctorId: string | null;
  appointments: readonly AppointmentFact[];
  confirmedThatDay: readonly AppointmentFact[];
  documented: ReadonlySet<string>;
  slots: readonly SlotDayCount[];
  revenue: RevenueFigures | null;
}

/** Builds one row from its facts (pure). */
export function kpiRow(input: KpiRowInput): KpiRow {
  const { appointments: day } = input;
  const channels = bookingsByChannel(day);
  const clinical = clinicalCompletion(day, input.documented);
  const confirm = timeToConfirm(input.confirmedThatDay);
  const wait = averageWait(day);
  const slots = slotUtilisation(day, input.slots);
  const revenue = input.revenue;
  return {
    date: input.date,
    doctorId: input.doctorId,
    bookingsRequested: bookingsRequested(day),
    bookingsConfirmed: bookingsConfirmed(day),
    bookingsCompleted: bookingsCompleted(day),
    bookingsCancelled: bookingsCancelled(day),
    bookingsNoShow: bookingsNoShow(day),
    noShowRate: noShowRate(day),
    viaWhatsapp: channels.whatsapp,
    viaFrontdesk: channels.frontdesk,
    viaWalkIn: channels.walk_in,
    viaPortal: channels.portal,
    clinicalCompleted: clinical.completed,
    clinicalDocumented: clinical.documented,
    clinicalCompletionRate: clinical.rate,
    confirmCount: confirm.all.count,
    confirmMedianSeconds: confirm.all.medianSeconds,
    confirmP90Seconds: confirm.all.p90Seconds,
    whatsappConfirmMedianSeconds: confirm.whatsapp.medianSeconds,
    whatsappConfirmP90Seconds: confirm.whatsapp.p90Seconds,
    prepaidConfirmMedianSeconds: confirm.prepaid.medianSeconds,
    prepaidConfirmP90Seconds: confirm.prepaid.p90Seconds,
    waitCount: wait.count,
    averageWaitSeconds: wait.averageSeconds,
    slotsOffered: slots.offered,
    slotsBooked: slots.booked,
    slotUtilisation: slots.rate,
    revenueGrossPaise: revenue?.grossPaise ?? null,
    revenueDiscountPaise: revenue?.discountPaise ?? null,
    revenueReturnsPaise: revenue?.returnsPaise ?? null,
    revenueNetPaise: revenue?.netPaise ?? null,
    refundsPaise: revenue?.refundsPaise ?? null,
    collectedPaise: revenue?.collectedPaise ?? null,
    outstandingPaise: revenue?.outstandingPaise ?? null,
  };
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // Quote anything a spreadsheet could misread; a leading = + - @ is neutralised against formula injection.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The rows as CSV with a header line (RFC 4180, CRLF line ends). */
export function kpiCsv(rows: readonly KpiRow[]): string {
  const lines = [KPI_COLUMNS.join(',')];
  for (const row of rows) lines.push(KPI_COLUMNS.map((column) => csvCell(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
