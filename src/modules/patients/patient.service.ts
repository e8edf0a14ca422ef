/**
 * Patient profiles: registration (front desk, WhatsApp self-registration, portal later), reading
 * one patient and updating baseline details. Every query carries the actor's clinic; every change
 * is audited with PHI digested, never in plaintext.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { diffFields } from '../../platform/audit/audit-diff.js';
import { nextSequence } from '../../platform/counters.js';
import { publish } from '../../platform/domain-events.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import {
  claimContactRole,
  contactRecordById,
  contactRecordByPhone,
  ensureContact,
  releaseContactRole,
} from './contact.service.js';
import type { ContactRole } from './contact.service.js';
import type { ContactRecord } from './contact.model.js';
import { isDuplicateKey } from './duplicate-key.js';
import { birthFacts } from './patient-age.js';
import { formatPatientCode } from './patient-code.js';
import { namePrefixHashes, patientIdentityKey } from './patient-names.js';
import { Patient } from './patient.model.js';
import type { PatientRecord } from './patient.model.js';
import { registerPatientInput, updatePatientInput } from './patient.schemas.js';
import type { RegisterPatientInput, UpdatePatientInput } from './patient.schemas.js';
import { PATIENT_PHI_FIELDS, patientAuditSnapshot, toContactView, toPatientDetail } from './patient.views.js';
import type { ContactView, PatientDetail } from './patient.views.js';

/** What registration returns: the new profile and the contact it joined (`created` when new). */
export interface RegisteredPatient {
  patient: PatientDetail;
  contact: ContactView & { created: boolean };
}

/** A stored patient of `clinicId`, or null (also for ids that are not ids). */
export async function patientRecord(
  clinicId: string,
  patientId: string | Types.ObjectId,
): Promise<PatientRecord | null> {
  if (!Types.ObjectId.isValid(String(patientId)) || !/^[0-9a-f]{24}$/i.test(String(patientId))) return null;
  return Patient.findOne({ _id: patientId, clinicId }).lean<PatientRecord>();
}

/** The stored patient `patientId` of `clinicId`, or 404 — for this module's services. */
export async function loadPatient(clinicId: string, patientId: string | Types.ObjectId): Promise<PatientRecord> {
  const doc = await patientRecord(clinicId, patientId);
  if (!doc) throw notFound('Patient');
  return doc;
}

function duplicateProfile(patientId: Types.ObjectId | string | undefined): AppError {
  return new AppError('patient_exists', 409, 'A patient with this name is already registered on this number', {
    ...(patientId ? { patientId: String(patientId) } : {}),
  });
}

function selfTaken(contact: Pick<ContactRecord, 'selfPatientId'> | null): AppError {
  return new AppError(
    'self_profile_exists',
    409,
    'This number already has its owner\'s profile (relation "self"); register others with their relation',
    {
      ...(contact?.selfPatientId ? { patientId: String(contact.selfPatientId) } : {}),
    },
  );
}

async function idByIdentity(clinicId: string, identityKey: string): Promise<Types.ObjectId | undefined> {
  return (await Patient.findOne({ clinicId, identityKey }, { _id: 1 }).lean<Pick<PatientRecord, '_id'>>())?._id;
}

/** A patient actor (bot, portal) may add profiles only to a number that already holds one of theirs. */
async function assertOwnNumber(actor: Actor, phone: string): Promise<void> {
  const contact = await contactRecordByPhone(actor.clinicId, phone);
  const ownIds = new Set(actor.patientIds ?? []);
  const theirs = contact
    ? await Patient.exists({ clinicId: actor.clinicId, contactId: contact._id, _id: { $in: [...ownIds] } })
    : null;
  if (!theirs)
    throw new AppError('forbidden', 403, 'Patients may add family members only to their own number', {
      reason: 'record_rule',
    });
}

/** Inserts the patient under the next code of the clinic's counter. */
async function insertWithCode(
  fields: Omit<PatientRecord, 'code' | 'createdAt' | 'updatedAt' | 'version' | 'active'>,
): Promise<PatientRecord> {
  for (let attempt = 1; ; attempt++) {
    const code = formatPatientCode(await nextSequence(`patient-code|${String(fields.clinicId)}`));
    try {
      return (await Patient.create({ ...fields, code })).toObject() as PatientRecord;
    } catch (error) {
      // Codes come from a counter, so a clash means it went backwards (a restored backup): take the next one.
      if (!isDuplicateKey(error, 'patient_code_unique') || attempt >= 5) throw error;
    }
  }
}

