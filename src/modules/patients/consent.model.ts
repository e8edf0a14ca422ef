/**
 * Consent records (DPDP Act): purpose, notice version, who gave it, when and through which
 * channel. Append-only in spirit: a record is never deleted (the hooks below refuse it); withdrawal
 * and a newer notice's consent are new states of the record, with their times.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { AppError } from '../../platform/errors.js';
import { CHANNELS } from './patient.model.js';
import type { Channel } from './patient.model.js';

/** What a patient consents to. */
export const CONSENT_PURPOSES = ['care', 'whatsapp_messaging', 'reminders', 'payments', 'marketing'] as const;
/** One purpose. */
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
/** `superseded`: replaced by consent to a newer notice version for the same purpose. */
export const CONSENT_STATUSES = ['granted', 'withdrawn', 'superseded'] as const;
/** One consent status. */
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
/** The patient themself, or a parent / guardian (required under 18). */
export const CONSENT_GIVERS = ['self', 'guardian'] as const;

/** Who recorded a change: a staff member, the patient (bot, portal) or the system. */
export interface ConsentActorRef {
  type: 'staff' | 'patient' | 'system';
  id: string;
}

/** A consent record as stored. */
export interface ConsentRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  patientId: Types.ObjectId;
  contactId: Types.ObjectId;
  purpose: ConsentPurpose;
  noticeVersion: string;
  status: ConsentStatus;
  grantedAt: Date;
  channel: Channel;
  givenBy: (typeof CONSENT_GIVERS)[number];
  guardianContactId?: Types.ObjectId;
  recordedBy: ConsentActorRef;
  withdrawnAt?: Date;
  withdrawalChannel?: Channel;
  withdrawnBy?: ConsentActorRef;
  supersededAt?: Date;
  supersededBy?: Types.ObjectId;
  activeKey: string;
  createdAt: Date;
  updatedAt: Date;
}

const actorRefSchema = new mongoose.Schema(
  {
    type: { type: String, enum: ['staff', 'patient', 'system'], required: true },
    id: { type: String, required: true },
  },
  { _id: false },
);

const consentSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, ref: 'Clinic', required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, ref: 'Patient', required: true },
    contactId: { type: mongoose.Schema.Types.ObjectId, ref: 'Contact', required: true },
    purpose: { type: String, enum: CONSENT_PURPOSES, required: true },
    /** The version of the privacy notice shown when consent was given, e.g. `2025-01`. */
    noticeVersion: { type: String, required: true, maxlength: 40 },
    status: { type: String, enum: CONSENT_STATUSES, required: true },
    grantedAt: { type: Date, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    givenBy: { type: String, enum: CONSENT_GIVERS, required: true },
    /** The contact of the parent or guardian who consented for the patient. */
    guardianContactId: { type: mongoose.Schema.Types.ObjectId, ref: 'Contact' },
    recordedBy: { type: actorRefSchema, required: true },
    withdrawnAt: { type: Date },
    withdrawalChannel: { type: String, enum: CHANNELS },
    withdrawnBy: { type: actorRefSchema },
    supersededAt: { type: Date },
    supersededBy: { type: mongoose.Schema.Types.ObjectId, ref: 'Consent' },
    /**
     * `<patientId>|<purpose>` while granted, `…|<status>|<id>` afterwards: the unique index on it
     * allows one granted consent per patient and purpose without "check then insert".
     */
    activeKey: { type: String, required: true },
  },
  { timestamps: true },
);

// At most one granted consent per patient and purpose; recordConsent looks the active one up by it.
consentSchema.index({ clinicId: 1, activeKey: 1 }, { unique: true, name: 'consent_active_unique' });
// A patient's consent history, newest first (listConsents).
consentSchema.index({ clinicId: 1, patientId: 1, grantedAt: -1 });

function neverDeleted(): AppError {
  return new AppError(
    'consent_append_only',
    500,
    'Consent records are never deleted or replaced; withdraw them instead',
  );
}

consentSchema.pre(['deleteOne'], { document: true, query: true }, function () {
  throw neverDeleted();
});
consentSchema.pre(
  ['deleteMany', 'findOneAndDelete', 'replaceOne', 'findOneAndReplace'],
  { document: false, query: true },
  function () {
    throw neverDeleted();
  },
);

/** The Consent model. */
export const Consent = mongoose.model('Consent', consentSchema);
