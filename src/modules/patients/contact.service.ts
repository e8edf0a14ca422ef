/**
 * Contacts: one phone number and the patient profiles on it. The WhatsApp bot finds a contact by
 * the sender's number, builds the patient actor from its profiles, and records inbound messages
 * (the 24-hour window); the front desk looks numbers up before registering someone.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { blindIndexOf } from '../../platform/crypto/keyring.js';
import { notFound } from '../../platform/errors.js';
import { assertCan, can } from '../../platform/rbac/can.js';
import type { Action } from '../../platform/rbac/policy.js';
import { Contact } from './contact.model.js';
import type { ContactRecord, Language } from './contact.model.js';
import { isDuplicateKey } from './duplicate-key.js';
import { Patient } from './patient.model.js';
import type { PatientRecord } from './patient.model.js';
import { contactLookupQuery, languageSchema } from './patient.schemas.js';
import { toContactView, toPatientSummary } from './patient.views.js';
import type { ContactView, PatientSummary } from './patient.views.js';

/** A contact and the profiles on it, account holder first. */
export interface ContactLookup {
  contact: ContactView;
  profiles: PatientSummary[];
}

/** The two roles a profile can hold on its contact, each claimed by one conditional update. */
export type ContactRole = 'accountHolderId' | 'selfPatientId';

function isObjectId(id: string): boolean {
  return Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id);
}

/** The stored contact for an E.164 number in `clinicId`, or null. */
export async function contactRecordByPhone(clinicId: string, e164: string): Promise<ContactRecord | null> {
  return Contact.findOne({ clinicId, phoneHash: blindIndexOf('phone', e164) }).lean<ContactRecord>();
}

/** The stored contact `contactId` in `clinicId`, or null. */
export async function contactRecordById(
  clinicId: string,
  contactId: string | Types.ObjectId,
): Promise<ContactRecord | null> {
  if (!isObjectId(String(contactId))) return null;
  return Contact.findOne({ _id: contactId, clinicId }).lean<ContactRecord>();
}

/** The contact (WhatsApp number) a patient profile belongs to, or null: where messages for them go. */
export async function contactOfPatient(
  clinicId: string,
  patientId: string | Types.ObjectId,
): Promise<ContactRecord | null> {
  if (!isObjectId(String(patientId))) return null;
  const patient = await Patient.findOne({ _id: patientId, clinicId }, { contactId: 1 }).lean<
    Pick<PatientRecord, 'contactId'>
  >();
  return patient ? contactRecordById(clinicId, patient.contactId) : null;
}

/**
 * The contact for `e164`, created if missing. Concurrency-safe without transactions: an upsert
 * keyed on the unique (clinicId, phoneHash) index; a racer that loses the insert re-reads.
 */
export async function ensureContact(
  clinicId: string,
  e164: string,
  extras: { waId?: string; preferredLanguage?: Language } = {},
): Promise<{ contact: ContactRecord; created: boolean }> {
  // A fresh update object per attempt: mongoose seals values in place while casting.
  const upsert = () =>
    Contact.findOneAndUpdate(
      { clinicId, phoneHash: blindIndexOf('phone', e164) },
      { $setOnInsert: { clinicId, phone: e164, ...extras } },
      { upsert: true, new: true, setDefaultsOnInsert: true, includeResultMetadata: true },
    ).lean<{ value: ContactRecord; lastErrorObject?: { updatedExisting?: boolean } }>();
  let result;
  try {
    result = await upsert();
  } catch (error) {
    if (!isDuplicateKey(error, 'contact_phone_unique')) throw error;
    result = await upsert();
  }
  // MongoDB says updatedExisting: false on insert; mongo-java-server omits lastErrorObject then.
  return { contact: result.value, created: result.lastErrorObject?.updatedExisting !== true };
}

/** Makes `patientId` the contact's account holder or self profile, if nobody holds that role yet. */
export async function claimContactRole(
  clinicId: string,
  contactId: Types.ObjectId,
  role: ContactRole,
  patientId: Types.ObjectId,
): Promise<boolean> {
  const result = await Contact.updateOne({ _id: contactId, clinicId, [role]: null }, { $set: { [role]: patientId } });
  return result.modifiedCount === 1;
}

/** Gives up a role `patientId` holds (a failed registration, or a profile no longer `self`). */
export async function releaseContactRole(
  clinicId: string,
  contactId: Types.ObjectId,
  role: ContactRole,
  patientId: Types.ObjectId,
): Promise<void> {
  await Contact.updateOne({ _id: contactId, clinicId, [role]: patientId }, { $unset: { [role]: 1 } });
}

