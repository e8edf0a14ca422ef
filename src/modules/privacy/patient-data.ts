/**
 * Reads everything the data map says is held about one patient, as plain objects with encrypted
 * fields opened (each model's own plugin does that on lean reads). Number-linked collections
 * (messages, conversation) belong to the whole family on the number, so they are included only
 * when the patient holds the number (relation `self` or the account holder) or is its only profile.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { blindIndexOf } from '../../platform/crypto/keyring.js';
import { contactRecordById, loadPatient, patientIdsForContact } from '../patients/index.js';
import type { PatientRecord } from '../patients/index.js';
import { DATA_MAP, NUMBER_LINKS } from './data-map.js';
import type { DataMapEntry } from './data-map.js';

/** The keys that tie records to a patient. */
export interface PatientKeys {
  clinicId: string;
  patientId: Types.ObjectId;
  contactId: Types.ObjectId;
  phoneHash?: string;
  /** Whether number-linked records are this patient's to see and to erase. */
  ownsNumber: boolean;
  patient: PatientRecord;
}

/** The ids and hashes under which `patientId`'s data is filed. */
export async function patientKeys(clinicId: string, patientId: string): Promise<PatientKeys> {
  const patient = await loadPatient(clinicId, patientId);
  const contact = await contactRecordById(clinicId, patient.contactId);
  const family = await patientIdsForContact(clinicId, String(patient.contactId));
  const ownsNumber =
    patient.relationToContact === 'self' ||
    patient.isAccountHolder ||
    family.filter((id) => id !== String(patient._id)).length === 0;
  return {
    clinicId,
    patientId: patient._id,
    contactId: patient.contactId,
    ...(contact ? { phoneHash: blindIndexOf('phone', contact.phone) } : {}),
    ownsNumber,
    patient,
  };
}

/** The query finding `entry`'s documents for `keys`, or null when they are not this patient's. */
export function queryFor(entry: DataMapEntry, keys: PatientKeys): Record<string, unknown> | null {
  if (NUMBER_LINKS.includes(entry.link) && entry.link !== 'contactSelf' && !keys.ownsNumber) return null;
  const clinicId = keys.clinicId;
  switch (entry.link) {
    case 'patientId':
      return { clinicId, patientId: keys.patientId };
    case 'patientSelf':
      return { clinicId, _id: keys.patientId };
    case 'contactSelf':
      return { clinicId, _id: keys.contactId };
    case 'phoneHash':
      return keys.phoneHash ? { clinicId, phoneHash: keys.phoneHash } : null;
    case 'waHash':
      return keys.phoneHash ? { clinicId, waHash: keys.phoneHash } : null;
    case 'toHash':
      return keys.phoneHash ? { clinicId, toHash: keys.phoneHash } : null;
    case 'auditEntity':
      return { clinicId, 'entity.id': String(keys.patientId) };
  }
}

/** The model registered under `name` (every module registers its models at boot). */
export function modelNamed(name: string): mongoose.Model<Record<string, unknown>> {
  return mongoose.model<Record<string, unknown>>(name);
}

/** Everything held about the patient: per data-map entry, its documents (opened). */
export async function collectPatientData(
  keys: PatientKeys,
): Promise<{ entry: DataMapEntry; collection: string; documents: Record<string, unknown>[] }[]> {
  const out = [];
  for (const entry of DATA_MAP) {
    const query = queryFor(entry, keys);
    if (!query || !mongoose.modelNames().includes(entry.model)) continue;
    const model = modelNamed(entry.model);
    const documents = (await model.find(query).limit(5000).lean()) as Record<string, unknown>[];
    out.push({ entry, collection: model.collection.name, documents });
  }
  return out;
}
