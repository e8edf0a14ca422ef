/**
 * Concrete bookable slots. A slot changes hands only through conditional updates on its status
 * (free → held/booked → free), so two bookings can never win the same slot.
 */
import mongoose from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';

/** free: bookable; held: tentative booking awaiting prepayment; booked: confirmed or later. */
export const SLOT_STATUSES = ['free', 'held', 'booked'] as const;
/** One of SLOT_STATUSES. */
export type SlotStatus = (typeof SLOT_STATUSES)[number];

const slotSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    doctorId: { type: mongoose.Schema.Types.ObjectId, required: true },
    startAt: { type: Date, required: true },
    endAt: { type: Date, required: true },
    /** Clinic-local date (YYYY-MM-DD), denormalised for day queries in the clinic's timezone. */
    localDate: { type: String, required: true },
    status: { type: String, enum: SLOT_STATUSES, default: 'free' },
    appointmentId: { type: mongoose.Schema.Types.ObjectId },
  },
  { timestamps: true },
);

// Idempotent generation: one slot per doctor and start time, whatever runs it twice.
slotSchema.index({ doctorId: 1, startAt: 1 }, { unique: true });
// Free-slot search by doctor and day (bot, panel, API).
slotSchema.index({ clinicId: 1, doctorId: 1, localDate: 1, status: 1 });
// Free-slot search across doctors for a date range.
slotSchema.index({ clinicId: 1, status: 1, startAt: 1 });

/** A slot document as stored. */
export type SlotDoc = InferSchemaType<typeof slotSchema> & { _id: Types.ObjectId };

/** The Slot model. */
export const SlotModel = mongoose.model('Slot', slotSchema);