/**
 * Registers a patient profile on the contact for `input.phone`, creating the contact if the
 * number is new (race-free: concurrent registrations of one number share one contact). The first
 * profile on a contact becomes its account holder; at most one profile is `self`. 409
 * `patient_exists` (with `patientId`) when the same name is already on the number. Patient actors
 * may only add to their own number; first registration from WhatsApp uses the webhook's system actor.
 */
export async function registerPatient(actor: Actor, input: RegisterPatientInput): Promise<RegisteredPatient> {
  assertCan(actor, 'create', 'patients', { clinicId: actor.clinicId });
  const data = registerPatientInput.parse(input);
  const clinicId = actor.clinicId;
  if (actor.patientIds) await assertOwnNumber(actor, data.phone);

  const { contact, created } = await ensureContact(clinicId, data.phone, {
    ...(data.waId ? { waId: data.waId } : {}),
    ...(data.preferredLanguage ? { preferredLanguage: data.preferredLanguage } : {}),
  });
  if (created) {
    await audit.record({
      actor,
      action: 'contact.created',
      entity: { type: 'contact', id: contact._id },
      diff: diffFields(
        null,
        { phone: contact.phone, waId: contact.waId, preferredLanguage: contact.preferredLanguage },
        { phi: ['phone', 'waId'] },
      ),
    });
  }

  const identityKey = patientIdentityKey(String(contact._id), data.name);
  // A fast, friendly answer for the usual retry; the unique index below is what makes it race-free.
  const existing = await idByIdentity(clinicId, identityKey);
  if (existing) throw duplicateProfile(existing);

  const patientId = new Types.ObjectId();
  const claimed: ContactRole[] = [];
  if (data.relationToContact === 'self') {
    if (!(await claimContactRole(clinicId, contact._id, 'selfPatientId', patientId)))
      throw selfTaken(await contactRecordById(clinicId, contact._id));
    claimed.push('selfPatientId');
  }
  const isAccountHolder = await claimContactRole(clinicId, contact._id, 'accountHolderId', patientId);
  if (isAccountHolder) claimed.push('accountHolderId');

  let doc: PatientRecord;
  try {
    doc = await insertWithCode({
      _id: patientId,
      clinicId: new Types.ObjectId(clinicId),
      contactId: contact._id,
      relationToContact: data.relationToContact,
      isAccountHolder,
      name: data.name,
      namePrefixHashes: namePrefixHashes(data.name),
      identityKey,
      ...birthFacts(data),
      ...(data.sex ? { sex: data.sex } : {}),
      ...(data.emergencyContact ? { emergencyContact: data.emergencyContact } : {}),
      ...(data.medicalFlags ? { medicalFlags: data.medicalFlags } : {}),
      source: data.source,
    });
  } catch (error) {
    for (const role of claimed) await releaseContactRole(clinicId, contact._id, role, patientId);
    if (isDuplicateKey(error, 'patient_identity_unique'))
      throw duplicateProfile(await idByIdentity(clinicId, identityKey));
    throw error;
  }

  await audit.record({
    actor,
    action: 'patient.registered',
    entity: { type: 'patient', id: doc._id },
    diff: diffFields(null, patientAuditSnapshot(doc), { phi: PATIENT_PHI_FIELDS }),
  });
  await publish('patient.registered', {
    clinicId,
    patientId: String(doc._id),
    contactId: String(contact._id),
    source: data.source,
  });
  const joined = isAccountHolder ? { ...contact, accountHolderId: patientId } : contact;
  return { patient: toPatientDetail(doc, joined), contact: { ...toContactView(joined), created } };
}

/** One patient with contact number, birth facts, emergency contact and medical flags; 404 outside the clinic. */
export async function getPatient(actor: Actor, patientId: string): Promise<PatientDetail> {
  const doc = await loadPatient(actor.clinicId, patientId);
  assertCan(actor, 'read', 'patients', { clinicId: actor.clinicId, patientId: doc._id });
  const contact = await contactRecordById(actor.clinicId, doc.contactId);
  if (!contact) throw notFound('Contact');
  return toPatientDetail(doc, contact);
}

