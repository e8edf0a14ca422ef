/**
 * One WhatsApp user as the transport sees them, per clinic: created by their first inbound message
 * (or the first message we send them), before and independent of any patient registration. It
 * holds what the transport must coordinate across processes without transactions:
 * - `lastInboundAt`: the 24-hour customer-service window, moved forward with `$max`;
 * - `lockOwner` / `lockedUntil`: the lease that lets one worker at a time handle their messages;
 * - `nextSendAt`: the pacing slot, so our messages to them go out spaced and in order.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';
import { blindIndexOf } from '../../platform/crypto/keyring.js';

/** A WhatsApp user as stored, `waId` opened. */
export interface WaContactRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  waId: string;
  waHash: string;
  lastInboundAt?: Date;
  lockOwner?: string;
  lockedUntil?: Date;
  nextSendAt?: Date;
}

const waContactSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, ref: 'Clinic', required: true },
    /** Country code and number, no `+` (Meta's `wa_id`), encrypted. */
    waId: { type: String, required: true },
    /** Blind index of `+<waId>` as a phone number: equals Contact.phoneHash for the same number. */
    waHash: { type: String, required: true },
    lastInboundAt: { type: Date },
    lockOwner: { type: String },
    lockedUntil: { type: Date },
    nextSendAt: { type: Date },
  },
  { timestamps: true, collection: 'wa_contacts' },
);

// `waHash` is written by the services (see waHashOf), not by the plugin: Meta's wa_id has no `+`,
// which the phone blind index needs, so the plugin's own index would reject non-Indian numbers.
encryptedFields(waContactSchema, { scope: 'waContact', paths: ['waId'] });

// Find-or-create by sender on every inbound message and every send; unique, so racing upserts
// create one record.
waContactSchema.index({ clinicId: 1, waHash: 1 }, { unique: true, name: 'wa_contact_unique' });

/** The WaContact model. */
export const WaContact = mongoose.model('WaContact', waContactSchema);

/** The blind index of a WhatsApp id (as the phone `+<waId>`); throws AppError 422 for a non-number. */
export function waHashOf(waId: string): string {
  return blindIndexOf('phone', `+${waId}`);
}
