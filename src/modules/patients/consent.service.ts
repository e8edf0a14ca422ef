/**
 * Consent under the DPDP Act: each patient profile has its own consents per purpose, with the
 * notice version, channel and who gave it. Anyone under 18 consents through a parent or guardian:
 * by default the person holding the contact's number (the family member who registered them).
 * Withdrawal and re-consent to a newer notice change the record's state; nothing is deleted.
 */
import { Types } from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { diffFields } from '../../platform/audit/audit-diff.js';
import { publish } from '../../platform/domain-events.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { Consent } from './consent.model.js';
import type { ConsentActorRef, ConsentPurpose, ConsentRecord, ConsentStatus } from './consent.model.js';
import { contactRecordById } from './contact.service.js';
import { isDuplicateKey } from './duplicate-key.js';
import { isMinor } from './patient-age.js';
import { CHANNELS } from './patient.model.js';
import type { Channel, PatientRecord } from './patient.model.js';
import { recordConsentBody, withdrawConsentBody } from './patient.schemas.js';
import type { RecordConsentInput } from './patient.schemas.js';
import { loadPatient } from './patient.service.js';

/** A consent record as the API shows it. */
export interface ConsentView {
  id: string;
  patientId: string;
  contactId: string;
  purpose: ConsentPurpose;
  noticeVersion: string;
  status: ConsentStatus;
  grantedAt: string;
  channel: Channel;
  givenBy: 'self' | 'guardian';
  guardianContactId?: string;
  recordedBy: ConsentActorRef;
  withdrawnAt?: string;
  withdrawalChannel?: Channel;
  withdrawnBy?: ConsentActorRef;
  supersededAt?: string;
  supersededBy?: string;
}

const recordConsentInput = recordConsentBody.safeExtend({ channel: z.enum(CHANNELS) });
const withdrawConsentInput = withdrawConsentBody.safeExtend({ channel: z.enum(CHANNELS) });

function toConsentView(doc: ConsentRecord): ConsentView {
  return {
    id: String(doc._id),
    patientId: String(doc.patientId),
    contactId: String(doc.contactId),
    purpose: doc.purpose,
    noticeVersion: doc.noticeVersion,
    status: doc.status,
    grantedAt: doc.grantedAt.toISOString(),
    channel: doc.channel,
    givenBy: doc.givenBy,
    ...(doc.guardianContactId ? { guardianContactId: String(doc.guardianContactId) } : {}),
    recordedBy: { type: doc.recordedBy.type, id: doc.recordedBy.id },
    ...(doc.withdrawnAt ? { withdrawnAt: doc.withdrawnAt.toISOString() } : {}),
    ...(doc.withdrawalChannel ? { withdrawalChannel: doc.withdrawalChannel } : {}),
    ...(doc.withdrawnBy ? { withdrawnBy: { type: doc.withdrawnBy.type, id: doc.withdrawnBy.id } } : {}),
    ...(doc.supersededAt ? { supersededAt: doc.supersededAt.toISOString() } : {}),
    ...(doc.supersededBy ? { supersededBy: String(doc.supersededBy) } : {}),
  };
}

function actorRef(actor: Actor): ConsentActorRef {
  return { type: actor.type, id: actor.id };
}

/** The audit-safe facts of a consent record (ids, purpose, versions, statuses: no PHI). */
function consentFacts(doc: ConsentRecord): Record<string, unknown> {
  return {
    purpose: doc.purpose,
    noticeVersion: doc.noticeVersion,
    status: doc.status,
    channel: doc.channel,
    givenBy: doc.givenBy,
    guardianContactId: doc.guardianContactId ? String(doc.guardianContactId) : undefined,
    withdrawalChannel: doc.withdrawalChannel,
    supersededBy: doc.supersededBy ? String(doc.supersededBy) : undefined,
  };
}

/**
 * Who consents: the patient (adults only) or a guardian. A guardian's contact defaults to the
 * patient's own contact, unless the patient owns that number (relation `self`) — then the
 * guardian must be named on another contact of the clinic.
 */
