/**
 * Appointments: status changes only through the lifecycle machine and a conditional write on the
 * expected status (see appointment.service.ts), each with a history entry and a per-state time.
 */
import mongoose from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';
import { APPOINTMENT_STATUSES } from '../../../flows/appointment.types.js';

const historySchema = new mongoose.Schema(
  {
    from: { type: String, enum: [...APPOINTMENT_STATUSES, null] },
    to: { type: String, enum: APPOINTMENT_STATUSES, required: true },
    event: { type: String, required: true },
    at: { type: Date, required: true },
    by: {
      id: { type: String, required: true },
      type: { type: String, required: true },
      roles: { type: [String], default: [] },
    },
    /** Operational reason ("patient called", "hold_expired"); never clinical detail. */
    reason: { type: String, maxlength: 300 },
  },
  { _id: false },
);

const appointmentSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    doctorId: { type: mongoose.Schema.Types.ObjectId, required: true },
    /** Absent for an overbooked walk-in squeezed in beside the slot grid. */
    slotId: { type: mongoose.Schema.Types.ObjectId },
    startAt: { type: Date, required: true },
    endAt: { type: Date, required: true },
    /** Clinic-local date (YYYY-MM-DD) for the day's list and queue. */
    localDate: { type: String, required: true },
    status: { type: String, enum: APPOINTMENT_STATUSES, required: true },
    source: { type: String, enum: ['whatsapp', 'frontdesk', 'portal', 'walk_in'], required: true },
    walkIn: { type: Boolean, default: false },
    overbooked: { type: Boolean, default: false },
    /** The day's token for this doctor, given at check-in (1, 2, 3 …). */
    tokenNumber: { type: Number },
    prepaymentPaise: { type: Number, default: 0 },
    paidPaise: { type: Number, default: 0 },
    /** Payments already added to paidPaise: a repeated payment event adds nothing. */
    countedPaymentIds: { type: [mongoose.Schema.Types.ObjectId], default: [] },
    holdExpiresAt: { type: Date },
    /**
     * `patientId|startAt` while the appointment is active, `…|cancelled|<id>` once it is not.
     * The unique index on it means one patient cannot hold two appointments at the same time,
     * without "check then insert" (the local server has no transactions).
     */
    patientTimeKey: { type: String, required: true },
    requestedAt: { type: Date },
    tentativeAt: { type: Date },
    confirmedAt: { type: Date },
    checkedInAt: { type: Date },
    inConsultAt: { type: Date },
    completedAt: { type: Date },
    noShowAt: { type: Date },
    cancelledAt: { type: Date },
    cancellation: {
      by: { type: String },
      reason: { type: String, maxlength: 300 },
      refundDuePaise: { type: Number },
      refundReason: { type: String },
    },
    history: { type: [historySchema], default: [] },
    /** Bumped on every write: lets callers detect that someone else changed it meanwhile. */
    version: { type: Number, default: 0 },
  },
  { timestamps: true },
);

// The day list by doctor and status (panel, doctor view, bot's queue position).
appointmentSchema.index({ clinicId: 1, localDate: 1, doctorId: 1, status: 1 });
// A patient's upcoming appointments (bot "my appointments", portal).
appointmentSchema.index({ clinicId: 1, patientId: 1, startAt: 1 });
// One active appointment per patient and start time.
appointmentSchema.index({ patientTimeKey: 1 }, { unique: true });
// Hold-expiry sweeps and no-show scans.
appointmentSchema.index({ clinicId: 1, status: 1, startAt: 1 });
// Time to confirm in the KPIs: the confirmations that happened on a clinic day.
appointmentSchema.index({ clinicId: 1, confirmedAt: 1 });

/** An appointment document as stored. */
export type AppointmentDoc = InferSchemaType<typeof appointmentSchema> & { _id: Types.ObjectId };

/** The Appointment model. */
export const Appointment = mongoose.model('Appointment', appointmentSchema);
