/**
 * A visit: the clinical record of one appointment (one visit per appointment). While a draft it
 * takes autosaves guarded by `version`; sign-off stores the SHA-256 of the signed content, the
 * signer and the time, after which the content can no longer change (record-lock.ts refuses it at
 * the model) and corrections are appended as hashed addenda. All clinical text is encrypted.
 */
import mongoose from 'mongoose';
import type { Query, Types } from 'mongoose';
import { encryptedFields, encryptedFieldsOf } from '../../platform/crypto/encrypted-fields.js';
import { decryptPlainDocument } from '../../platform/crypto/encrypted-paths.js';
import { authorSchema } from './author.schema.js';
import type { ClinicalAuthor } from './author.schema.js';
import { lockRecords } from './record-lock.js';
import type { Vitals } from './vitals.js';

export type { ClinicalAuthor } from './author.schema.js';

/** A visit is a draft until its doctor signs it. */
export const VISIT_STATUSES = ['draft', 'signed'] as const;
/** One visit status. */
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** A diagnosis: free text, optionally coded in ICD-10. */
export interface Diagnosis {
  text: string;
  icd10?: string;
}

/** Follow-up advice and, optionally, when to come back. */
export interface FollowUp {
  advice?: string;
  inDays?: number;
}

/** The four parts of the note. */
export interface Soap {
  subjective?: string | null;
  objective?: string | null;
  assessment?: string | null;
  plan?: string | null;
}

/** One addendum, immutable once appended; `hash` chains to the previous one (or the note). */
export interface AddendumRecord {
  seq: number;
  at: Date;
  author: ClinicalAuthor;
  text: string;
  reason: string;
  prevHash: string;
  hash: string;
}

/** A visit as stored, with encrypted fields opened. */
export interface VisitRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  appointmentId: Types.ObjectId;
  patientId: Types.ObjectId;
  doctorId: Types.ObjectId;
  startAt: Date;
  localDate: string;
  status: VisitStatus;
  version: number;
  vitals?: Vitals | null;
  chiefComplaint?: string | null;
  soap?: Soap;
  diagnoses?: Diagnosis[] | null;
  followUp?: FollowUp | null;
  lastSave?: { baseVersion: number; digest: string; at: Date; by: string };
  signedAt?: Date;
  signedBy?: ClinicalAuthor;
  contentHash?: string;
  hashVersion?: number;
  addenda: AddendumRecord[];
  addendaCount: number;
  createdBy: { id: string; type: string };
  createdAt: Date;
  updatedAt: Date;
}

const addendumSchema = new mongoose.Schema(
  {
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    author: { type: authorSchema, required: true },
    /** Encrypted. */
    text: { type: String, required: true },
    /** Encrypted: why the signed note needed this. */
    reason: { type: String, required: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { _id: false },
);
encryptedFields(addendumSchema, { scope: 'visit_addendum', paths: ['text', 'reason'] });

const visitSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    appointmentId: { type: mongoose.Schema.Types.ObjectId, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    doctorId: { type: mongoose.Schema.Types.ObjectId, required: true },
    /** The appointment's start, so history lists sort without reading appointments. */
    startAt: { type: Date, required: true },
    localDate: { type: String, required: true },
    status: { type: String, enum: VISIT_STATUSES, default: 'draft' },
    /** Bumped by every draft save and by sign-off: the editor's optimistic-concurrency token. */
    version: { type: Number, default: 0 },
    /** { heightCm, weightKg, bmi, … }, encrypted. */
    vitals: { type: mongoose.Schema.Types.Mixed },
    chiefComplaint: { type: String },
    soap: {
      subjective: { type: String },
      objective: { type: String },
      assessment: { type: String },
      plan: { type: String },
    },
    /** [{ text, icd10? }], encrypted. */
    diagnoses: { type: mongoose.Schema.Types.Mixed },
    /** { advice?, inDays? }, encrypted. */
    followUp: { type: mongoose.Schema.Types.Mixed },
    /** The last draft save: a replay of it (same base version, same content digest) is answered, not refused. */
    lastSave: {
      baseVersion: { type: Number },
      digest: { type: String },
      at: { type: Date },
      by: { type: String },
    },
    signedAt: { type: Date },
    signedBy: { type: authorSchema },
    /** SHA-256 (hex) of the canonical signed content (note-hash.ts). */
    contentHash: { type: String },
    /** Which canonical form `contentHash` was computed over. */
    hashVersion: { type: Number },
    addenda: { type: [addendumSchema], default: [] },
    /** Number of addenda: the condition of the append, so two racing addenda cannot both be #n. */
    addendaCount: { type: Number, default: 0 },
    createdBy: {
      id: { type: String, required: true },
      type: { type: String, required: true },
    },
  },
  { timestamps: true },
);

encryptedFields(visitSchema, {
  scope: 'visit',
  paths: [
    'vitals',
    'chiefComplaint',
    'soap.subjective',
    'soap.objective',
    'soap.assessment',
    'soap.plan',
    'diagnoses',
    'followUp',
  ],
});

/** Paths that form the note and its signature: writable only while the visit is a draft. */
export const VISIT_DRAFT_PATHS = [
  'vitals',
  'chiefComplaint',
  'soap',
  'diagnoses',
  'followUp',
  'status',
  'version',
  'lastSave',
  'signedAt',
  'signedBy',
  'contentHash',
  'hashVersion',
] as const;

lockRecords(visitSchema, {
  entity: 'visit',
  appendOnly: ['addenda'],
  counters: ['addendaCount'],
  draftOnly: {
    paths: VISIT_DRAFT_PATHS,
    field: 'status',
    value: 'draft',
    lockedMessage: 'This visit note is signed and locked; add an addendum instead',
  },
});

// Lean reads open the parent's encrypted paths through the plugin; addenda are subdocuments, so open them here.
const addendumSpec = encryptedFieldsOf(addendumSchema)!;
visitSchema.post(['find', 'findOne', 'findOneAndUpdate'], function (this: Query<unknown, unknown>, result: unknown) {
  if (!this.mongooseOptions().lean || !result) return;
  for (const visit of Array.isArray(result) ? result : [result]) {
    for (const addendum of (visit as { addenda?: unknown[] }).addenda ?? [])
      decryptPlainDocument(addendumSpec, addendum);
  }
});

// One visit per appointment: the check-in handler and "open on demand" both insert and let this decide.
visitSchema.index({ clinicId: 1, appointmentId: 1 }, { unique: true });
// A patient's history, newest first: { clinicId, patientId } sorted by startAt desc.
visitSchema.index({ clinicId: 1, patientId: 1, startAt: -1 });

/** The Visit model. */
export const Visit = mongoose.model('Visit', visitSchema);
