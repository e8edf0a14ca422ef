/**
 * What the Graph API stand-in received: each accepted Cloud API message (the request body as
 * sent), its wamid, when, and the latest status it reported back. This is Meta's side, so it is
 * keyed by the business number, not by clinic. Registered only in sandbox mode (`sandboxMessages()`
 * is first called at registration), so production databases never get the collection. Numbers
 * and content are encrypted all the same: developers type real numbers into sandboxes.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

/** Statuses the stand-in reports, in order (or `failed`). */
export type SandboxStatus = 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';

/** A recorded message, encrypted fields opened. */
export interface SandboxMessageRecord {
  _id: Types.ObjectId;
  phoneNumberId: string;
  wamid: string;
  to: string;
  toHash: string;
  /** The Cloud API request body exactly as the client sent it. */
  message: Record<string, unknown>;
  at: Date;
  status: SandboxStatus;
  statusAt?: Date;
}

const schema = new mongoose.Schema(
  {
    phoneNumberId: { type: String, required: true },
    wamid: { type: String, required: true },
    to: { type: String, required: true },
    toHash: { type: String, required: true },
    message: { type: mongoose.Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
    status: { type: String, required: true },
    statusAt: { type: Date },
  },
  { collection: 'sandbox_whatsapp_messages' },
);

encryptedFields(schema, { scope: 'sandboxWhatsApp', paths: ['to', 'message'] });

// The chat page and tests: one recipient's messages, oldest first.
schema.index({ phoneNumberId: 1, toHash: 1, at: 1, _id: 1 }, { name: 'sandbox_wa_recipient' });
// Status callbacks and lookups by wamid.
schema.index({ wamid: 1 }, { unique: true, name: 'sandbox_wa_wamid' });

const define = () => mongoose.model('SandboxWhatsAppMessage', schema);
type SandboxMessageModel = ReturnType<typeof define>;
let model: SandboxMessageModel | undefined;

/** The stand-in's model, registered on first use. */
export function sandboxMessages(): SandboxMessageModel {
  model ??= (mongoose.models.SandboxWhatsAppMessage as SandboxMessageModel | undefined) ?? define();
  return model;
}
