/**
 * Per-clinic reporting settings: the owner's evening summary on WhatsApp (off by default). The
 * owner's number is encrypted like any phone the platform holds.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

const reportSettingsSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    eveningSummary: {
      enabled: { type: Boolean, default: false },
      /** Clinic-local HH:MM. */
      time: { type: String, default: '21:00' },
      /** The owner's WhatsApp number (E.164), encrypted. */
      ownerPhone: { type: String },
      language: { type: String, enum: ['en', 'hi'], default: 'en' },
    },
  },
  { collection: 'report_settings', timestamps: true },
);
encryptedFields(reportSettingsSchema, { scope: 'report_settings', paths: ['eveningSummary.ownerPhone'] });

// One settings document per clinic.
reportSettingsSchema.index({ clinicId: 1 }, { unique: true });

/** The evening summary settings as callers see them. */
export interface EveningSummarySettings {
  enabled: boolean;
  time: string;
  ownerPhone: string | null;
  language: 'en' | 'hi';
}

/** A stored settings document (encrypted paths opened). */
export interface ReportSettingsRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  eveningSummary?: Partial<EveningSummarySettings>;
}

/** The ReportSettings model. */
export const ReportSettings = mongoose.model('ReportSettings', reportSettingsSchema);
