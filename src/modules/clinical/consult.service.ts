/**
 * The consultation around a visit: starting it moves the appointment checked_in → in_consult and
 * opens the visit; completing it needs the signed note, moves the appointment to completed and
 * publishes `visit.completed`, from which billing raises the consultation charge.
 *
 * Completion refuses an unsigned note (422): once the appointment is completed the consultation
 * is billed and leaves the doctor's queue, so an unsigned draft would be a billed encounter with
 * no finished, tamper-evident record — and nobody would come back to sign it. Anything learnt
 * after signing goes into an addendum.
 */
import type { Actor } from '../../platform/actor.js';
import { publish } from '../../platform/domain-events.js';
import { unprocessable } from '../../platform/errors.js';
import { getAppointment, transitionAppointment } from '../appointments/appointment.service.js';
import type { AppointmentView } from '../appointments/appointment.view.js';
import { assertClinicalWrite } from './clinical-access.js';
import { getConsultBundle } from './visit-bundle.service.js';
import type { VisitBundle } from './visit-bundle.service.js';
import { visitOfAppointment } from './visit.service.js';

/** What completing returns. */
export interface CompletedConsult {
  appointment: AppointmentView;
  visitId: string;
}

/**
 * Starts the consultation: the appointment's own doctor moves it checked_in → in_consult (a
 * repeat while already in consult is accepted) and gets the visit bundle, the visit opened if
 * needed.
 */
export async function startConsult(actor: Actor, appointmentId: string): Promise<VisitBundle> {
  const appointment = await getAppointment(actor, appointmentId);
  const alreadyStarted = appointment.status === 'in_consult' && actor.doctorId === appointment.doctorId;
  if (!alreadyStarted) await transitionAppointment(actor, appointment.id, { event: 'START_CONSULT' });
  return getConsultBundle(actor, appointment.id);
}

/**
 * Completes the consultation: 422 `note_not_signed` unless the visit note is signed; then the
 * appointment moves in_consult → completed and `visit.completed` is published. A repeat after
 * success publishes the event again (so a crash between the two heals): subscribers must be
 * idempotent on the appointment id.
 */
export async function completeConsult(actor: Actor, appointmentId: string): Promise<CompletedConsult> {
  const appointment = await getAppointment(actor, appointmentId);
  assertClinicalWrite(actor, 'sign', 'visits', {
    clinicId: actor.clinicId,
    patientId: appointment.patientId,
    doctorId: appointment.doctorId,
  });
  const visit = await visitOfAppointment(actor.clinicId, appointment.id);
  if (!visit || visit.status !== 'signed') {
    throw unprocessable('Sign the visit note before completing the consultation; later changes go into an addendum', {
      reason: 'note_not_signed',
    });
  }
  const completed =
    appointment.status === 'completed'
      ? appointment
      : (await transitionAppointment(actor, appointment.id, { event: 'COMPLETE' })).appointment;
  await publish('visit.completed', {
    clinicId: actor.clinicId,
    appointmentId: appointment.id,
    visitId: String(visit._id),
    doctorId: appointment.doctorId,
    patientId: appointment.patientId,
  });
  return { appointment: completed, visitId: String(visit._id) };
}
