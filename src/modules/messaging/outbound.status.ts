/**
 * Delivery statuses from Meta's webhook. They can arrive out of order and more than once, so a
 * status is applied with one conditional update that names the statuses it may follow:
 * sent < delivered < read, and failed only from queued or sent. A late or repeated report never
 * moves a message backwards; its time is still kept (`$min` on `<status>At`).
 */
import type { Types } from 'mongoose';
import { publish } from '../../platform/domain-events.js';
import { OutboundMessageModel } from './outbound.model.js';
import type { OutboundStatus } from './outbound.model.js';

/** The statuses Meta reports that this app tracks. */
export const REPORTED_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
/** One tracked reported status. */
export type ReportedStatus = (typeof REPORTED_STATUSES)[number];

/** For each reported status, the statuses a message may have for it to apply. */
export const ALLOWED_PREVIOUS: Record<ReportedStatus, readonly OutboundStatus[]> = {
  sent: ['queued'],
  delivered: ['queued', 'sent'],
  read: ['queued', 'sent', 'delivered'],
  failed: ['queued', 'sent'],
};

/** True for a status this app tracks (Meta also reports e.g. `deleted`, `warning`). */
export function isReportedStatus(status: string): status is ReportedStatus {
  return (REPORTED_STATUSES as readonly string[]).includes(status);
}

/** One status report, reduced to what is stored (ids, status, time, Meta's error code). */
export interface StatusReport {
  wamid: string;
  status: ReportedStatus;
  at: Date;
  errorCode?: number;
}

/** What applying a report did: moved the status, only noted its time, or found no such message. */
export type StatusOutcome = 'applied' | 'stale' | 'unknown';

// Tells subscribers (the SMS fallback) that a sent message did not reach the patient after all.
async function announceFailure(clinicId: string | Types.ObjectId, wamid: string, reason: string): Promise<void> {
  const record = await OutboundMessageModel.findOne({ clinicId, wamid }, { _id: 1, purpose: 1 }).lean<{
    _id: Types.ObjectId;
    purpose: string;
  }>();
  if (record)
    await publish('message.undeliverable', {
      clinicId: String(clinicId),
      outboundId: String(record._id),
      purpose: record.purpose,
      reason,
    });
}

/** Applies one report to the message with its wamid in `clinicId`; see the file comment. */
export async function applyStatusReport(
  clinicId: string | Types.ObjectId,
  report: StatusReport,
): Promise<StatusOutcome> {
  const timeField = `${report.status}At`;
  const failure =
    report.status === 'failed'
      ? { failureReason: report.errorCode === undefined ? 'meta_failed' : `meta_${report.errorCode}` }
      : {};
  const moved = await OutboundMessageModel.updateOne(
    { clinicId, wamid: report.wamid, status: { $in: ALLOWED_PREVIOUS[report.status] } },
    { $set: { status: report.status, [timeField]: report.at, ...failure } },
  );
  if (moved.matchedCount === 1) {
    if (report.status === 'failed') await announceFailure(clinicId, report.wamid, failure.failureReason!);
    return 'applied';
  }
  const noted = await OutboundMessageModel.updateOne(
    { clinicId, wamid: report.wamid },
    { $min: { [timeField]: report.at } },
  );
  return noted.matchedCount === 1 ? 'stale' : 'unknown';
}

/**
 * Applies a webhook batch's reports with one read (which wamids exist) and one ordered bulk
 * write: per report the same conditional move as applyStatusReport, followed by the `$min` that
 * keeps its time (a no-op when the move applied). Returns the reports whose message is not known
 * yet, for the caller to retry later.
 */
export async function applyStatusReports(
  clinicId: string | Types.ObjectId,
  reports: StatusReport[],
): Promise<StatusReport[]> {
  if (reports.length === 0) return [];
  const wamids = [...new Set(reports.map((report) => report.wamid))];
  const known = new Set(
    (
      await OutboundMessageModel.find({ clinicId, wamid: { $in: wamids } }, { wamid: 1 }).lean<{ wamid: string }[]>()
    ).map((message) => message.wamid),
  );
  const applicable = reports.filter((report) => known.has(report.wamid));
  if (applicable.length > 0) {
    await OutboundMessageModel.bulkWrite(
      applicable.flatMap((report) => {
        const timeField = `${report.status}At`;
        const failure =
          report.status === 'failed'
            ? { failureReason: report.errorCode === undefined ? 'meta_failed' : `meta_${report.errorCode}` }
            : {};
        return [
          {
            updateOne: {
              filter: { clinicId, wamid: report.wamid, status: { $in: [...ALLOWED_PREVIOUS[report.status]] } },
              update: { $set: { status: report.status, [timeField]: report.at, ...failure } },
            },
          },
          { updateOne: { filter: { clinicId, wamid: report.wamid }, update: { $min: { [timeField]: report.at } } } },
        ];
      }),
      { ordered: true },
    );
  }
  return reports.filter((report) => !known.has(report.wamid));
}
