/**
 * Refunds: money going back against one payment (Razorpay refunds a payment, not an invoice).
 * `requested → processing → processed | failed`; a desk refund handed over in cash goes straight
 * to `processed`. `reserving` is the short step while its amount is taken off the payment's
 * refundable balance. `idempotencyKey` is derived from our id and is what the Razorpay call
 * sends as X-Refund-Idempotency, so a retried call can never refund twice; `requestKey` makes
 * requesting idempotent (`cancel|<appointmentId>|<paymentId>` for automatic refunds).
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { PAYMENT_METHODS, PROVIDERS } from './payment.model.js';
import type { PaymentMethod } from './payment.model.js';

/** Refund states. */
export const REFUND_STATUSES = ['reserving', 'requested', 'processing', 'processed', 'failed'] as const;
/** One refund state. */
export type RefundStatus = (typeof REFUND_STATUSES)[number];
/** Who asked: staff, the cancellation rules, or money that could not be applied. */
export const REFUND_SOURCES = ['staff', 'cancellation', 'unapplied_payment'] as const;

/** A refund as stored. */
export interface RefundRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  invoiceId: Types.ObjectId;
  paymentId: Types.ObjectId;
  patientId: Types.ObjectId;
  appointmentId?: Types.ObjectId;
  amountPaise: number;
  /** The invoice line its credit note gives back (a returned item); else the invoice in proportion. */
  lineId?: string;
  reason: string;
  source: (typeof REFUND_SOURCES)[number];
  requestKey: string;
  idempotencyKey: string;
  channel: 'counter' | 'online';
  /** How a desk refund is paid back (cash from the till, or card/UPI reversal through the bank). */
  method?: PaymentMethod;
  provider?: (typeof PROVIDERS)[number];
  providerPaymentId?: string;
  providerRefundId?: string;
  status: RefundStatus;
  failureReason?: string;
  creditNoteId?: Types.ObjectId;
  creditNoteNumber?: string;
  voucherNumber?: string;
  localDate?: string;
  requestedBy: string;
  requestedAt: Date;
  processedAt?: Date;
  failedAt?: Date;
  pdfKey?: string;
  createdAt: Date;
  updatedAt: Date;
}

const refundSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    invoiceId: { type: mongoose.Schema.Types.ObjectId, required: true },
    paymentId: { type: mongoose.Schema.Types.ObjectId, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    appointmentId: { type: mongoose.Schema.Types.ObjectId },
    amountPaise: { type: Number, required: true, min: 1, validate: Number.isSafeInteger },
    lineId: { type: String },
    reason: { type: String, required: true, maxlength: 300 },
    source: { type: String, enum: REFUND_SOURCES, required: true },
    requestKey: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    channel: { type: String, enum: ['counter', 'online'], required: true },
    method: { type: String, enum: PAYMENT_METHODS },
    provider: { type: String, enum: PROVIDERS },
    providerPaymentId: { type: String },
    providerRefundId: { type: String, maxlength: 64 },
    status: { type: String, enum: REFUND_STATUSES, required: true },
    failureReason: { type: String, maxlength: 300 },
    creditNoteId: { type: mongoose.Schema.Types.ObjectId },
    creditNoteNumber: { type: String },
    voucherNumber: { type: String, maxlength: 16 },
    /** Clinic-local day it was paid out (the voucher's and the ledger's date). */
    localDate: { type: String },
    requestedBy: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    processedAt: { type: Date },
    failedAt: { type: Date },
    pdfKey: { type: String },
  },
  { timestamps: true },
);

// Idempotent requests: the same cancellation (or retried request) asks for one refund.
refundSchema.index({ clinicId: 1, requestKey: 1 }, { unique: true, name: 'refund_request_unique' });
// An invoice's refunds (the invoice page, the cancellation handler's "already refunded?").
refundSchema.index({ clinicId: 1, invoiceId: 1, requestedAt: -1 });
// The webhook finds our refund by Razorpay's refund id once it knows it.
refundSchema.index({ clinicId: 1, providerRefundId: 1 });

/** The Refund model. */
export const Refund = mongoose.model('Refund', refundSchema);
