/**
 * A prescription version: the medicines of one visit's prescription as issued at one moment.
 * Immutable once inserted (issued-series.ts); a change is a new version that supersedes this one.
 * Items and advice are encrypted.
 */
import mongoose from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';
import { issuedSchemaFields, lockIssuedSeries } from './issued-series.js';
import type { IssuedRecord } from './issued-series.js';

/** One medicine line; `id` is stable within the version, so pharmacy can record each line's dispensing. */
export interface PrescriptionItem {
  id: string;
  medicine: string;
  strength?: string;
  form?: string;
  dose: string;
  frequency: string;
  duration: string;
  route?: string;
  instructions?: string;
}

/** A stored prescription version, encrypted fields opened. */
export interface PrescriptionRecord extends IssuedRecord {
  items: PrescriptionItem[];
  advice?: string;
}

const prescriptionSchema = new mongoose.Schema(
  {
    ...issuedSchemaFields(),
    /** [{ id, medicine, strength, form, dose, frequency, duration, route, instructions }], encrypted. */
    items: { type: mongoose.Schema.Types.Mixed, required: true },
    /** General advice printed under the medicines, encrypted. */
    advice: { type: String },
  },
  { timestamps: true },
);

encryptedFields(prescriptionSchema, { scope: 'prescription', paths: ['items', 'advice'] });
lockIssuedSeries(prescriptionSchema, 'prescription');

/** The Prescription model. */
export const Prescription = mongoose.model('Prescription', prescriptionSchema);
