/**
 * Staff accounts. The password hash and the TOTP secrets are `select: false`: they leave MongoDB
 * only when a query asks for them by name, so a stray `find()` or log line cannot carry them.
 */
import mongoose from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';
import { ROLES } from '../../platform/actor.js';
import type { Role } from '../../platform/actor.js';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

/** Roles a staff account may hold (patients sign in through the portal, not here). */
export const STAFF_ROLES = ROLES.filter((role): role is Exclude<Role, 'patient'> => role !== 'patient');
/** One staff role. */
export type StaffRole = (typeof STAFF_ROLES)[number];

const passwordSchema = new mongoose.Schema(
  {
    // Parameters are stored with each hash so they can be raised later without locking anyone out.
    algorithm: { type: String, enum: ['scrypt'], required: true },
    N: { type: Number, required: true },
    r: { type: Number, required: true },
    p: { type: Number, required: true },
    keyLength: { type: Number, required: true },
    salt: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { _id: false },
);

const mfaSchema = new mongoose.Schema(
  {
    enabled: { type: Boolean, default: false },
    /** TOTP secret (base32), encrypted at rest; never returned by default queries. */
    secret: { type: String, select: false },
    /** Secret awaiting its first code (enrolment not yet confirmed), encrypted at rest. */
    pendingSecret: { type: String, select: false },
    /** The last TOTP time step accepted: a code for this step or an earlier one is a replay. */
    lastUsedStep: { type: Number },
    enrolledAt: { type: Date },
  },
  { _id: false },
);

/** Something the staff member must be told at their next sign-in (e.g. their sign-in was locked somewhere). */
const noticeSchema = new mongoose.Schema(
  {
    kind: { type: String, enum: ['sign_in_locked'], required: true },
    at: { type: Date, required: true },
    /** When the lock ends. */
    until: { type: Date },
    /** Where the wrong passwords came from (an IP address; no patient data). */
    source: { type: String, maxlength: 64 },
  },
  { _id: false },
);

const staffSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, ref: 'Clinic', required: true },
    name: { type: String, required: true, trim: true, maxlength: 120 },
    email: { type: String, required: true, trim: true, lowercase: true, maxlength: 254 },
    roles: {
      type: [{ type: String, enum: STAFF_ROLES }],
      validate: { validator: (roles: string[]) => roles.length > 0, message: 'at least one role is required' },
    },
    active: { type: Boolean, default: true },
    /** The Doctor profile of a staff member who is a doctor (record rules compare it). */
    doctorId: { type: mongoose.Schema.Types.ObjectId, ref: 'Doctor' },
    password: { type: passwordSchema, required: true, select: false },
    passwordChangedAt: { type: Date },
    /** Wrong passwords checked since the last successful sign-in (for admins; locks are per source, in Redis). */
    failedAttempts: { type: Number, default: 0 },
    /** Until when the latest locked source stays locked (for admins; it does not lock the account everywhere). */
    lockedUntil: { type: Date },
    /** Security notices shown at sign-in and on /me until dismissed; the newest 10 are kept. */
    notices: { type: [noticeSchema], default: [] },
    /** Set for the installation's first admin (and the sandbox demo accounts): their first device is approved without an admin. */
    trustFirstDevice: { type: Boolean, default: false },
    mfa: { type: mfaSchema, default: () => ({}) },
  },
  { timestamps: true },
);

// Services read and write the secrets in plain; the model seals them (AES-256-GCM with a key id,
// re-encrypted by key rotation like every other encrypted field).
encryptedFields(staffSchema, { scope: 'staff', paths: ['mfa.secret', 'mfa.pendingSecret'] });

// Sign-in looks staff up by (clinicId, email); unique so an email is one account per clinic.
staffSchema.index({ clinicId: 1, email: 1 }, { unique: true });
// Staff list and "is there an admin yet" at boot: (clinicId, roles).
staffSchema.index({ clinicId: 1, roles: 1 });

/** A staff document as stored (secrets present only when selected). */
export type StaffDoc = InferSchemaType<typeof staffSchema> & { _id: Types.ObjectId };

/** The Staff model. */
export const Staff = mongoose.model('Staff', staffSchema);
