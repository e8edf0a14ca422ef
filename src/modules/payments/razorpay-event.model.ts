/**
 * Every Razorpay webhook delivery we accepted, stored before anything acts on it: unique on
 * Razorpay's `x-razorpay-event-id`, so a repeat is recognised and answered 200 without effect.
 * The raw body is kept encrypted (it names the payer) for reprocessing; `facts` holds the ids
 * and amounts the handlers read.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';
import type { RazorpayEventFacts } from './razorpay-event.schemas.js';

/** `received`: stored, not handled yet. `processed`/`ignored`: done. `failed`: gave up after retries. */
export const RAZORPAY_EVENT_STATUSES = ['received', 'processed', 'ignored', 'failed'] as const;

/** A stored webhook event. */
export interface RazorpayEventRecord {
  _id: Types.ObjectId;
  eventId: string;
  event: string;
  clinicId?: Types.ObjectId;
  facts: RazorpayEventFacts;
  rawBody: string;
  status: (typeof RAZORPAY_EVENT_STATUSES)[number];
  outcome?: string;
  attempts: number;
  receivedAt: Date;
  processedAt?: Date;
}

const razorpayEventSchema = new mongoose.Schema(
  {
    eventId: { type: String, required: true, maxlength: 100 },
    event: { type: String, required: true },
    clinicId: { type: mongoose.Schema.Types.ObjectId },
    facts: { type: mongoose.Schema.Types.Mixed, required: true },
    rawBody: { type: String, required: true },
    status: { type: String, enum: RAZORPAY_EVENT_STATUSES, default: 'received' },
    outcome: { type: String },
    attempts: { type: Number, default: 0 },
    receivedAt: { type: Date, required: true },
    processedAt: { type: Date },
  },
  { minimize: false },
);

// Dedupe: one record per Razorpay event id; the insert that loses is a repeat delivery.
razorpayEventSchema.index({ eventId: 1 }, { unique: true, name: 'razorpay_event_unique' });
encryptedFields(razorpayEventSchema, { scope: 'razorpayEvent', paths: ['rawBody'] });

/** The RazorpayEvent model. */
export const RazorpayEvent = mongoose.model('RazorpayEvent', razorpayEventSchema);
