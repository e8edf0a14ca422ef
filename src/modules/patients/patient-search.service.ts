/**
 * Finding patients: by phone (the contact's blind index), by patient code, by name prefix (keyed
 * prefix tokens, then the decrypted names are checked), or the latest registrations. Pages are
 * newest first with an opaque cursor, because candidates are filtered after decryption and a
 * skip/offset would count documents that never reach the caller.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { assertCan, can } from '../../platform/rbac/can.js';
import { contactRecordByPhone } from './contact.service.js';
import { normalizePatientCode } from './patient-code.js';
import { nameMatches, nameQueryHashes } from './patient-names.js';
import { Patient } from './patient.model.js';
import type { MedicalFlags, PatientRecord } from './patient.model.js';
import { searchPatientsQuery } from './patient.schemas.js';
import type { SearchPatientsInput } from './patient.schemas.js';
import { toPatientSummary } from './patient.views.js';
import type { PatientSummary } from './patient.views.js';

/** One page of results; pass `nextCursor` back as `cursor` for the next one. */
export interface PatientPage {
  patients: PatientSummary[];
  nextCursor?: string;
}

const BATCH = 100;
/** A page stops after this many candidates even if short, and hands back a cursor to go on. */
const MAX_SCANNED = 5000;

async function collectPage(
  filter: Record<string, unknown>,
  keep: (doc: PatientRecord) => boolean,
  limit: number,
  cursor: string | undefined,
  onlyIds: readonly string[] | undefined,
): Promise<PatientPage> {
  const page: PatientRecord[] = [];
  let position = cursor;
  for (let scanned = 0; scanned < MAX_SCANNED; ) {
    const idRange = {
      ...(position ? { $lt: new Types.ObjectId(position) } : {}),
      ...(onlyIds
        ? { $in: onlyIds.filter((id) => /^[0-9a-f]{24}$/i.test(id)).map((id) => new Types.ObjectId(id)) }
        : {}),
    };
    const batch = await Patient.find({ ...filter, ...(Object.keys(idRange).length > 0 ? { _id: idRange } : {}) })
      .sort({ _id: -1 })
      .limit(BATCH)
      .lean<PatientRecord[]>();
    for (const doc of batch) {
      // A full page and one more candidate: there may be more, so hand back where we stopped.
      if (page.length === limit)
        return { patients: page.map((entry) => toPatientSummary(entry)), nextCursor: position! };
      scanned++;
      position = String(doc._id);
      if (keep(doc)) page.push(doc);
    }
    if (batch.length < BATCH) return { patients: page.map((entry) => toPatientSummary(entry)) };
  }
  return { patients: page.map((entry) => toPatientSummary(entry)), ...(position ? { nextCursor: position } : {}) };
}

/**
 * Searches the actor's clinic by one of `phone` (exact), `code` (exact, typed loosely), `name`
 * (every word a prefix of a name word), or lists the latest registrations; active patients unless
 * `includeInactive`. A patient actor finds only its own profiles.
 */
export async function searchPatients(actor: Actor, input: SearchPatientsInput = {}): Promise<PatientPage> {
  assertCan(actor, 'read', 'patients');
  const query = searchPatientsQuery.parse(input);
  const clinicId = actor.clinicId;
  const filter: Record<string, unknown> = { clinicId, ...(query.includeInactive ? {} : { active: true }) };
  let matches: (doc: PatientRecord) => boolean = () => true;

  if (query.phone !== undefined) {
    const contact = await contactRecordByPhone(clinicId, query.phone);
    if (!contact) return { patients: [] };
    filter.contactId = contact._id;
  } else if (query.code !== undefined) {
    const code = normalizePatientCode(query.code);
    if (!code) return { patients: [] };
    filter.code = code;
  } else if (query.name !== undefined) {
    const name = query.name;
    filter.namePrefixHashes = { $all: nameQueryHashes(name) };
    matches = (doc) => nameMatches(doc.name, name);
  }

  // Without a clinic-wide grant (a patient actor), only the actor's own profiles are candidates.
  const onlyIds = can(actor, 'read', 'patients', { clinicId }) ? undefined : (actor.patientIds ?? []);
  const readable = (doc: PatientRecord) => can(actor, 'read', 'patients', { clinicId, patientId: doc._id });
  return collectPage(filter, (doc) => matches(doc) && readable(doc), query.limit, query.cursor, onlyIds);
}

/** A patient in a clinical list (a doctor's queue): the summary plus the medical flags to be careful of. */
export type FlaggedPatientSummary = PatientSummary & { medicalFlags?: MedicalFlags };

/**
 * Patients of the actor's clinic by id, in one query (a day's queue names 20–40 of them); ids
 * that are malformed, unknown or not readable by the actor are left out.
 */
export async function patientsByIds(actor: Actor, ids: readonly string[]): Promise<FlaggedPatientSummary[]> {
  assertCan(actor, 'read', 'patients');
  const valid = [...new Set(ids)].filter((id) => /^[0-9a-f]{24}$/i.test(id)).map((id) => new Types.ObjectId(id));
  if (valid.length === 0) return [];
  // Uses the _id index; the clinic condition keeps other clinics' patients out.
  const docs = await Patient.find({ clinicId: actor.clinicId, _id: { $in: valid } }).lean<PatientRecord[]>();
  return docs
    .filter((doc) => can(actor, 'read', 'patients', { clinicId: actor.clinicId, patientId: doc._id }))
    .map((doc) => ({ ...toPatientSummary(doc), ...(doc.medicalFlags ? { medicalFlags: doc.medicalFlags } : {}) }));
}
