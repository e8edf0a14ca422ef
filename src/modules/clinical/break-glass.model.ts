/**
 * Break-glass grants: a doctor without a care relationship to a patient (no appointment with them
 * in the window) states a reason and gets time-limited read access to that patient's record.
 * Grants are inserted once and never changed (record-lock.ts); the reason is encrypted because it
 * often describes the patient's condition. Expired grants stay as history; reads filter on time.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';
import { lockRecords } from './record-lock.js';

/** A stored grant, reason opened. */
export interface BreakGlassRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  patientId: Types.ObjectId;
  staffId: string;
  doctorId?: string;
  reason: string;
  grantedAt: Date;
  expiresAt: Date;
}

const breakGlassSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    staffId: { type: String, required: true },
    doctorId: { type: String },
    /** Encrypted. */
    reason: { type: String, required: true },
    grantedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'break_glass_grants', versionKey: false },
);

encryptedFields(breakGlassSchema, { scope: 'break_glass', paths: ['reason'] });
lockRecords(breakGlassSchema, { entity: 'break-glass grant' });

// The access check: { clinicId, staffId, patientId, expiresAt > now }, latest first.
breakGlassSchema.index({ clinicId: 1, staffId: 1, patientId: 1, expiresAt: -1 });

/** The BreakGlassGrant model. */
export const BreakGlassGrant = mongoose.model('BreakGlassGrant', breakGlassSchema);
