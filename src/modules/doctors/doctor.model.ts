/**
 * A doctor's bookable profile: speciality, fee, weekly availability in clinic-local time,
 * and leaves. Linked to the staff user who signs in as this doctor.
 */
import mongoose from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';

const weeklyRangeSchema = new mongoose.Schema(
  {
    /** 0 = Sunday … 6 = Saturday, in the clinic's timezone. */
    weekday: { type: Number, required: true, min: 0, max: 6 },
    start: { type: String, required: true, match: /^([01]\d|2[0-3]):[0-5]\d$/ },
    end: { type: String, required: true, match: /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/ },
  },
  { _id: false },
);

/** `leave`: the doctor is away; `blocked`: in the clinic but not bookable (surgery list, meeting). Both remove slots alike. */
export const LEAVE_KINDS = ['leave', 'blocked'] as const;
/** One of LEAVE_KINDS. */
export type LeaveKind = (typeof LEAVE_KINDS)[number];

const leaveSchema = new mongoose.Schema({
  kind: { type: String, enum: LEAVE_KINDS, default: 'leave' },
  startAt: { type: Date, required: true },
  endAt: { type: Date, required: true },
  /** Shown to staff only ("conference", "personal"); never clinical. */
  reason: { type: String, trim: true, maxlength: 200 },
});

const doctorSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    staffId: { type: mongoose.Schema.Types.ObjectId },
    name: { type: String, required: true, trim: true, maxlength: 120 },
    speciality: { type: String, required: true, trim: true, maxlength: 80 },
    qualifications: { type: String, trim: true, maxlength: 200 },
    /** State medical council / NMC registration number, printed on prescriptions. */
    registrationNumber: { type: String, trim: true, maxlength: 40 },
    consultationFeePaise: { type: Number, required: true, min: 0, validate: Number.isInteger },
    weeklyAvailability: { type: [weeklyRangeSchema], default: [] },
    leaves: { type: [leaveSchema], default: [] },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);

// Slot search by speciality and the doctor list in the panel and the bot.
doctorSchema.index({ clinicId: 1, active: 1, speciality: 1 });
// The doctor view resolves the signed-in staff user to their profile.
doctorSchema.index({ clinicId: 1, staffId: 1 });

/** A doctor document as stored. */
export type DoctorDoc = InferSchemaType<typeof doctorSchema> & { _id: Types.ObjectId };

/** The Doctor model. */
export const Doctor = mongoose.model('Doctor', doctorSchema);
