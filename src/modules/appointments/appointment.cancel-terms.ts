/**
 * What cancelling an appointment now would mean, asked of the lifecycle machine without writing
 * anything: whether the actor may cancel it (the cutoff), and the refund the clinic's rules give.
 * The bot states it before asking "Yes, cancel it"; the desk can show it before pressing Cancel.
 */
import { applyAppointmentEvent } from '../../../flows/appointment.machine.js';
import type { AppointmentStatus } from '../../../flows/appointment.types.js';
import type { Actor } from '../../platform/actor.js';
import { getClinic } from '../clinics/clinic.service.js';
import { lifecycleContext } from './appointment.lifecycle.js';
import { Appointment } from './appointment.model.js';
import type { AppointmentDoc } from './appointment.model.js';
import { getAppointment } from './appointment.service.js';

/** The terms of cancelling now, in paise and hours. */
export interface CancellationTerms {
  /** False when the actor may not cancel now (e.g. the patient inside the cutoff). */
  allowed: boolean;
  /** The machine's reason when not allowed (`cutoff_passed`, …). */
  deniedReason?: string;
  paidPaise: number;
  refundPaise: number;
  refundReason?: string;
  /** Inside this many hours before the start nothing is refunded to a patient. */
  noRefundHours: number;
  /** Inside this many hours before the start a patient cannot cancel online. */
  cutoffHours: number;
}

/** The terms on which `actor` could cancel `appointmentId` at `at` (default now); reads only. */
export async function cancellationTerms(
  actor: Actor,
  appointmentId: string,
  at: Date = new Date(),
): Promise<CancellationTerms> {
  await getAppointment(actor, appointmentId); // 404 / 403 as for reading it
  const doc = (await Appointment.findOne({ _id: appointmentId, clinicId: actor.clinicId }).lean<AppointmentDoc>())!;
  const clinic = await getClinic(actor.clinicId);
  const context = lifecycleContext(doc, clinic);
  const result = applyAppointmentEvent(doc.status as AppointmentStatus, context, { type: 'CANCEL', actor, at });
  const common = {
    paidPaise: context.paidPaise,
    noRefundHours: context.cancellation.partialRefundHours,
    cutoffHours: context.cancellation.patientCutoffHours,
  };
  if (!result.ok) return { allowed: false, deniedReason: result.reason, refundPaise: 0, ...common };
  return {
    allowed: true,
    refundPaise: result.refund?.dueAmountPaise ?? 0,
    ...(result.refund ? { refundReason: result.refund.reason } : {}),
    ...common,
  };
}