function staleVersion(currentVersion: number | undefined): AppError {
  return conflict('The patient was changed by someone else; reload and try again', {
    reason: 'stale_version',
    ...(currentVersion === undefined ? {} : { currentVersion }),
  });
}

/** The $set / $unset that apply a parsed patch to `before`. */
function updateFor(before: PatientRecord, data: ReturnType<typeof updatePatientInput.parse>) {
  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  if (data.name !== undefined) {
    set.name = data.name;
    set.namePrefixHashes = namePrefixHashes(data.name);
    set.identityKey = patientIdentityKey(String(before.contactId), data.name);
  }
  if (data.dateOfBirth !== undefined || data.ageYears !== undefined) {
    const facts = birthFacts(data);
    set.birthYear = facts.birthYear;
    if (facts.dateOfBirth) {
      set.dateOfBirth = facts.dateOfBirth;
      unset.statedAge = 1;
    } else {
      set.statedAge = facts.statedAge;
      unset.dateOfBirth = 1;
    }
  }
  for (const field of ['sex', 'emergencyContact', 'medicalFlags', 'email'] as const) {
    // null clears a field; encrypted ones are always written whole.
    if (data[field] === null) unset[field] = 1;
    else if (data[field] !== undefined) set[field] = data[field];
  }
  if (data.relationToContact !== undefined) set.relationToContact = data.relationToContact;
  if (data.active !== undefined) set.active = data.active;
  return { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}), $inc: { version: 1 } };
}

/**
 * Updates baseline details (name, birth, sex, relation, emergency contact, medical flags, active).
 * `version` must match the stored one (409 `stale_version` otherwise); without it the write is
 * still conditional on the version read here, so two racing updates never silently merge.
 */
export async function updatePatient(
  actor: Actor,
  patientId: string,
  patch: UpdatePatientInput,
): Promise<PatientDetail> {
  const data = updatePatientInput.parse(patch);
  const before = await loadPatient(actor.clinicId, patientId);
  assertCan(actor, 'update', 'patients', { clinicId: actor.clinicId, patientId: before._id });
  if (data.version !== undefined && data.version !== before.version) throw staleVersion(before.version);

  const clinicId = actor.clinicId;
  const becomesSelf = data.relationToContact === 'self' && before.relationToContact !== 'self';
  const leavesSelf =
    data.relationToContact !== undefined && data.relationToContact !== 'self' && before.relationToContact === 'self';
  if (becomesSelf && !(await claimContactRole(clinicId, before.contactId, 'selfPatientId', before._id))) {
    throw selfTaken(await contactRecordById(clinicId, before.contactId));
  }
  let after: PatientRecord | null;
  try {
    after = await Patient.findOneAndUpdate(
      { _id: before._id, clinicId, version: before.version },
      updateFor(before, data),
      {
        new: true,
        runValidators: true,
      },
    ).lean<PatientRecord>();
  } catch (error) {
    if (becomesSelf) await releaseContactRole(clinicId, before.contactId, 'selfPatientId', before._id);
    if (isDuplicateKey(error, 'patient_identity_unique'))
      throw duplicateProfile(
        await idByIdentity(clinicId, patientIdentityKey(String(before.contactId), data.name ?? '')),
      );
    throw error;
  }
  if (!after) {
    if (becomesSelf) await releaseContactRole(clinicId, before.contactId, 'selfPatientId', before._id);
    throw staleVersion((await patientRecord(clinicId, before._id))?.version);
  }
  if (leavesSelf) await releaseContactRole(clinicId, before.contactId, 'selfPatientId', before._id);

  const diff = diffFields(patientAuditSnapshot(before), patientAuditSnapshot(after), { phi: PATIENT_PHI_FIELDS });
  if (diff.length > 0)
    await audit.record({ actor, action: 'patient.updated', entity: { type: 'patient', id: before._id }, diff });
  const contact = await contactRecordById(clinicId, after.contactId);
  if (!contact) throw notFound('Contact');
  return toPatientDetail(after, contact);
}
