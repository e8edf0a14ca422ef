/**
 * Refunds the stand-in accepted, each under its idempotency key: the unique index on
 * (account, payment, key) is what makes concurrent repeats of one request create one refund.
 * Sandbox mode only; refunds carry no patient data.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import type { RefundFault } from './faults.js';

/**
 * `pending` until the processing job runs, then `processed` or `failed`. `rejected` is internal:
 * the amount could not be reserved; the API answers it as the 400 it was, and never lists it.
 */
export type RefundStatus = 'pending' | 'processed' | 'failed' | 'rejected';

/** A stored refund. */
export interface SandboxRefundRecord {
  _id: Types.ObjectId;
  keyId: string;
  refundId: string;
  paymentId: string;
  /** X-Refund-Idempotency, or the refund id when the request had none. */
  idempotencyKey: string;
  amount: number;
  currency: string;
  notes: Record<string, string | number> | null;
  receipt: string | null;
  speedRequested: 'normal' | 'optimum';
  speedProcessed: 'normal' | 'instant';
  status: RefundStatus;
  rejection?: string;
  fault?: RefundFault;
  createdAt: number;
}

const schema = new mongoose.Schema(
  {
    keyId: { type: String, required: true },
    refundId: { type: String, required: true },
    paymentId: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    notes: { type: mongoose.Schema.Types.Mixed, default: null },
    receipt: { type: String, default: null },
    speedRequested: { type: String, required: true },
    speedProcessed: { type: String, required: true },
    status: { type: String, required: true },
    rejection: { type: String },
    fault: { type: String },
    createdAt: { type: Number, required: true },
  },
  { collection: 'sandbox_razorpay_refunds', minimize: false },
);

// GET /refunds/:id and the processing job.
schema.index({ refundId: 1 }, { unique: true, name: 'sandbox_rzp_refund_id' });
// One refund per idempotency key of a payment, however many requests race.
schema.index({ keyId: 1, paymentId: 1, idempotencyKey: 1 }, { unique: true, name: 'sandbox_rzp_refund_idempotency' });

const define = () => mongoose.model('SandboxRazorpayRefund', schema);
type SandboxRefundModel = ReturnType<typeof define>;
let model: SandboxRefundModel | undefined;

/** The refunds model, registered on first use (in sandbox mode only). */
export function sandboxRefunds(): SandboxRefundModel {
  model ??= (mongoose.models.SandboxRazorpayRefund as SandboxRefundModel | undefined) ?? define();
  return model;
}
