/**
 * What an automation rule sent a patient on WhatsApp, keyed by the outbound message's id (derived
 * from the rule's job id, so one job sends one message). It keeps the SMS to send instead if
 * WhatsApp cannot deliver, and what became of that SMS: one per WhatsApp message, never more.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

/** A delivery as stored, encrypted fields opened. */
export interface AutomationDeliveryRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  rule: string;
  jobId: string;
  patientId: Types.ObjectId;
  appointmentId?: Types.ObjectId;
  sms?: { template: string; language: 'en' | 'hi'; text: string };
  smsStatus?: 'sending' | 'sent' | 'failed';
  smsProviderMessageId?: string;
  smsSentAt?: Date;
  /** Set when the patient tapped a quick reply on it (e.g. Confirm on a reminder). */
  patientConfirmedAt?: Date;
}

const deliverySchema = new mongoose.Schema(
  {
    _id: { type: mongoose.Schema.Types.ObjectId, required: true },
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    rule: { type: String, required: true },
    jobId: { type: String, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    appointmentId: { type: mongoose.Schema.Types.ObjectId },
    sms: { type: mongoose.Schema.Types.Mixed },
    smsStatus: { type: String, enum: ['sending', 'sent', 'failed'] },
    smsProviderMessageId: { type: String },
    smsSentAt: { type: Date },
    patientConfirmedAt: { type: Date },
  },
  { timestamps: true, collection: 'automation_deliveries' },
);

encryptedFields(deliverySchema, { scope: 'automationDelivery', paths: ['sms'] });

// A patient's reminder for an appointment (quick-reply Confirm marks it).
deliverySchema.index({ clinicId: 1, appointmentId: 1, rule: 1 });

/** The AutomationDelivery model. */
export const AutomationDelivery = mongoose.model('AutomationDelivery', deliverySchema);
