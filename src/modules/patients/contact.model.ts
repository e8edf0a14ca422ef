/**
 * A contact is one WhatsApp / phone number. Indian families often share one, so a contact holds
 * one or more patient profiles (patient.model.ts). The number is encrypted and found through its
 * blind index; the unique index on it is what makes "create or reuse the contact" race-free.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

/** Languages the bot and reminders speak. */
export const LANGUAGES = ['en', 'hi'] as const;
/** One supported language. */
export type Language = (typeof LANGUAGES)[number];

/** A contact as stored, with encrypted fields opened (lean reads through the model). */
export interface ContactRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  phone: string;
  phoneHash: string;
  waId?: string;
  preferredLanguage: Language;
  lastInboundAt?: Date;
  accountHolderId?: Types.ObjectId;
  selfPatientId?: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const contactSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, ref: 'Clinic', required: true },
    /** E.164 (the service normalises before writing), encrypted. */
    phone: { type: String, required: true },
    /** HMAC blind index of `phone`, kept by the encrypted-fields plugin. */
    phoneHash: { type: String },
    /** The WhatsApp id (country code and number, no `+`), encrypted. */
    waId: { type: String },
    preferredLanguage: { type: String, enum: LANGUAGES, default: 'en' },
    /** The patient's last WhatsApp message: free-form replies are allowed for 24 hours after it. */
    lastInboundAt: { type: Date },
    /** The first profile registered on this number; claimed by a conditional update, so exactly one. */
    accountHolderId: { type: mongoose.Schema.Types.ObjectId, ref: 'Patient' },
    /** The profile of the number's owner (relation `self`), if registered; at most one, claimed the same way. */
    selfPatientId: { type: mongoose.Schema.Types.ObjectId, ref: 'Patient' },
  },
  { timestamps: true },
);

encryptedFields(contactSchema, {
  scope: 'contact',
  paths: ['phone', 'waId'],
  blindIndexes: [{ path: 'phone', indexPath: 'phoneHash', kind: 'phone' }],
});

// Lookup by phone within a clinic (front desk search, every inbound WhatsApp message); unique so
// two registrations of one number at once create one contact.
contactSchema.index({ clinicId: 1, phoneHash: 1 }, { unique: true, name: 'contact_phone_unique' });

/** The Contact model. */
export const Contact = mongoose.model('Contact', contactSchema);
