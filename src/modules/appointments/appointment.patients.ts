/** The one thing appointments need from patients: that the patient exists in this clinic. */
import { Types } from 'mongoose';
import { notFound } from '../../platform/errors.js';
import { patientRecord } from '../patients/patient.service.js';

/** Throws 404 unless `patientId` is an active patient of `clinicId`. */
export async function assertPatientInClinic(clinicId: string, patientId: string): Promise<void> {
  if (!Types.ObjectId.isValid(patientId)) throw notFound('Patient');
  const patient = await patientRecord(clinicId, patientId);
  if (!patient || patient.active === false) throw notFound('Patient');
}
