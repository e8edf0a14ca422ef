/**
 * A clinic: the tenant every record belongs to (`clinicId`). Kept small on purpose; scheduling,
 * billing and messaging add their own settings under `settings`.
 */
import mongoose from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';
import { ROLES } from '../../platform/actor.js';
import type { Role } from '../../platform/actor.js';

/** The slug of the clinic a single-clinic installation creates at boot. */
export const DEFAULT_CLINIC_SLUG = 'default';

const securitySettingsSchema = new mongoose.Schema(
  {
    /** A sign-in from a browser or API client not seen before waits for an admin's approval. */
    deviceApproval: { type: Boolean, default: true },
    /** Staff holding any of these roles must use TOTP at sign-in (the issue asks for admin and accounts when on). */
    mfaRequiredRoles: { type: [{ type: String, enum: ROLES }], default: [] },
  },
  { _id: false },
);

const addressSchema = new mongoose.Schema(
  {
    line1: { type: String, trim: true, maxlength: 200 },
    line2: { type: String, trim: true, maxlength: 200 },
    city: { type: String, trim: true, maxlength: 80 },
    state: { type: String, trim: true, maxlength: 80 },
    pincode: { type: String, trim: true, match: /^\d{6}$/ },
  },
  { _id: false },
);

const holidaySchema = new mongoose.Schema(
  {
    /** Clinic-local date, YYYY-MM-DD. */
    date: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    name: { type: String, trim: true, maxlength: 80 },
  },
  { _id: false },
);

const schedulingSettingsSchema = new mongoose.Schema(
  {
    slotMinutes: { type: Number, default: 15, min: 5, max: 240 },
    /** How many days ahead slots exist (the bot offers the next 7 with free slots). */
    bookingHorizonDays: { type: Number, default: 14, min: 1, max: 90 },
    prepaymentRequired: { type: Boolean, default: false },
    prepaymentPaise: { type: Number, default: 0, min: 0 },
    /** A tentative booking keeps its slot this long while the patient pays; the payment link lives a little longer. */
    holdMinutes: { type: Number, default: 15, min: 5, max: 120 },
    noShowGraceMinutes: { type: Number, default: 20, min: 0, max: 240 },
    /** Reminder times before the visit, in minutes (24 h and 2 h by default). */
    reminderOffsetsMinutes: { type: [Number], default: [24 * 60, 120] },
    patientCancelCutoffHours: { type: Number, default: 2, min: 0 },
    fullRefundHours: { type: Number, default: 24, min: 0 },
    partialRefundHours: { type: Number, default: 4, min: 0 },
    partialRefundPercent: { type: Number, default: 50, min: 0, max: 100 },
    /** Roles allowed to squeeze a walk-in in beyond the slot grid when the day is full. */
    overbookRoles: { type: [{ type: String, enum: ROLES }], default: ['admin', 'frontdesk'] },
    holidays: { type: [holidaySchema], default: [] },
  },
  { _id: false },
);

const discountLimit = { type: Number, min: 0, max: 100 };

const billingSettingsSchema = new mongoose.Schema(
  {
    /** Highest discount (percent of the bill) a role may give on its own; unset roles keep the policy defaults (DISCOUNT_LIMITS). */
    discountLimitsPercent: {
      frontdesk: discountLimit,
      pharmacy: discountLimit,
      accounts: discountLimit,
    },
  },
  { _id: false },
);

const clinicSchema = new mongoose.Schema(
  {
    /** Stable short name; staff sign-in names the clinic by it when there are several. */
    slug: { type: String, required: true, trim: true, lowercase: true, match: /^[a-z0-9-]{1,40}$/ },
    name: { type: String, required: true, trim: true, maxlength: 120 },
    timezone: { type: String, default: 'Asia/Kolkata' },
    /** GSTIN printed on invoices and bills of supply (15 characters). */
    gstin: { type: String, trim: true, uppercase: true, match: /^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/ },
    address: { type: addressSchema, default: () => ({}) },
    /** GST state code of the clinic (place of supply decides CGST+SGST or IGST). */
    stateCode: { type: String, match: /^\d{2}$/ },
    phone: { type: String, trim: true, maxlength: 20 },
    settings: {
      security: { type: securitySettingsSchema, default: () => ({}) },
      scheduling: { type: schedulingSettingsSchema, default: () => ({}) },
      billing: { type: billingSettingsSchema, default: () => ({}) },
    },
  },
  { timestamps: true },
);

// Lookup by slug at sign-in and at boot (ensureDefaultClinic); unique so concurrent boots create one.
clinicSchema.index({ slug: 1 }, { unique: true });

/** A clinic document as stored. */
export type ClinicDoc = InferSchemaType<typeof clinicSchema> & { _id: Types.ObjectId };

/** The security settings, typed with the Role union. */
export interface ClinicSecuritySettings {
  deviceApproval: boolean;
  mfaRequiredRoles: Role[];
}

/** Scheduling settings with defaults applied. */
export interface SchedulingSettings {
  slotMinutes: number;
  bookingHorizonDays: number;
  prepaymentRequired: boolean;
  prepaymentPaise: number;
  holdMinutes: number;
  noShowGraceMinutes: number;
  reminderOffsetsMinutes: number[];
  patientCancelCutoffHours: number;
  fullRefundHours: number;
  partialRefundHours: number;
  partialRefundPercent: number;
  overbookRoles: Role[];
  holidays: { date: string; name?: string }[];
}

/** Roles whose discount limit a clinic may set (admin may always give any discount). */
export const DISCOUNT_LIMITED_ROLES = ['frontdesk', 'pharmacy', 'accounts'] as const;

/** Billing settings with the policy defaults applied. */
export interface BillingSettings {
  discountLimitsPercent: Record<(typeof DISCOUNT_LIMITED_ROLES)[number], number>;
}

/** The Clinic model. */
export const Clinic = mongoose.model('Clinic', clinicSchema);
