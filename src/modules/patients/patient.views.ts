/**
 * What callers see of contacts and patients, and what the audit trail keeps of a patient. Lists
 * carry a summary; emergency contact and medical flags appear only when one patient is opened.
 */
import type { ContactRecord, Language } from './contact.model.js';
import { ageOf, isMinor, todayInIndia } from './patient-age.js';
import type { StatedAge } from './patient-age.js';
import type { Channel, EmergencyContact, MedicalFlags, PatientRecord, Relation } from './patient.model.js';

/** A contact (phone number) as the API shows it. */
export interface ContactView {
  id: string;
  phone: string;
  preferredLanguage: Language;
  lastInboundAt?: string;
  accountHolderId?: string;
  createdAt: string;
}

/** A patient in a list: enough to pick the right person. */
export interface PatientSummary {
  id: string;
  code: string;
  name: string;
  relationToContact: Relation;
  isAccountHolder: boolean;
  contactId: string;
  /** Whole years today; a lower bound when only a stated age is known (`ageExact: false`). */
  age: number;
  ageExact: boolean;
  /** Under 18 (or possibly so): consent must come from a parent or guardian. */
  isMinor: boolean;
  sex?: string;
  active: boolean;
}

/** One patient opened: the summary plus contact number, birth facts, emergency contact and flags. */
export interface PatientDetail extends PatientSummary {
  phone: string;
  dateOfBirth?: string;
  statedAge?: StatedAge;
  birthYear: number;
  emergencyContact?: EmergencyContact;
  medicalFlags?: MedicalFlags;
  email?: string;
  source: Channel;
  /** Send it back with PATCH; a stale one gets 409. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Patient fields whose values are PHI: audit diffs keep only keyed digests of them. */
export const PATIENT_PHI_FIELDS = ['name', 'dateOfBirth', 'emergencyContact', 'medicalFlags', 'email'] as const;

/** Converts a stored contact to its API view. */
export function toContactView(contact: ContactRecord): ContactView {
  return {
    id: String(contact._id),
    phone: contact.phone,
    preferredLanguage: contact.preferredLanguage ?? 'en',
    ...(contact.lastInboundAt ? { lastInboundAt: contact.lastInboundAt.toISOString() } : {}),
    ...(contact.accountHolderId ? { accountHolderId: String(contact.accountHolderId) } : {}),
    createdAt: contact.createdAt.toISOString(),
  };
}

function birthOf(doc: PatientRecord) {
  return {
    birthYear: doc.birthYear,
    ...(doc.dateOfBirth ? { dateOfBirth: doc.dateOfBirth } : {}),
    ...(doc.statedAge ? { statedAge: { years: doc.statedAge.years, on: doc.statedAge.on } } : {}),
  };
}

/** Converts a stored patient to its list view. */
export function toPatientSummary(doc: PatientRecord, today: string = todayInIndia()): PatientSummary {
  const age = ageOf(birthOf(doc), today);
  return {
    id: String(doc._id),
    code: doc.code,
    name: doc.name,
    relationToContact: doc.relationToContact,
    isAccountHolder: doc.isAccountHolder,
    contactId: String(doc.contactId),
    age: age.years,
    ageExact: age.exact,
    isMinor: isMinor(birthOf(doc), today),
    ...(doc.sex ? { sex: doc.sex } : {}),
    active: doc.active,
  };
}

/** Converts a stored patient and its contact to the single-patient view. */
export function toPatientDetail(doc: PatientRecord, contact: ContactRecord): PatientDetail {
  return {
    ...toPatientSummary(doc),
    phone: contact.phone,
    ...birthOf(doc),
    ...(doc.emergencyContact ? { emergencyContact: doc.emergencyContact } : {}),
    ...(doc.medicalFlags ? { medicalFlags: doc.medicalFlags } : {}),
    ...(doc.email ? { email: doc.email } : {}),
    source: doc.source,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/** The stored facts an audit diff compares (PHI among them is digested by diffFields). */
export function patientAuditSnapshot(doc: PatientRecord): Record<string, unknown> {
  return {
    code: doc.code,
    contactId: String(doc.contactId),
    relationToContact: doc.relationToContact,
    isAccountHolder: doc.isAccountHolder,
    name: doc.name,
    dateOfBirth: doc.dateOfBirth,
    statedAge: doc.statedAge ? { years: doc.statedAge.years, on: doc.statedAge.on } : undefined,
    birthYear: doc.birthYear,
    sex: doc.sex,
    emergencyContact: doc.emergencyContact,
    medicalFlags: doc.medicalFlags,
    email: doc.email,
    source: doc.source,
    active: doc.active,
  };
}