/** Profiles on a contact: the account holder first, then in order of registration. */
async function profilesOf(
  clinicId: string | Types.ObjectId,
  contact: ContactRecord,
  includeInactive: boolean,
): Promise<PatientRecord[]> {
  const docs = await Patient.find({ clinicId, contactId: contact._id, ...(includeInactive ? {} : { active: true }) })
    .sort({ _id: 1 })
    .limit(100)
    .lean<PatientRecord[]>();
  return docs.sort((a, b) => Number(b.isAccountHolder) - Number(a.isAccountHolder));
}

/** True when `actor` may `action` the contact: on every record of the clinic, or on one of its profiles. */
function mayActOnContact(actor: Actor, action: Action, clinicId: string, profiles: readonly PatientRecord[]): boolean {
  if (can(actor, action, 'patients', { clinicId })) return true;
  return profiles.some((profile) => can(actor, action, 'patients', { clinicId, patientId: profile._id }));
}

/**
 * The contact holding `phone` in the actor's clinic and the profiles on it (active ones unless
 * `includeInactive`), or null. A patient actor sees only a contact holding one of its profiles.
 */
export async function findContactByPhone(
  actor: Actor,
  phone: string,
  options: { includeInactive?: boolean } = {},
): Promise<ContactLookup | null> {
  assertCan(actor, 'read', 'patients');
  const query = contactLookupQuery.parse({ phone, ...options });
  const contact = await contactRecordByPhone(actor.clinicId, query.phone);
  if (!contact) return null;
  const profiles = await profilesOf(actor.clinicId, contact, query.includeInactive ?? false);
  if (!mayActOnContact(actor, 'read', actor.clinicId, profiles)) return null;
  const visible = profiles.filter((profile) =>
    can(actor, 'read', 'patients', { clinicId: actor.clinicId, patientId: profile._id }),
  );
  return { contact: toContactView(contact), profiles: visible.map((profile) => toPatientSummary(profile)) };
}

/**
 * Ids of the active profiles on `contactId`: what a patient actor writing from that number (bot,
 * portal) may act for — `patientIds` of its Actor.
 */
export async function patientIdsForContact(clinicId: string, contactId: string): Promise<string[]> {
  if (!isObjectId(contactId)) return [];
  const docs = await Patient.find({ clinicId, contactId, active: true }, { _id: 1 })
    .sort({ _id: 1 })
    .lean<Pick<PatientRecord, '_id'>[]>();
  return docs.map((doc) => String(doc._id));
}

/**
 * The patient actor for messages from `contactId`: acting for every active profile on the number,
 * identified by the account holder (or the contact itself before anyone is registered).
 */
export async function contactActor(clinicId: string, contactId: string): Promise<Actor> {
  const contact = await contactRecordById(clinicId, contactId);
  if (!contact) throw notFound('Contact');
  const patientIds = await patientIdsForContact(clinicId, contactId);
  return {
    type: 'patient',
    id: String(contact.accountHolderId ?? patientIds[0] ?? contact._id),
    roles: ['patient'],
    clinicId,
    patientIds,
  };
}

/**
 * Moves the contact's `lastInboundAt` forward for a WhatsApp message from `waId` (country code
 * and number, no `+`) and stores the WhatsApp id the first time. Creates nothing: a number nobody
 * registered has no contact yet. For the messaging transport, which has no actor; true when a
 * contact holds the number.
 */
export async function touchContactInbound(clinicId: string, waId: string, at: Date): Promise<boolean> {
  const phoneHash = blindIndexOf('phone', `+${waId}`);
  const result = await Contact.updateOne({ clinicId, phoneHash }, { $max: { lastInboundAt: at } });
  if (result.matchedCount === 0) return false;
  await Contact.updateOne({ clinicId, phoneHash, waId: null }, { $set: { waId } });
  return true;
}

/** Changes the language the bot and reminders use for a contact; audited. */
export async function setContactLanguage(actor: Actor, contactId: string, language: Language): Promise<ContactView> {
  assertCan(actor, 'update', 'patients');
  const chosen = languageSchema.parse(language);
  const contact = await contactRecordById(actor.clinicId, contactId);
  if (!contact) throw notFound('Contact');
  if (!mayActOnContact(actor, 'update', actor.clinicId, await profilesOf(actor.clinicId, contact, false)))
    throw notFound('Contact');
  const updated = await Contact.findOneAndUpdate(
    { _id: contact._id, clinicId: actor.clinicId },
    { $set: { preferredLanguage: chosen } },
    { new: true },
  ).lean<ContactRecord>();
  if (!updated) throw notFound('Contact');
  if (updated.preferredLanguage !== contact.preferredLanguage) {
    await audit.record({
      actor,
      action: 'contact.language_changed',
      entity: { type: 'contact', id: contact._id },
      diff: [{ field: 'preferredLanguage', from: contact.preferredLanguage, to: updated.preferredLanguage }],
    });
  }
  return toContactView(updated);
}
