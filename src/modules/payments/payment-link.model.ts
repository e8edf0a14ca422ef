/**
 * Our record of each Razorpay payment link. One invoice may get several links over time (one
 * expired, the desk sends another), numbered by `attempt`; the unique (clinic, invoice, attempt)
 * index lets exactly one of two concurrent requests create a given attempt. The Razorpay
 * `reference_id` is the invoice id for the first link and `<invoice id>-<attempt>` after, because
 * Razorpay refuses a reference id it has seen before.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';

/** `creating`: reserved, Razorpay not answered yet. The rest mirror Razorpay's statuses. */
export const PAYMENT_LINK_STATUSES = ['creating', 'created', 'paid', 'cancelled', 'expired', 'failed'] as const;
/** One payment link status. */
export type PaymentLinkStatus = (typeof PAYMENT_LINK_STATUSES)[number];

/** A payment link as stored. */
export interface PaymentLinkRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  invoiceId: Types.ObjectId;
  appointmentId?: Types.ObjectId;
  patientId: Types.ObjectId;
  attempt: number;
  referenceId: string;
  providerLinkId?: string;
  shortUrl?: string;
  amountPaise: number;
  expireBy: Date;
  status: PaymentLinkStatus;
  failedPayments: number;
  createdBy: string;
  paidAt?: Date;
  cancelledAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const paymentLinkSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    invoiceId: { type: mongoose.Schema.Types.ObjectId, required: true },
    appointmentId: { type: mongoose.Schema.Types.ObjectId },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    attempt: { type: Number, required: true, min: 1 },
    referenceId: { type: String, required: true, maxlength: 40 },
    providerLinkId: { type: String },
    shortUrl: { type: String },
    amountPaise: { type: Number, required: true, min: 100 },
    expireBy: { type: Date, required: true },
    status: { type: String, enum: PAYMENT_LINK_STATUSES, required: true },
    failedPayments: { type: Number, default: 0 },
    createdBy: { type: String, required: true },
    paidAt: { type: Date },
    cancelledAt: { type: Date },
  },
  { timestamps: true },
);

// One link per attempt: the newest attempt of an invoice is what "send a link" reuses or follows.
paymentLinkSchema.index(
  { clinicId: 1, invoiceId: 1, attempt: 1 },
  { unique: true, name: 'payment_link_attempt_unique' },
);
// Webhooks find our record by Razorpay's link id (Razorpay keeps them unique).
paymentLinkSchema.index({ providerLinkId: 1 });
// Releasing a hold cancels the open links of its appointment.
paymentLinkSchema.index({ clinicId: 1, appointmentId: 1, status: 1 });

/** The PaymentLink model. */
export const PaymentLink = mongoose.model('PaymentLink', paymentLinkSchema);
