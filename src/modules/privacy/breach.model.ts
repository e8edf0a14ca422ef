/**
 * The personal-data breach register (DPDP Act s. 8(6); DPDP Rules: intimate the Data Protection
 * Board and each affected patient without delay, and the Board in detail within 72 hours of
 * becoming aware). Each incident keeps what happened, the patients affected (ids), the two
 * deadlines and when each notice went, and the notice text. Nothing here is ever deleted.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

/** open → notified (Board and patients told) → closed. */
export const BREACH_STATUSES = ['open', 'notified', 'closed'] as const;
/** One breach status. */
export type BreachStatus = (typeof BREACH_STATUSES)[number];

/** A breach record as stored (encrypted fields opened). */
export interface BreachRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  reference: string;
  status: BreachStatus;
  discoveredAt: Date;
  occurredAt?: Date;
  description: string;
  dataCategories: string[];
  measures?: string;
  affectedPatientIds: Types.ObjectId[];
  boardDueAt: Date;
  patientsDueAt: Date;
  boardNotifiedAt?: Date;
  patientsNotifiedAt?: Date;
  noticeText: string;
  recordedBy: string;
  version: number;
  createdAt: Date;
}

const schema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    reference: { type: String, required: true },
    status: { type: String, enum: BREACH_STATUSES, default: 'open' },
    discoveredAt: { type: Date, required: true },
    occurredAt: { type: Date },
    /** Encrypted: may name systems and circumstances. */
    description: { type: String, required: true },
    dataCategories: { type: [String], default: [] },
    measures: { type: String },
    affectedPatientIds: { type: [mongoose.Schema.Types.ObjectId], default: [] },
    boardDueAt: { type: Date, required: true },
    patientsDueAt: { type: Date, required: true },
    boardNotifiedAt: { type: Date },
    patientsNotifiedAt: { type: Date },
    noticeText: { type: String, required: true },
    recordedBy: { type: String, required: true },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'breaches' },
);

encryptedFields(schema, { scope: 'breach', paths: ['description', 'measures', 'noticeText'] });

// The register, newest first; the open ones by deadline.
schema.index({ clinicId: 1, status: 1, boardDueAt: 1 });
schema.index({ clinicId: 1, reference: 1 }, { unique: true });

/** The Breach model. */
export const Breach = mongoose.model('Breach', schema);
