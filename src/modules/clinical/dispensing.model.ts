/**
 * Dispensing: what the pharmacy handed over against one prescription version, line by line
 * (full, partial, not available). Records are inserted once and never changed (record-lock.ts);
 * a later visit to the counter is another record. The pharmacist's note is encrypted.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';
import { DISPENSE_STATUSES } from './prescription.schemas.js';
import { lockRecords } from './record-lock.js';

/** One line's outcome. */
export interface DispensedLine {
  itemId: string;
  status: (typeof DISPENSE_STATUSES)[number];
  quantity?: number;
}

/** A stored dispensing record, note opened. */
export interface DispensingRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  prescriptionId: Types.ObjectId;
  prescriptionVersion: number;
  patientId: Types.ObjectId;
  items: DispensedLine[];
  note?: string;
  dispensedBy: { staffId: string };
  dispensedAt: Date;
}

const lineSchema = new mongoose.Schema(
  {
    itemId: { type: String, required: true },
    status: { type: String, enum: DISPENSE_STATUSES, required: true },
    quantity: { type: Number, min: 0 },
  },
  { _id: false },
);

const dispensingSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    prescriptionId: { type: mongoose.Schema.Types.ObjectId, required: true },
    prescriptionVersion: { type: Number, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    items: { type: [lineSchema], required: true },
    /** Encrypted. */
    note: { type: String },
    dispensedBy: { staffId: { type: String, required: true } },
    dispensedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

encryptedFields(dispensingSchema, { scope: 'dispensing', paths: ['note'] });
lockRecords(dispensingSchema, { entity: 'dispensing' });

// A prescription's dispensing history, oldest first.
dispensingSchema.index({ clinicId: 1, prescriptionId: 1, dispensedAt: 1 });

/** The Dispensing model. */
export const Dispensing = mongoose.model('Dispensing', dispensingSchema);
