/**
 * Lab tests: one document per test a doctor orders on a visit; the result is entered later (by
 * the doctor or the front desk from the lab's report) and flagged against its reference range.
 * Test names, results and earlier (corrected) results are encrypted; only whether a result is
 * abnormal and whether the doctor has acknowledged it stay plain, for the doctor's list.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';
import type { LabFlag } from './lab-flags.js';

/** A test is ordered until its result is entered. */
export const LAB_STATUSES = ['ordered', 'resulted'] as const;

/** What was ordered. */
export interface LabTestSpec {
  name: string;
  code?: string;
  notes?: string;
}

/** An entered result with its reference range and the flag computed from it. */
export interface LabResult {
  value: string;
  unit?: string;
  referenceLow?: number;
  referenceHigh?: number;
  referenceText?: string;
  flag?: LabFlag;
}

/** A result replaced by a correction. */
export interface CorrectedResult {
  result: LabResult;
  resultedAt: Date;
  resultedBy: string;
  replacedAt: Date;
  replacedBy: string;
  reason: string;
}

/** A stored lab test, encrypted fields opened. */
export interface LabTestRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  visitId: Types.ObjectId;
  appointmentId: Types.ObjectId;
  patientId: Types.ObjectId;
  doctorId: Types.ObjectId;
  orderId: Types.ObjectId;
  orderedAt: Date;
  orderedBy: string;
  test: LabTestSpec;
  status: (typeof LAB_STATUSES)[number];
  result?: LabResult;
  abnormal: boolean;
  resultedAt?: Date;
  resultedBy?: { staffId: string; roles: string[] };
  corrections?: CorrectedResult[];
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  version: number;
}

const labTestSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    visitId: { type: mongoose.Schema.Types.ObjectId, required: true },
    appointmentId: { type: mongoose.Schema.Types.ObjectId, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    /** The ordering doctor: theirs to follow up. */
    doctorId: { type: mongoose.Schema.Types.ObjectId, required: true },
    /** Tests ordered together share it. */
    orderId: { type: mongoose.Schema.Types.ObjectId, required: true },
    orderedAt: { type: Date, required: true },
    orderedBy: { type: String, required: true },
    /** { name, code?, notes? }, encrypted. */
    test: { type: mongoose.Schema.Types.Mixed, required: true },
    status: { type: String, enum: LAB_STATUSES, default: 'ordered' },
    /** { value, unit, referenceLow, referenceHigh, referenceText, flag }, encrypted. */
    result: { type: mongoose.Schema.Types.Mixed },
    abnormal: { type: Boolean, default: false },
    resultedAt: { type: Date },
    resultedBy: { staffId: { type: String }, roles: { type: [String], default: undefined } },
    /** Earlier results replaced by corrections, encrypted as a whole. */
    corrections: { type: mongoose.Schema.Types.Mixed },
    acknowledgedAt: { type: Date },
    acknowledgedBy: { type: String },
    /** Bumped on every result entry: a correction based on an older read gets 409. */
    version: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'lab_tests' },
);

encryptedFields(labTestSchema, { scope: 'lab_test', paths: ['test', 'result', 'corrections'] });

// A visit's tests in order (editor, visit bundle).
labTestSchema.index({ clinicId: 1, visitId: 1, orderedAt: 1 });
// A doctor's abnormal results, unacknowledged first, newest first.
labTestSchema.index({ clinicId: 1, doctorId: 1, abnormal: 1, acknowledgedAt: 1, resultedAt: -1 });
// A patient's recent results (history, patient page).
labTestSchema.index({ clinicId: 1, patientId: 1, resultedAt: -1 });
// Tests awaiting a result, optionally for one patient (front desk entering reports).
labTestSchema.index({ clinicId: 1, status: 1, patientId: 1, orderedAt: -1 });

/** The LabTest model. */
export const LabTest = mongoose.model('LabTest', labTestSchema);
