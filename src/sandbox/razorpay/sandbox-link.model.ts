/**
 * Payment links as the Razorpay stand-in keeps them: Razorpay's side, so keyed by the merchant
 * key id rather than by clinic. Times are Unix seconds, as in Razorpay's entities. Registered only
 * in sandbox mode (`sandboxLinks()` is first called at registration); the customer's details and
 * the description are encrypted all the same, because developers type real numbers into sandboxes.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

/** What a link's status can be stored as (`expired` is also derived on read once expire_by passes). */
export type LinkStatus = 'created' | 'paid' | 'cancelled' | 'expired';

/** One payment attempt on a link, as the link entity lists it. */
export interface LinkPaymentRecord {
  paymentId: string;
  amount: number;
  method: string;
  status: 'captured' | 'failed';
  createdAt: number;
}

/** A stored link, encrypted fields opened. */
export interface SandboxLinkRecord {
  _id: Types.ObjectId;
  keyId: string;
  linkId: string;
  /** `reference_id`, or the link id when there is none: unique per account. */
  referenceKey: string;
  referenceId: string | null;
  orderId: string;
  amount: number;
  amountPaid: number;
  currency: string;
  description: string;
  customer: { name?: string; email?: string; contact?: string };
  notify: { sms?: boolean; email?: boolean; whatsapp?: boolean };
  reminderEnable: boolean;
  notes: Record<string, string | number> | null;
  acceptPartial: boolean;
  firstMinPartialAmount?: number;
  callbackUrl?: string;
  callbackMethod?: string;
  upiLink: boolean;
  expireBy: number | null;
  status: LinkStatus;
  cancelledAt: number;
  expiredAt: number;
  payments: LinkPaymentRecord[];
  createdAt: number;
  updatedAt: number;
}

const schema = new mongoose.Schema(
  {
    keyId: { type: String, required: true },
    linkId: { type: String, required: true },
    referenceKey: { type: String, required: true },
    referenceId: { type: String, default: null },
    orderId: { type: String, required: true },
    amount: { type: Number, required: true },
    amountPaid: { type: Number, default: 0 },
    currency: { type: String, required: true },
    description: { type: String, default: '' },
    customer: { type: mongoose.Schema.Types.Mixed, default: {} },
    notify: { type: mongoose.Schema.Types.Mixed, default: {} },
    reminderEnable: { type: Boolean, default: false },
    notes: { type: mongoose.Schema.Types.Mixed, default: null },
    acceptPartial: { type: Boolean, default: false },
    firstMinPartialAmount: { type: Number },
    callbackUrl: { type: String },
    callbackMethod: { type: String },
    upiLink: { type: Boolean, default: false },
    expireBy: { type: Number, default: null },
    status: { type: String, required: true },
    cancelledAt: { type: Number, default: 0 },
    expiredAt: { type: Number, default: 0 },
    payments: { type: [mongoose.Schema.Types.Mixed], default: [] },
    createdAt: { type: Number, required: true },
    updatedAt: { type: Number, required: true },
  },
  { collection: 'sandbox_razorpay_links', minimize: false },
);

encryptedFields(schema, { scope: 'sandboxRazorpayLink', paths: ['description', 'customer'] });

// Every API call: one link by id.
schema.index({ linkId: 1 }, { unique: true, name: 'sandbox_rzp_link_id' });
// reference_id is unique per account (Razorpay answers "reference_id already exists"); also GET /payment_links?reference_id=.
schema.index({ keyId: 1, referenceKey: 1 }, { unique: true, name: 'sandbox_rzp_link_reference' });
// The sandbox index page: an account's newest links.
schema.index({ keyId: 1, createdAt: -1, _id: -1 }, { name: 'sandbox_rzp_link_recent' });

const define = () => mongoose.model('SandboxRazorpayLink', schema);
type SandboxLinkModel = ReturnType<typeof define>;
let model: SandboxLinkModel | undefined;

/** The links model, registered on first use (in sandbox mode only). */
export function sandboxLinks(): SandboxLinkModel {
  model ??= (mongoose.models.SandboxRazorpayLink as SandboxLinkModel | undefined) ?? define();
  return model;
}
