/**
 * PatientDocumentDelivery: "this document (by its dedupe key) went to the patient as this outbound
 * message". The unique `{ clinicId, dedupeKey }` index is what makes sending a document idempotent
 * across redelivered events and concurrent calls; the outbound id is chosen before the message is
 * queued, so a crash between the two writes is repaired by the next call. Ids and kind only: no PHI.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';

/** What patients receive as documents on WhatsApp. */
export const PATIENT_DOCUMENT_KINDS = [
  'prescription',
  'diet_plan',
  'invoice',
  'receipt',
  'credit_note',
  'refund_voucher',
] as const;
/** One document kind. */
export type PatientDocumentKind = (typeof PATIENT_DOCUMENT_KINDS)[number];

/** A delivery as stored. */
export interface DocumentDeliveryRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  dedupeKey: string;
  kind: PatientDocumentKind;
  patientId: Types.ObjectId;
  appointmentId?: Types.ObjectId;
  outboundId: Types.ObjectId;
  createdAt: Date;
}

const schema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, ref: 'Clinic', required: true },
    /** The caller's idempotency key, e.g. `prescription|<id>|v2` (ids only). */
    dedupeKey: { type: String, required: true, maxlength: 200 },
    kind: { type: String, enum: PATIENT_DOCUMENT_KINDS, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, ref: 'Patient', required: true },
    appointmentId: { type: mongoose.Schema.Types.ObjectId, ref: 'Appointment' },
    outboundId: { type: mongoose.Schema.Types.ObjectId, ref: 'OutboundMessage', required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'patient_document_deliveries' },
);

// One delivery per document version: claims race on it, and documentDeliveryOf looks keys up by it.
schema.index({ clinicId: 1, dedupeKey: 1 }, { unique: true, name: 'document_delivery_key' });

/** The PatientDocumentDelivery model. */
export const PatientDocumentDelivery = mongoose.model('PatientDocumentDelivery', schema);
