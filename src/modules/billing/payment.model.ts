/**
 * Payments against invoices: cash, UPI or card at the desk, or online through Razorpay. The
 * `dedupeKey` is unique per clinic — `razorpay|<payment id>` for online payments, so a webhook
 * delivered five times records one payment; `counter|<key>` for desk payments sent with an
 * Idempotency-Key (a double click records one). A payment is inserted `pending`, then applied to
 * its invoice and given a receipt number; `refundablePaise` is what refunds may still take.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';

/** How the money came: desk methods first, then what Razorpay reports. */
export const PAYMENT_METHODS = ['cash', 'upi', 'card', 'netbanking', 'wallet', 'emi', 'other'] as const;
/** One payment method. */
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** Methods the desk records by hand. */
export const COUNTER_METHODS = ['cash', 'upi', 'card'] as const;
/** Online payment providers. */
export const PROVIDERS = ['razorpay'] as const;

/**
 * `pending`: inserted, not yet applied. `recorded`: applied with a receipt. `rejected`: a desk
 * payment refused (over-payment, void invoice) — no money was taken. `unapplied`: online money
 * that arrived but could not be applied; it is owed back and refunded like any payment.
 */
export const PAYMENT_STATUSES = ['pending', 'recorded', 'rejected', 'unapplied'] as const;
/** One payment status. */
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A payment as stored. */
export interface PaymentRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  invoiceId: Types.ObjectId;
  patientId: Types.ObjectId;
  appointmentId?: Types.ObjectId;
  amountPaise: number;
  method: PaymentMethod;
  channel: 'counter' | 'online';
  provider?: (typeof PROVIDERS)[number];
  providerPaymentId?: string;
  providerOrderId?: string;
  paymentLinkId?: string;
  reference?: string;
  dedupeKey: string;
  status: PaymentStatus;
  rejectReason?: string;
  receivedAt: Date;
  localDate: string;
  receiptNumber?: string;
  receiptFinancialYear?: string;
  refundablePaise: number;
  /** Refunds that have taken their amount off `refundablePaise` (the conditional $inc skips one seen twice). */
  reservedRefundIds: Types.ObjectId[];
  pdfKey?: string;
  recordedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const paymentSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    invoiceId: { type: mongoose.Schema.Types.ObjectId, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    appointmentId: { type: mongoose.Schema.Types.ObjectId },
    amountPaise: { type: Number, required: true, min: 1, validate: Number.isSafeInteger },
    method: { type: String, enum: PAYMENT_METHODS, required: true },
    channel: { type: String, enum: ['counter', 'online'], required: true },
    provider: { type: String, enum: PROVIDERS },
    providerPaymentId: { type: String, maxlength: 64 },
    providerOrderId: { type: String, maxlength: 64 },
    paymentLinkId: { type: String, maxlength: 64 },
    /** UPI transaction reference or card approval code from the desk terminal; never card numbers. */
    reference: { type: String, maxlength: 60 },
    dedupeKey: { type: String, required: true },
    status: { type: String, enum: PAYMENT_STATUSES, required: true },
    rejectReason: { type: String },
    receivedAt: { type: Date, required: true },
    localDate: { type: String, required: true },
    receiptNumber: { type: String, maxlength: 16 },
    receiptFinancialYear: { type: String },
    /** What refunds may still take: the amount less every refund requested and not failed. */
    refundablePaise: { type: Number, required: true, min: 0 },
    reservedRefundIds: { type: [mongoose.Schema.Types.ObjectId], default: [] },
    pdfKey: { type: String },
    recordedBy: { type: String, required: true },
  },
  { timestamps: true },
);

// Idempotency: one payment per provider payment id (webhook redelivery) or desk idempotency key.
paymentSchema.index({ clinicId: 1, dedupeKey: 1 }, { unique: true, name: 'payment_dedupe_unique' });
// An invoice's payments (refunds pick the payment to return money to; the invoice page lists them).
paymentSchema.index({ clinicId: 1, invoiceId: 1, receivedAt: -1 });

/** The Payment model. */
export const Payment = mongoose.model('Payment', paymentSchema);
