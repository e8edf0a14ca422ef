/**
 * Where clinical PDFs live and what their letterhead says. The storage driver comes from config
 * (platform/storage: a local folder, or S3 in production) and is installed when the module
 * registers; keys hold ids only. Letterhead facts are read at render time from the clinic, the
 * doctor's profile and the patient; the issuer printed is the snapshot taken at issue.
 */
import type { DocumentStorage } from '../../platform/storage/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { getClinic } from '../clinics/clinic.service.js';
import { loadDoctor } from '../doctors/doctor.service.js';
import { patientRecord } from '../patients/patient.service.js';
import { toPatientSummary } from '../patients/patient.views.js';
import type { IssuedRecord } from './issued-series.js';
import type { LetterheadInfo, PatientLine } from './pdf/letterhead.js';

let storage: DocumentStorage | undefined;

/** Installs the storage clinical PDFs are written to (the module does this at registration). */
export function useClinicalDocumentStorage(driver: DocumentStorage): void {
  storage = driver;
}

function documents(): DocumentStorage {
  if (!storage) throw new AppError('storage_not_configured', 500, 'Clinical document storage is not configured');
  return storage;
}

/** The storage key of an issued document's PDF, e.g. `clinics/<id>/prescriptions/<id>-v2.pdf`. */
export function pdfKeyOf(kind: 'prescriptions' | 'diet-plans', record: IssuedRecord): string {
  return `clinics/${String(record.clinicId)}/${kind}/${String(record._id)}-v${record.version}.pdf`;
}

/** The download name of an issued document's PDF, e.g. `prescription-2026-11-25-v2.pdf` (no names). */
export function pdfFilenameOf(
  label: 'prescription' | 'diet-plan',
  record: Pick<IssuedRecord, 'issuedAt' | 'version'>,
): string {
  return `${label}-${record.issuedAt.toISOString().slice(0, 10)}-v${record.version}.pdf`;
}

/** True when a PDF is stored under `key`. */
export async function pdfExists(key: string): Promise<boolean> {
  return documents().exists(key);
}

/** Stores PDF bytes under `key`. */
export async function storePdf(key: string, body: Buffer): Promise<void> {
  await documents().put(key, body, 'application/pdf');
}

/** Reads the PDF under `key`, or null when it is missing. */
export async function readPdf(key: string): Promise<Buffer | null> {
  return (await documents().get(key))?.body ?? null;
}

/** The letterhead, patient line and timezone for an issued document. */
export async function documentContext(
  record: IssuedRecord,
): Promise<{ letterhead: LetterheadInfo; patient: PatientLine; timezone: string }> {
  const clinicId = String(record.clinicId);
  const [clinic, doctor, patient] = await Promise.all([
    getClinic(clinicId),
    loadDoctor(clinicId, String(record.doctorId)),
    patientRecord(clinicId, record.patientId),
  ]);
  if (!patient) throw notFound('Patient');
  const summary = toPatientSummary(patient);
  const address = clinic.address ?? {};
  const cityLine = [address.city, [address.state, address.pincode].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  const issuer = record.issuedBy;
  return {
    timezone: clinic.timezone,
    letterhead: {
      clinic: {
        name: clinic.name,
        addressLines: [address.line1, address.line2, cityLine].filter((line): line is string => Boolean(line)),
        ...(clinic.phone ? { phone: clinic.phone } : {}),
      },
      doctor: {
        name: issuer.name,
        ...(issuer.qualifications ? { qualifications: issuer.qualifications } : {}),
        speciality: doctor.speciality,
        ...(issuer.registrationNumber ? { registrationNumber: issuer.registrationNumber } : {}),
      },
    },
    patient: {
      name: summary.name,
      code: summary.code,
      age: `${summary.age} years`,
      ...(summary.sex ? { sex: summary.sex.charAt(0).toUpperCase() + summary.sex.slice(1) } : {}),
    },
  };
}
