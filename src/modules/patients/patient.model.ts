/**
 * A patient profile: one person, with their own code, records and consents, reached through a
 * contact (the phone number they share with their family). Name, date of birth, emergency contact
 * and medical flags are encrypted; names are searchable by prefix through keyed tokens
 * (patient-names.ts), never stored in plaintext.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';
import type { StatedAge } from './patient-age.js';

/** How a profile relates to the person who owns the contact's number. */
export const RELATIONS = ['self', 'child', 'parent', 'spouse', 'sibling', 'other'] as const;
/** One relation to the contact. */
export type Relation = (typeof RELATIONS)[number];
/** Recorded sex, optional. */
export const SEXES = ['female', 'male', 'other'] as const;
/** Where a registration or consent came from. */
export const CHANNELS = ['whatsapp', 'frontdesk', 'portal'] as const;
/** One channel. */
export type Channel = (typeof CHANNELS)[number];

/** Someone to call in an emergency (stored encrypted as a whole). */
export interface EmergencyContact {
  name: string;
  phone: string;
  relation: string;
}

/** Allergies, conditions and a short note (stored encrypted as a whole). */
export interface MedicalFlags {
  allergies: string[];
  conditions: string[];
  notes?: string;
}

/** A patient as stored, with encrypted fields opened (lean reads through the model). */
export interface PatientRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  contactId: Types.ObjectId;
  code: string;
  relationToContact: Relation;
  isAccountHolder: boolean;
  name: string;
  namePrefixHashes: string[];
  identityKey: string;
  dateOfBirth?: string;
  statedAge?: StatedAge;
  birthYear: number;
  sex?: (typeof SEXES)[number];
  emergencyContact?: EmergencyContact;
  medicalFlags?: MedicalFlags;
  email?: string;
  source: Channel;
  active: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const statedAgeSchema = new mongoose.Schema(
  {
    years: { type: Number, required: true, min: 0, max: 130 },
    /** The day the age was stated (YYYY-MM-DD); the age grows from there. */
    on: { type: String, required: true },
  },
  { _id: false },
);

const patientSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, ref: 'Clinic', required: true },
    contactId: { type: mongoose.Schema.Types.ObjectId, ref: 'Contact', required: true },
    /** Short human-friendly code such as `CN-7K3QX` (patient-code.ts). */
    code: { type: String, required: true },
    relationToContact: { type: String, enum: RELATIONS, required: true },
    isAccountHolder: { type: Boolean, default: false },
    /** Encrypted. */
    name: { type: String, required: true },
    /** Keyed hashes of the name's word prefixes, for prefix search. */
    namePrefixHashes: { type: [String], default: [] },
    /** Keyed hash of contact + normalised name: the same person registered twice on one number. */
    identityKey: { type: String, required: true },
    /** YYYY-MM-DD, encrypted; absent when only an age was given. */
    dateOfBirth: { type: String },
    statedAge: { type: statedAgeSchema },
    /** Exact with a date of birth, estimated from a stated age; kept plain for age bands in reports. */
    birthYear: { type: Number, required: true },
    sex: { type: String, enum: SEXES },
    /** { name, phone, relation }, encrypted. */
    emergencyContact: { type: mongoose.Schema.Types.Mixed },
    /** For receipts and notices by email if the patient wants them; encrypted. */
    email: { type: String },
    /** { allergies, conditions, notes }, encrypted. */
    medicalFlags: { type: mongoose.Schema.Types.Mixed },
    source: { type: String, enum: CHANNELS, required: true },
    active: { type: Boolean, default: true },
    /** Bumped on every change: an update based on an older read gets 409 instead of overwriting. */
    version: { type: Number, default: 0 },
  },
  { timestamps: true, minimize: false },
);

encryptedFields(patientSchema, {
  scope: 'patient',
  paths: ['name', 'dateOfBirth', 'emergencyContact', 'medicalFlags', 'email'],
});

// Search by patient code (front desk types it from a file or a WhatsApp message); unique per clinic.
patientSchema.index({ clinicId: 1, code: 1 }, { unique: true, name: 'patient_code_unique' });
// A contact's profiles: lookup by phone, patientIdsForContact, search by phone.
patientSchema.index({ clinicId: 1, contactId: 1 });
// Name prefix search: { clinicId, namePrefixHashes: { $all: [...] } } (a multikey index on MongoDB;
// mongo-java-server accepts it but scans — about 35 ms for 10,000 patients, measured).
patientSchema.index({ clinicId: 1, namePrefixHashes: 1 });
// Registering the same name on the same number twice (a double click, a retried bot message) is refused.
patientSchema.index({ clinicId: 1, identityKey: 1 }, { unique: true, name: 'patient_identity_unique' });

/** The Patient model. */
export const Patient = mongoose.model('Patient', patientSchema);
