/**
 * What the sandbox delivered to our webhook on a person's behalf: the phone's side of the chat,
 * so the chat page can show both sides after a reload or in another tab. Like the stand-in's
 * message log this is Meta's side (keyed by business number, not clinic, and independent of the
 * app's inbox), registered only in sandbox mode, with the number and content encrypted.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';

/** What was sent: typed text, or a tap on a reply button, list row or template quick reply. */
export type SandboxInboundContent =
  | { type: 'text'; text: string }
  | { type: 'button' | 'list' | 'quick_reply'; id: string; title: string };

/** A delivered message, encrypted fields opened. */
export interface SandboxInboundRecord {
  _id: Types.ObjectId;
  phoneNumberId: string;
  wamid: string;
  from: string;
  fromHash: string;
  content: SandboxInboundContent;
  at: Date;
}

const schema = new mongoose.Schema(
  {
    phoneNumberId: { type: String, required: true },
    wamid: { type: String, required: true },
    from: { type: String, required: true },
    fromHash: { type: String, required: true },
    content: { type: mongoose.Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'sandbox_whatsapp_inbound' },
);

encryptedFields(schema, { scope: 'sandboxWhatsAppInbound', paths: ['from', 'content'] });

// The chat page: what one number sent, oldest first.
schema.index({ phoneNumberId: 1, fromHash: 1, at: 1, _id: 1 }, { name: 'sandbox_wa_in_sender' });
// One record per delivered message.
schema.index({ wamid: 1 }, { unique: true, name: 'sandbox_wa_in_wamid' });

const define = () => mongoose.model('SandboxWhatsAppInbound', schema);
type SandboxInboundModel = ReturnType<typeof define>;
let model: SandboxInboundModel | undefined;

/** The model, registered on first use (in sandbox mode only). */
export function sandboxInbound(): SandboxInboundModel {
  model ??= (mongoose.models.SandboxWhatsAppInbound as SandboxInboundModel | undefined) ?? define();
  return model;
}
