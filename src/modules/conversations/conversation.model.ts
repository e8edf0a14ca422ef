/**
 * One WhatsApp conversation per number and clinic: the booking machine's persisted snapshot (with
 * its machine version), a version for optimistic writes, and the front-desk hand-off flag. The
 * snapshot holds names and times mid-booking, so it is encrypted; the number is encrypted and
 * found through its blind index (the same kind as contacts', so both find one number alike).
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

const conversationSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    /** The patient's WhatsApp number as E.164 (`+` and the wa_id digits). */
    phone: { type: String, required: true },
    phoneHash: { type: String },
    snapshot: { type: mongoose.Schema.Types.Mixed },
    machineVersion: { type: Number, required: true },
    /** Bumped on every write; a step persists only if nobody wrote in between. */
    version: { type: Number, default: 0 },
    /** The machine's state path (no patient data), for the staff list and metrics. */
    state: { type: String },
    handedOff: { type: Boolean, default: false },
    handedOffAt: { type: Date },
    handoffReason: { type: String },
    /** Consent declined on this number: notice version and time only (DPDP: keep nothing else). */
    consentDeclines: { type: [{ noticeVersion: String, language: String, at: Date, _id: false }], default: [] },
    lastEventAt: { type: Date },
  },
  { timestamps: true },
);

encryptedFields(conversationSchema, {
  scope: 'conversation',
  paths: ['phone', 'snapshot'],
  blindIndexes: [{ path: 'phone', indexPath: 'phoneHash', kind: 'phone' }],
});

// One conversation per number per clinic: the runner finds (or creates) it by the hash.
conversationSchema.index({ clinicId: 1, phoneHash: 1 }, { unique: true });
// The front desk's list of chats waiting for a person.
conversationSchema.index({ clinicId: 1, handedOff: 1, handedOffAt: 1 });

/** A conversation as stored (decrypted by the model layer). */
export interface ConversationRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  phone: string;
  snapshot?: unknown;
  machineVersion: number;
  version: number;
  state?: string;
  handedOff: boolean;
  handedOffAt?: Date;
  handoffReason?: string;
  consentDeclines: { noticeVersion: string; language: string; at: Date }[];
  lastEventAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** The Conversation model. */
export const Conversation = mongoose.model('Conversation', conversationSchema);
