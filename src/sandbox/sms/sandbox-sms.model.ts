/** What the SMS stand-in received (sandbox only: the texts are shown on its page per number). */
import mongoose from 'mongoose';

const sandboxSmsSchema = new mongoose.Schema(
  {
    providerMessageId: { type: String, required: true },
    to: { type: String, required: true },
    text: { type: String, required: true },
    sender: { type: String, required: true },
    dltTemplateId: { type: String, required: true },
    entityId: { type: String, required: true },
    msgType: { type: String, required: true },
  },
  { timestamps: true, collection: 'sandbox_sms' },
);
// The page and tests: one number's texts, newest first.
sandboxSmsSchema.index({ to: 1, createdAt: -1 });

/** Switches a person flips on the page: the whole gateway down (503 to every send). */
const sandboxSmsSwitchSchema = new mongoose.Schema(
  { _id: { type: String, required: true }, gatewayDown: { type: Boolean, default: false } },
  { collection: 'sandbox_sms_switches' },
);

/** A received SMS as stored. */
export interface SandboxSmsRecord {
  providerMessageId: string;
  to: string;
  text: string;
  sender: string;
  dltTemplateId: string;
  entityId: string;
  msgType: string;
  createdAt: Date;
}

/** The stand-in's message log. */
export const SandboxSms = mongoose.model('SandboxSms', sandboxSmsSchema);
/** The stand-in's switches (one document, `_id: 'switches'`). */
export const SandboxSmsSwitch = mongoose.model('SandboxSmsSwitch', sandboxSmsSwitchSchema);
