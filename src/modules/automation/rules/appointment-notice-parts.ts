/** What the appointment notices share: who the patient is, where to write, and how the visit reads. */
import { formatDateTime } from '../../../../flows/booking.format.js';
import { systemActor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import { getAppointment } from '../../appointments/index.js';
import type { AppointmentView } from '../../appointments/index.js';
import { getClinic } from '../../clinics/index.js';
import type { ClinicView } from '../../clinics/index.js';
import { loadDoctor } from '../../doctors/index.js';
import { contactOfPatient } from '../../patients/index.js';

/** Everything a notice about one appointment needs, re-read now. */
export interface AppointmentNoticeContext {
  appointment: AppointmentView;
  clinic: ClinicView;
  doctorName: string;
  phone: string;
  language: 'en' | 'hi';
  when: string;
  clinicLine: string;
}

/** The appointment as it is now, or null if it is gone. */
export async function currentAppointment(clinicId: string, appointmentId: string): Promise<AppointmentView | null> {
  try {
    return await getAppointment(systemActor(clinicId, 'worker:automation'), appointmentId);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  }
}

/** The clinic's name and address on one line. */
export function clinicLineOf(clinic: ClinicView): string {
  const { line1, line2, city } = clinic.address;
  return [clinic.name, line1, line2, city].filter((part) => part && part.trim()).join(', ');
}

/** The notice context for `appointment`, or null when the patient has no number to write to. */
export async function noticeContext(
  clinicId: string,
  appointment: AppointmentView,
): Promise<AppointmentNoticeContext | null> {
  const contact = await contactOfPatient(clinicId, appointment.patientId);
  if (!contact) return null;
  const [clinic, doctor] = await Promise.all([getClinic(clinicId), loadDoctor(clinicId, appointment.doctorId)]);
  const language = contact.preferredLanguage ?? 'en';
  return {
    appointment,
    clinic,
    doctorName: doctor.name,
    phone: contact.phone,
    language,
    when: formatDateTime(appointment.startAt, language, clinic.timezone),
    clinicLine: clinicLineOf(clinic),
  };
}
