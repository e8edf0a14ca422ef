/**
 * The inbox: every WhatsApp message a patient sent us, stored before the webhook is answered and
 * processed afterwards, one at a time per sender in timestamp order. The unique wamid makes
 * Meta's at-least-once delivery harmless. What the patient wrote is PHI: the content, the
 * sender's number and profile name are encrypted; `waHash` groups a sender's messages.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

/** What kind of message the patient sent, as the conversation reads it. */
export const INBOUND_KINDS = ['text', 'button', 'list', 'unsupported', 'too_long'] as const;
/** One inbound kind. */
export type InboundKind = (typeof INBOUND_KINDS)[number];
/** `pending` until handled; `failed` after the last attempt (with an error code, never content). */
export const INBOX_STATUSES = ['pending', 'done', 'failed'] as const;
/** One inbox status. */
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/** The encrypted part of an inbound message. */
export interface InboundContent {
  text?: string;
  replyId?: string;
  replyTitle?: string;
}

/** An inbox item as stored, encrypted fields opened. */
export interface InboxRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  waContactId: Types.ObjectId;
  wamid: string;
  waId: string;
  waHash: string;
  profileName?: string;
  kind: InboundKind;
  content?: InboundContent;
  timestamp: Date;
  receivedAt: Date;
  status: InboxStatus;
  attempts: number;
  lastError?: string;
  retryAt?: Date;
  processedAt?: Date;
}

const inboxSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, ref: 'Clinic', required: true },
    waContactId: { type: mongoose.Schema.Types.ObjectId, ref: 'WaContact', required: true },
    /** Meta's message id; unique across Meta, so the unique index below is global. */
    wamid: { type: String, required: true },
    waId: { type: String, required: true },
    waHash: { type: String, required: true },
    profileName: { type: String },
    kind: { type: String, enum: INBOUND_KINDS, required: true },
    content: { type: mongoose.Schema.Types.Mixed },
    /** When the patient sent it (Meta's timestamp): the processing order. */
    timestamp: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    status: { type: String, enum: INBOX_STATUSES, default: 'pending' },
    attempts: { type: Number, default: 0 },
    /** Error code of the last failed attempt (AppError code or error class), never a message. */
    lastError: { type: String },
    /** After a failed attempt: not before this time (the sender's later messages wait behind it). */
    retryAt: { type: Date },
    processedAt: { type: Date },
  },
  { collection: 'whatsapp_inbox' },
);

encryptedFields(inboxSchema, { scope: 'inbox', paths: ['waId', 'profileName', 'content'] });

// Dedupe of Meta's redeliveries: the insert of a wamid seen before fails with E11000.
inboxSchema.index({ wamid: 1 }, { unique: true, name: 'inbox_wamid_unique' });
// The next pending message of one sender, oldest first (the drain loop), and "any pending left?".
inboxSchema.index({ clinicId: 1, waContactId: 1, status: 1, timestamp: 1, _id: 1 }, { name: 'inbox_sender_queue' });
// The sweeper: pending messages received more than a few seconds ago.
inboxSchema.index({ clinicId: 1, status: 1, receivedAt: 1 }, { name: 'inbox_stale_pending' });

/** The Inbox model. */
export const Inbox = mongoose.model('InboxMessage', inboxSchema);
