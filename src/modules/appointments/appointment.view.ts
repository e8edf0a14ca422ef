/** What callers (API, bot, panel, doctor view) see of an appointment. */
import type { AppointmentStatus } from '../../../flows/appointment.types.js';
import type { AppointmentDoc } from './appointment.model.js';

/** An appointment as the API returns it: ids as strings, no internal keys. */
export interface AppointmentView {
  id: string;
  patientId: string;
  doctorId: string;
  slotId?: string;
  startAt: Date;
  endAt: Date;
  localDate: string;
  status: AppointmentStatus;
  source: string;
  walkIn: boolean;
  overbooked: boolean;
  tokenNumber?: number;
  prepaymentPaise: number;
  paidPaise: number;
  holdExpiresAt?: Date;
  timestamps: Partial<Record<AppointmentStatus, Date>>;
  cancellation?: { by?: string; reason?: string; refundDuePaise?: number; refundReason?: string };
  history: {
    from: string | null;
    to: string;
    event: string;
    at: Date;
    by: { id: string; type: string; roles: string[] };
    reason?: string;
  }[];
  version: number;
}

const stamps: [AppointmentStatus, keyof AppointmentDoc][] = [
  ['requested', 'requestedAt'],
  ['tentative', 'tentativeAt'],
  ['confirmed', 'confirmedAt'],
  ['checked_in', 'checkedInAt'],
  ['in_consult', 'inConsultAt'],
  ['completed', 'completedAt'],
  ['no_show', 'noShowAt'],
  ['cancelled', 'cancelledAt'],
];

/** Maps a stored appointment to its view. */
export function toAppointmentView(doc: AppointmentDoc): AppointmentView {
  const timestamps: AppointmentView['timestamps'] = {};
  for (const [status, field] of stamps) {
    const value = doc[field];
    if (value instanceof Date) timestamps[status] = value;
  }
  return {
    id: String(doc._id),
    patientId: String(doc.patientId),
    doctorId: String(doc.doctorId),
    ...(doc.slotId ? { slotId: String(doc.slotId) } : {}),
    startAt: doc.startAt,
    endAt: doc.endAt,
    localDate: doc.localDate,
    status: doc.status as AppointmentStatus,
    source: doc.source,
    walkIn: Boolean(doc.walkIn),
    overbooked: Boolean(doc.overbooked),
    ...(doc.tokenNumber ? { tokenNumber: doc.tokenNumber } : {}),
    prepaymentPaise: doc.prepaymentPaise ?? 0,
    paidPaise: doc.paidPaise ?? 0,
    ...(doc.holdExpiresAt ? { holdExpiresAt: doc.holdExpiresAt } : {}),
    timestamps,
    ...(doc.cancellation?.by ? { cancellation: { ...doc.cancellation } as AppointmentView['cancellation'] } : {}),
    history: (doc.history ?? []).map((entry) => ({
      from: (entry.from as string | null | undefined) ?? null,
      to: entry.to,
      event: entry.event,
      at: entry.at,
      by: { id: entry.by!.id, type: entry.by!.type, roles: [...(entry.by!.roles ?? [])] },
      ...(entry.reason ? { reason: entry.reason } : {}),
    })),
    version: doc.version ?? 0,
  };
}
