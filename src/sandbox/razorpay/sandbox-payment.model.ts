/**
 * Payments made on the stand-in's checkout page (captured or failed), with what has been
 * refunded. Razorpay's side, keyed by the merchant key id; sandbox mode only; the payer's
 * email, phone and the description are encrypted.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

/** Razorpay payment statuses this stand-in produces. */
export type PaymentStatus = 'captured' | 'failed' | 'refunded';

/** A stored payment, encrypted fields opened. */
export interface SandboxPaymentRecord {
  _id: Types.ObjectId;
  keyId: string;
  paymentId: string;
  linkId: string;
  orderId: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  method: 'upi';
  vpa: string;
  /** Pending and processed refunds: what may not be refunded again. */
  amountReserved: number;
  /** Processed refunds only: Razorpay's `amount_refunded`. */
  amountRefunded: number;
  refundStatus: 'partial' | 'full' | null;
  description: string;
  email: string;
  contact: string;
  notes: Record<string, string | number> | null;
  fee: number | null;
  tax: number | null;
  rrn: string | null;
  error: { code: string; description: string; source: string; step: string; reason: string } | null;
  createdAt: number;
}

const schema = new mongoose.Schema(
  {
    keyId: { type: String, required: true },
    paymentId: { type: String, required: true },
    linkId: { type: String, required: true },
    orderId: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    status: { type: String, required: true },
    method: { type: String, required: true },
    vpa: { type: String, required: true },
    amountReserved: { type: Number, default: 0 },
    amountRefunded: { type: Number, default: 0 },
    refundStatus: { type: String, default: null },
    description: { type: String, default: '' },
    email: { type: String, default: '' },
    contact: { type: String, default: '' },
    notes: { type: mongoose.Schema.Types.Mixed, default: null },
    fee: { type: Number, default: null },
    tax: { type: Number, default: null },
    rrn: { type: String, default: null },
    error: { type: mongoose.Schema.Types.Mixed, default: null },
    createdAt: { type: Number, required: true },
  },
  { collection: 'sandbox_razorpay_payments', minimize: false },
);

encryptedFields(schema, { scope: 'sandboxRazorpayPayment', paths: ['description', 'email', 'contact'] });

// GET /payments/:id, refunds and their processing job.
schema.index({ paymentId: 1 }, { unique: true, name: 'sandbox_rzp_payment_id' });

const define = () => mongoose.model('SandboxRazorpayPayment', schema);
type SandboxPaymentModel = ReturnType<typeof define>;
let model: SandboxPaymentModel | undefined;

/** The payments model, registered on first use (in sandbox mode only). */
export function sandboxPayments(): SandboxPaymentModel {
  model ??= (mongoose.models.SandboxRazorpayPayment as SandboxPaymentModel | undefined) ?? define();
  return model;
}
