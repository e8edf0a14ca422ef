/**
 * Glue between stored appointments and the pure lifecycle machine: the machine's context from
 * the clinic's settings, the per-state timestamp each status sets, and the patient-time key that
 * keeps one patient from holding two appointments at once.
 */
import type { AppointmentContext, AppointmentStatus } from '../../../flows/appointment.types.js';
import type { ClinicView } from '../clinics/clinic.service.js';
import type { AppointmentDoc } from './appointment.model.js';

/** The timestamp field each status sets when entered (KPIs such as time-to-confirm read them). */
export const STATUS_TIMESTAMP: Record<AppointmentStatus, keyof AppointmentDoc> = {
  requested: 'requestedAt',
  tentative: 'tentativeAt',
  confirmed: 'confirmedAt',
  checked_in: 'checkedInAt',
  in_consult: 'inConsultAt',
  completed: 'completedAt',
  no_show: 'noShowAt',
  cancelled: 'cancelledAt',
};

/** Statuses in which the appointment occupies its slot and the patient's time. */
export const ACTIVE_STATUSES: readonly AppointmentStatus[] = [
  'requested',
  'tentative',
  'confirmed',
  'checked_in',
  'in_consult',
  'completed',
];

/** The unique key an active appointment holds for its patient and start time. */
export function activePatientTimeKey(patientId: string, startAt: Date): string {
  return `${patientId}|${startAt.toISOString()}`;
}

/** The key an inactive (cancelled, no-show) appointment holds: unique to itself, so it frees the time. */
export function releasedPatientTimeKey(patientId: string, startAt: Date, appointmentId: string): string {
  return `${patientId}|${startAt.toISOString()}|released|${appointmentId}`;
}

/** The context the machine's guards read, built from the appointment and its clinic's settings. */
export function lifecycleContext(
  appointment: Pick<
    AppointmentDoc,
    '_id' | 'patientId' | 'doctorId' | 'startAt' | 'prepaymentPaise' | 'paidPaise' | 'holdExpiresAt'
  > &
    Partial<Pick<AppointmentDoc, 'status' | 'cancellation'>>,
  clinic: ClinicView,
): AppointmentContext {
  const settings = clinic.scheduling;
  return {
    appointmentId: String(appointment._id),
    patientId: String(appointment.patientId),
    doctorId: String(appointment.doctorId),
    startAt: appointment.startAt,
    timezone: clinic.timezone,
    prepaymentPaise: appointment.prepaymentPaise ?? 0,
    paidPaise: appointment.paidPaise ?? 0,
    holdExpiresAt: appointment.holdExpiresAt ?? null,
    noShowGraceMinutes: settings.noShowGraceMinutes,
    cancellation: {
      patientCutoffHours: settings.patientCancelCutoffHours,
      fullRefundHours: settings.fullRefundHours,
      partialRefundHours: Math.min(settings.partialRefundHours, settings.fullRefundHours),
      partialRefundPercent: settings.partialRefundPercent,
    },
    // The system's cancel of a hold is recorded with refund reason `hold_expired` (flows/appointment.refund.ts).
    lapsedHold: appointment.status === 'cancelled' && appointment.cancellation?.refundReason === 'hold_expired',
  };
}
