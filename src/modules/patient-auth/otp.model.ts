/**
 * One sign-in code sent to a phone number for the patient portal. The code itself is never
 * stored: `codeHash` is an HMAC of the challenge id and the code, keyed outside the database.
 * A challenge is open until it is used once, reaches the wrong-try limit, is replaced by a newer
 * code for the same number, or passes `expiresAt` (checked on read: no TTL index here).
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';

/** open → used (signed in) | exhausted (too many wrong tries) | replaced (a newer code was sent). */
export const OTP_STATUSES = ['open', 'used', 'exhausted', 'replaced'] as const;
/** One challenge status. */
export type OtpStatus = (typeof OTP_STATUSES)[number];

/** A challenge as stored. */
export interface OtpChallengeRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  phoneHash: string;
  codeHash: string;
  status: OtpStatus;
  attempts: number;
  expiresAt: Date;
  usedAt?: Date;
  channel: 'whatsapp' | 'sms';
  createdAt: Date;
}

const otpSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, ref: 'Clinic', required: true },
    /** Blind index of the E.164 number (the same HMAC contacts are found by). */
    phoneHash: { type: String, required: true },
    codeHash: { type: String, required: true },
    status: { type: String, enum: OTP_STATUSES, default: 'open' },
    /** Wrong codes tried against this challenge. */
    attempts: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date },
    channel: { type: String, enum: ['whatsapp', 'sms'], required: true },
  },
  { timestamps: true, collection: 'otp_challenges' },
);

// The newest open challenge of a number (verify) and the older ones a new code replaces (request).
otpSchema.index({ clinicId: 1, phoneHash: 1, status: 1, createdAt: -1 });

/** The OtpChallenge model. */
export const OtpChallenge = mongoose.model('OtpChallenge', otpSchema);
