/**
 * OutboundMessage: one message we send a patient on WhatsApp, from the moment it is queued until
 * Meta reports it read (or failed). Status webhooks arrive out of order and repeated, so the
 * status only ever moves forward (outbound.status.ts). The recipient and content are PHI,
 * encrypted; `toHash` finds a number's messages, `waContactId` orders and paces them.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';
import type { OutboundMessage } from './whatsapp-messages.js';

/** queued → sent (wamid) → delivered → read, or failed. */
export const OUTBOUND_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
/** One outbound status. */
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

/** Why a message is sent; the purposes with a configured template can fall back to it outside the window. */
export const OUTBOUND_PURPOSES = [
  'conversation',
  'reminder',
  'appointment_update',
  'payment_link',
  'otp',
  'document',
  'report',
] as const;
/** One purpose. */
export type OutboundPurpose = (typeof OUTBOUND_PURPOSES)[number];

/** The template to send instead when the 24-hour window is closed. */
export interface TemplateFallback {
  /** Defaults to the template configured for the purpose. */
  name?: string;
  /** Defaults to the contact's preferred language. */
  language?: 'en' | 'hi';
  components?: {
    header?: Extract<OutboundMessage, { kind: 'template' }>['header'];
    bodyParameters?: string[];
    quickReplyPayloads?: string[];
  };
}

/** An outbound record as stored, encrypted fields opened. */
export interface OutboundRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  waContactId: Types.ObjectId;
  to: string;
  toHash: string;
  purpose: OutboundPurpose;
  appointmentId?: Types.ObjectId;
  message: OutboundMessage;
  template?: TemplateFallback;
  status: OutboundStatus;
  queuedAt: Date;
  /** What actually went out: the message itself, or its template fallback. */
  sentAs?: 'message' | 'template';
  sentMessage?: OutboundMessage;
  wamid?: string;
  dispatchedAt?: Date;
  sentAt?: Date;
  deliveredAt?: Date;
  readAt?: Date;
  failedAt?: Date;
  /** A code, never text: `outside_window`, `graph_400_131026`, `meta_131047`, … */
  failureReason?: string;
  attempts: number;
}

const outboundSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, ref: 'Clinic', required: true },
    waContactId: { type: mongoose.Schema.Types.ObjectId, ref: 'WaContact', required: true },
    to: { type: String, required: true },
    toHash: { type: String, required: true },
    purpose: { type: String, enum: OUTBOUND_PURPOSES, required: true },
    appointmentId: { type: mongoose.Schema.Types.ObjectId, ref: 'Appointment' },
    message: { type: mongoose.Schema.Types.Mixed, required: true },
    template: { type: mongoose.Schema.Types.Mixed },
    status: { type: String, enum: OUTBOUND_STATUSES, default: 'queued' },
    /** Millisecond order of queueing: messages to one recipient go out in this order. */
    queuedAt: { type: Date, required: true },
    sentAs: { type: String, enum: ['message', 'template'] },
    sentMessage: { type: mongoose.Schema.Types.Mixed },
    wamid: { type: String },
    /** When the pacing slot was claimed for the send that succeeded. */
    dispatchedAt: { type: Date },
    sentAt: { type: Date },
    deliveredAt: { type: Date },
    readAt: { type: Date },
    failedAt: { type: Date },
    failureReason: { type: String },
    attempts: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'whatsapp_outbound' },
);

encryptedFields(outboundSchema, { scope: 'outbound', paths: ['to', 'message', 'template', 'sentMessage'] });

// Status webhooks find their message by wamid.
outboundSchema.index({ clinicId: 1, wamid: 1 }, { name: 'outbound_wamid' });
// "Is an earlier message to this recipient still queued?" (strict per-recipient order).
outboundSchema.index(
  { clinicId: 1, waContactId: 1, status: 1, queuedAt: 1, _id: 1 },
  { name: 'outbound_recipient_queue' },
);
// The sweeper: messages queued long ago whose job may have been lost.
outboundSchema.index({ clinicId: 1, status: 1, queuedAt: 1 }, { name: 'outbound_stale_queued' });

/** The OutboundMessage model (named so to keep the type OutboundMessage for the message itself). */
export const OutboundMessageModel = mongoose.model('OutboundMessage', outboundSchema);
