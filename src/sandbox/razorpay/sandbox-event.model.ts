/**
 * Webhook events the stand-in fired, with the exact body it signs and sends (so a resend is
 * byte-identical) and how delivery went. Sandbox mode only; the body carries the payer's email
 * and phone, so it is encrypted.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

/** A stored event, body opened. */
export interface SandboxEventRecord {
  _id: Types.ObjectId;
  keyId: string;
  eventId: string;
  event: string;
  paymentLinkId: string | null;
  paymentId: string | null;
  refundId: string | null;
  /** The JSON body exactly as signed and sent. */
  body: string;
  attempts: number;
  /** HTTP status of the last attempt; 0 when the request itself failed (refused, timed out). */
  lastStatus: number | null;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

const schema = new mongoose.Schema(
  {
    keyId: { type: String, required: true },
    eventId: { type: String, required: true },
    event: { type: String, required: true },
    paymentLinkId: { type: String, default: null },
    paymentId: { type: String, default: null },
    refundId: { type: String, default: null },
    body: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    lastStatus: { type: Number, default: null },
    lastAttemptAt: { type: Date, default: null },
    deliveredAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sandbox_razorpay_events' },
);

encryptedFields(schema, { scope: 'sandboxRazorpayEvent', paths: ['body'] });

// Delivery jobs and resends: one event by id.
schema.index({ eventId: 1 }, { unique: true, name: 'sandbox_rzp_event_id' });
// GET /sandbox/razorpay/events?paymentLinkId= (and the unfiltered list), oldest first.
schema.index({ keyId: 1, paymentLinkId: 1, createdAt: 1, _id: 1 }, { name: 'sandbox_rzp_event_link' });
// GET /sandbox/razorpay/events?paymentId= (refund events carry the payment, not the link).
schema.index({ keyId: 1, paymentId: 1, createdAt: 1, _id: 1 }, { name: 'sandbox_rzp_event_payment' });

const define = () => mongoose.model('SandboxRazorpayEvent', schema);
type SandboxEventModel = ReturnType<typeof define>;
let model: SandboxEventModel | undefined;

/** The events model, registered on first use (in sandbox mode only). */
export function sandboxEvents(): SandboxEventModel {
  model ??= (mongoose.models.SandboxRazorpayEvent as SandboxEventModel | undefined) ?? define();
  return model;
}