async function guardianFor(
  clinicId: string,
  patient: PatientRecord,
  givenBy: 'self' | 'guardian',
  guardianContactId?: string,
): Promise<Types.ObjectId | undefined> {
  if (givenBy === 'self') {
    if (isMinor(patient)) {
      throw new AppError(
        'guardian_consent_required',
        422,
        'This patient is under 18: a parent or guardian must give consent (givenBy "guardian")',
        {
          reason: 'minor',
        },
      );
    }
    return undefined;
  }
  const ownsNumber = patient.relationToContact === 'self';
  const chosen = guardianContactId ?? (ownsNumber ? undefined : String(patient.contactId));
  if (!chosen || (ownsNumber && chosen === String(patient.contactId))) {
    throw new AppError(
      'guardian_contact_required',
      422,
      "The patient owns the number on file: give the guardian's contact (guardianContactId)",
    );
  }
  const contact = await contactRecordById(clinicId, chosen);
  if (!contact)
    throw new AppError('guardian_contact_not_found', 422, "The guardian's contact is not registered at this clinic");
  return contact._id;
}

async function supersede(
  clinicId: string,
  active: ConsentRecord,
  successorId: Types.ObjectId,
  at: Date,
): Promise<boolean> {
  const result = await Consent.updateOne(
    { _id: active._id, clinicId, status: 'granted' },
    {
      $set: {
        status: 'superseded',
        supersededAt: at,
        supersededBy: successorId,
        activeKey: `${active.activeKey}|superseded|${String(active._id)}`,
      },
    },
  );
  return result.modifiedCount === 1;
}

/**
 * Records consent for `purpose` given now. One consent per patient and purpose is granted at a
 * time: the same one again (same notice version and giver) returns it with `created: false`; a
 * different one supersedes it. A minor's consent by anyone but a guardian is refused (422).
 */
export async function recordConsent(
  actor: Actor,
  patientId: string,
  input: RecordConsentInput & { channel: Channel },
): Promise<{ consent: ConsentView; created: boolean }> {
  const data = recordConsentInput.parse(input);
  const patient = await loadPatient(actor.clinicId, patientId);
  assertCan(actor, 'create', 'consents', { clinicId: actor.clinicId, patientId: patient._id });
  const clinicId = actor.clinicId;
  const guardianContactId = await guardianFor(clinicId, patient, data.givenBy, data.guardianContactId);
  const activeKey = `${String(patient._id)}|${data.purpose}`;

  for (let attempt = 1; attempt <= 3; attempt++) {
    const active = await Consent.findOne({ clinicId, activeKey }).lean<ConsentRecord>();
    const sameGrant =
      active &&
      active.noticeVersion === data.noticeVersion &&
      active.givenBy === data.givenBy &&
      String(active.guardianContactId ?? '') === String(guardianContactId ?? '');
    if (active && sameGrant) return { consent: toConsentView(active), created: false };

    const id = new Types.ObjectId();
    const now = new Date();
    if (active && !(await supersede(clinicId, active, id, now))) continue;
    let doc: ConsentRecord;
    try {
      doc = (
        await Consent.create({
          _id: id,
          clinicId,
          patientId: patient._id,
          contactId: patient.contactId,
          purpose: data.purpose,
          noticeVersion: data.noticeVersion,
          status: 'granted',
          grantedAt: now,
          channel: data.channel,
          givenBy: data.givenBy,
          ...(guardianContactId ? { guardianContactId } : {}),
          recordedBy: actorRef(actor),
          activeKey,
        })
      ).toObject() as ConsentRecord;
    } catch (error) {
      // Someone recorded the same purpose at this moment: look again at what is now active.
      if (isDuplicateKey(error, 'consent_active_unique')) continue;
      throw error;
    }
    if (active) {
      await audit.record({
        actor,
        action: 'consent.superseded',
        entity: { type: 'consent', id: active._id },
        diff: [
          { field: 'status', from: 'granted', to: 'superseded' },
          { field: 'supersededBy', to: String(id) },
        ],
      });
    }
    await audit.record({
      actor,
      action: 'consent.granted',
      entity: { type: 'consent', id: doc._id },
      diff: diffFields(null, consentFacts(doc)),
    });
    await publish('consent.changed', {
      clinicId,
      patientId: String(patient._id),
      consentId: String(doc._id),
      purpose: doc.purpose,
      status: doc.status,
    });
    return { consent: toConsentView(doc), created: true };
  }
  throw conflict('Consent for this purpose changed while it was being recorded; try again', {
    reason: 'consent_contention',
  });
}

