/** The signing doctor as printed on records: a snapshot of their profile at the time of writing. */
import type { Actor } from '../../platform/actor.js';
import { forbidden } from '../../platform/errors.js';
import { loadDoctor } from '../doctors/doctor.service.js';
import type { ClinicalAuthor } from './visit.model.js';

/** The actor's doctor profile as an author (403 for staff without one). */
export async function clinicalAuthorOf(actor: Actor): Promise<ClinicalAuthor> {
  if (actor.type !== 'staff' || !actor.doctorId)
    throw forbidden('Only a doctor with a doctor profile can write clinical records', { reason: 'no_doctor_profile' });
  const doctor = await loadDoctor(actor.clinicId, actor.doctorId);
  return {
    staffId: actor.id,
    doctorId: String(doctor._id),
    name: doctor.name,
    ...(doctor.registrationNumber ? { registrationNumber: doctor.registrationNumber } : {}),
    ...(doctor.qualifications ? { qualifications: doctor.qualifications } : {}),
  };
}
