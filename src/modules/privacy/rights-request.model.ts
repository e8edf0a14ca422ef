/**
 * A data-principal request under the DPDP Act: access, correction, erasure, grievance or
 * nomination. Each has an acknowledgement number, a response deadline, a status the patient sees,
 * an owner on the staff side and a history. What the patient wrote (the correction wanted, the
 * grievance, the nominee) is encrypted; statuses, dates and ids are plain for the queue.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

/** The kinds of request. */
export const RIGHTS_KINDS = ['access', 'correction', 'erasure', 'grievance', 'nomination'] as const;
/** One kind. */
export type RightsKind = (typeof RIGHTS_KINDS)[number];
/** received → in_progress → completed | declined (with a reason). */
export const RIGHTS_STATUSES = ['received', 'in_progress', 'completed', 'declined'] as const;
/** One status. */
export type RightsStatus = (typeof RIGHTS_STATUSES)[number];

/** What an erasure did, collection by collection. */
export interface ErasureReport {
  erased: { label: string; count: number }[];
  anonymised: { label: string; fields: string[] }[];
  retained: { label: string; count: number; rule: string }[];
}

/** A request as stored (encrypted fields opened). */
export interface RightsRequestRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  patientId: Types.ObjectId;
  contactId: Types.ObjectId;
  kind: RightsKind;
  status: RightsStatus;
  ackNumber: string;
  channel: 'portal' | 'whatsapp' | 'frontdesk';
  receivedAt: Date;
  dueAt: Date;
  details?: { text?: string; field?: string; nominee?: { name: string; phone: string; relation: string } };
  filedBy: { type: string; id: string };
  owner?: { id: string; roles: string[] };
  decision?: { reason?: string; by: string; at: Date };
  export?: { jsonKey: string; pdfKey: string; readyAt: Date; collections: number };
  erasure?: ErasureReport;
  history: { status: RightsStatus; at: Date; by: string; note?: string }[];
  version: number;
}

const schema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    contactId: { type: mongoose.Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: RIGHTS_KINDS, required: true },
    status: { type: String, enum: RIGHTS_STATUSES, default: 'received' },
    /** e.g. `DPR-2026-000042`: what the patient quotes to the clinic or the Board. */
    ackNumber: { type: String, required: true },
    channel: { type: String, enum: ['portal', 'whatsapp', 'frontdesk'], required: true },
    receivedAt: { type: Date, required: true },
    /** The answer is owed by then (DPDP Rules: within 90 days). */
    dueAt: { type: Date, required: true },
    /** Encrypted: what the patient wrote. */
    details: { type: mongoose.Schema.Types.Mixed },
    filedBy: { type: { type: String }, id: String },
    owner: { id: String, roles: [String] },
    decision: { reason: String, by: String, at: Date },
    export: { jsonKey: String, pdfKey: String, readyAt: Date, collections: Number },
    erasure: { type: mongoose.Schema.Types.Mixed },
    history: { type: [{ status: String, at: Date, by: String, note: String, _id: false }], default: [] },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'rights_requests' },
);

encryptedFields(schema, { scope: 'rights_request', paths: ['details'] });

// The staff queue: open requests oldest deadline first.
schema.index({ clinicId: 1, status: 1, dueAt: 1 });
// A patient's requests, newest first (portal).
schema.index({ clinicId: 1, patientId: 1, receivedAt: -1 });
// Acknowledgement numbers are unique per clinic.
schema.index({ clinicId: 1, ackNumber: 1 }, { unique: true });

/** The RightsRequest model. */
export const RightsRequest = mongoose.model('RightsRequest', schema);