/** Withdraws a granted consent now (a new state of the record, never a delete); 409 when it is not granted. */
export async function withdrawConsent(
  actor: Actor,
  patientId: string,
  consentId: string,
  input: { channel: Channel },
): Promise<ConsentView> {
  const data = withdrawConsentInput.parse(input);
  const patient = await loadPatient(actor.clinicId, patientId);
  assertCan(actor, 'update', 'consents', { clinicId: actor.clinicId, patientId: patient._id });
  const clinicId = actor.clinicId;
  const current = /^[0-9a-f]{24}$/i.test(consentId)
    ? await Consent.findOne({ _id: consentId, clinicId, patientId: patient._id }).lean<ConsentRecord>()
    : null;
  if (!current) throw notFound('Consent');
  const notGranted = (status: string) =>
    conflict(`This consent is ${status}, not granted`, { reason: 'consent_not_granted', currentStatus: status });
  if (current.status !== 'granted') throw notGranted(current.status);

  const updated = await Consent.findOneAndUpdate(
    { _id: current._id, clinicId, status: 'granted' },
    {
      $set: {
        status: 'withdrawn',
        withdrawnAt: new Date(),
        withdrawalChannel: data.channel,
        withdrawnBy: actorRef(actor),
        activeKey: `${current.activeKey}|withdrawn|${String(current._id)}`,
      },
    },
    { new: true },
  ).lean<ConsentRecord>();
  if (!updated)
    throw notGranted((await Consent.findOne({ _id: current._id, clinicId }).lean<ConsentRecord>())?.status ?? 'gone');

  await audit.record({
    actor,
    action: 'consent.withdrawn',
    entity: { type: 'consent', id: current._id },
    diff: diffFields(consentFacts(current), consentFacts(updated)),
  });
  await publish('consent.changed', {
    clinicId,
    patientId: String(patient._id),
    consentId: String(current._id),
    purpose: updated.purpose,
    status: updated.status,
  });
  return toConsentView(updated);
}

/** A patient's consent history, newest first. */
export async function listConsents(actor: Actor, patientId: string): Promise<ConsentView[]> {
  const patient = await loadPatient(actor.clinicId, patientId);
  assertCan(actor, 'read', 'consents', { clinicId: actor.clinicId, patientId: patient._id });
  const docs = await Consent.find({ clinicId: actor.clinicId, patientId: patient._id })
    .sort({ grantedAt: -1, _id: -1 })
    .limit(500)
    .lean<ConsentRecord[]>();
  return docs.map(toConsentView);
}

/** True when the patient has a granted consent for `purpose` (e.g. reminders before sending one). */
export async function hasActiveConsent(actor: Actor, patientId: string, purpose: ConsentPurpose): Promise<boolean> {
  assertCan(actor, 'read', 'consents', { clinicId: actor.clinicId, patientId });
  return (await Consent.exists({ clinicId: actor.clinicId, activeKey: `${patientId}|${purpose}` })) !== null;
}

/** Where a patient stands on a purpose, for senders deciding whether they may contact them. */
export type ConsentStanding = 'granted' | 'refused' | 'unrecorded';

/**
 * `granted` when a consent for `purpose` is in force; `refused` when the patient has consents on
 * record but not this one (withdrawn, or not given when asked); `unrecorded` when they have none
 * at all (registered at a desk that records no consents, or before consent capture existed).
 */
export async function consentStanding(
  clinicId: string,
  patientId: string,
  purpose: ConsentPurpose,
): Promise<ConsentStanding> {
  if ((await Consent.exists({ clinicId, activeKey: `${patientId}|${purpose}` })) !== null) return 'granted';
  // Uses the { clinicId, patientId, grantedAt } history index.
  return (await Consent.exists({ clinicId, patientId })) !== null ? 'refused' : 'unrecorded';
}
