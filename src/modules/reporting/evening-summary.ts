/**
 * The owner's evening summary: the day's figures on WhatsApp at a clinic-set time, in the owner's
 * language, as a template outside the 24-hour window. Counts and money only — no patient appears.
 * Sent once per clinic and day: the message id is derived from the day, so a retried job or a
 * second worker queues nothing new.
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { formatRupees } from '../../../flows/booking.format.js';
import { log } from '../../platform/logger.js';
import { getClinic } from '../clinics/index.js';
import { sendWhatsApp } from '../messaging/index.js';
import { localDateOf } from '../scheduling/index.js';
import { computeDay } from './kpi.service.js';
import type { KpiRow } from './kpi-row.js';
import { eveningSummarySettings } from './report-settings.service.js';

const minutes = (seconds: number | null): string => (seconds === null ? '–' : `${Math.round(seconds / 60)}`);
const money = (paise: number | null): string => formatRupees(paise ?? 0);

/** The summary's one-line body parameter and full text, in English or Hindi. */
export function eveningSummaryText(
  clinicName: string,
  row: KpiRow,
  language: 'en' | 'hi',
): { line: string; text: string } {
  if (language === 'hi') {
    const line =
      `बुकिंग ${row.bookingsRequested}, पक्की ${row.bookingsConfirmed}, पूरी ${row.bookingsCompleted}, ` +
      `नहीं आए ${row.bookingsNoShow}, रद्द ${row.bookingsCancelled}; शुद्ध आय ${money(row.revenueNetPaise)}, ` +
      `वसूली ${money(row.collectedPaise)}, बकाया ${money(row.outstandingPaise)}`;
    const text = [
      `${clinicName} — आज का सार (${row.date})`,
      `बुकिंग: ${row.bookingsRequested} · पक्की ${row.bookingsConfirmed} · पूरी ${row.bookingsCompleted} · नहीं आए ${row.bookingsNoShow} · रद्द ${row.bookingsCancelled}`,
      `आय: शुद्ध ${money(row.revenueNetPaise)} (छूट ${money(row.revenueDiscountPaise)}) · वसूली ${money(row.collectedPaise)} · रिफ़ंड ${money(row.refundsPaise)} · बकाया ${money(row.outstandingPaise)}`,
      `पूरे नोट: ${row.clinicalDocumented} / ${row.clinicalCompleted}`,
      `पुष्टि में समय (मध्य): ${minutes(row.confirmMedianSeconds)} मिनट`,
    ].join('\n');
    return { line, text };
  }
  const line =
    `${row.bookingsRequested} booked, ${row.bookingsConfirmed} confirmed, ${row.bookingsCompleted} seen, ` +
    `${row.bookingsNoShow} no-show, ${row.bookingsCancelled} cancelled; net ${money(row.revenueNetPaise)}, ` +
    `collected ${money(row.collectedPaise)}, outstanding ${money(row.outstandingPaise)}`;
  const text = [
    `${clinicName} — today's summary (${row.date})`,
    `Bookings: ${row.bookingsRequested} · confirmed ${row.bookingsConfirmed} · completed ${row.bookingsCompleted} · no-show ${row.bookingsNoShow} · cancelled ${row.bookingsCancelled}`,
    `Revenue: net ${money(row.revenueNetPaise)} (discounts ${money(row.revenueDiscountPaise)}) · collected ${money(row.collectedPaise)} · refunds ${money(row.refundsPaise)} · outstanding ${money(row.outstandingPaise)}`,
    `Notes complete: ${row.clinicalDocumented} of ${row.clinicalCompleted}`,
    `Time to confirm (median): ${minutes(row.confirmMedianSeconds)} min`,
  ].join('\n');
  return { line, text };
}

/** Message id for one clinic's summary of one day: the same inputs always give the same id. */
function summaryMessageId(clinicId: string, date: string): Types.ObjectId {
  return new Types.ObjectId(
    createHash('sha256').update(`evening-summary|${clinicId}|${date}`).digest('hex').slice(0, 24),
  );
}

/** Sends today's summary to the owner if the clinic switched it on; returns what happened. */
export async function sendEveningSummary(
  clinicId: string,
  now = new Date(),
): Promise<'sent' | 'disabled' | 'no_number'> {
  const settings = await eveningSummarySettings(clinicId);
  if (!settings.enabled) return 'disabled';
  if (!settings.ownerPhone) return 'no_number';
  const clinic = await getClinic(clinicId);
  const date = localDateOf(now, clinic.timezone);
  const { clinic: row } = await computeDay(clinicId, date);
  const { line, text } = eveningSummaryText(clinic.name, row, settings.language);
  await sendWhatsApp({
    clinicId,
    to: settings.ownerPhone,
    purpose: 'report',
    message: { kind: 'text', body: text, previewUrl: false },
    template: { language: settings.language, components: { bodyParameters: [clinic.name, date, line] } },
    outboundId: summaryMessageId(clinicId, date),
  });
  log().info({ clinicId, date }, 'evening summary queued');
  return 'sent';
}
