/**
 * How a sign-in code reaches the phone. WhatsApp first: Meta's authentication template with the
 * code in the body and on its copy-code button, through the messaging module's outbound queue
 * (so the production path is the one tested; in sandbox mode the Graph stand-in records it).
 * SMS is for numbers that cannot receive WhatsApp: the patient asks for it (`channel: 'sms'`), and
 * the clinic's SMS provider (automation module, DLT-registered text) sends it.
 */
import type { Config } from '../../config.js';
import { sendWhatsApp, templateMessage } from '../messaging/index.js';

/** A code to deliver, to an E.164 number, in the patient's language. */
export interface OtpMessage {
  clinicId: string;
  phone: string;
  code: string;
  language: 'en' | 'hi';
}

/** Sends a sign-in code by SMS (the clinic's SMS provider). */
export type SmsOtpSender = (message: OtpMessage) => Promise<void>;

/** The OTP text as registered on the DLT platform (the SMS provider sends only registered texts). */
export function otpSmsText(message: Pick<OtpMessage, 'code' | 'language'>): string {
  return message.language === 'hi'
    ? `${message.code} आपका CINIC साइन-इन कोड है। यह 10 मिनट तक एक बार काम करेगा। इसे किसी से साझा न करें।`
    : `${message.code} is your CINIC sign-in code. It works once, for 10 minutes. Do not share it.`;
}

/** Queues the authentication template carrying `code` for `phone`. */
export async function sendOtpOnWhatsApp(config: Pick<Config, 'whatsapp'>, message: OtpMessage): Promise<void> {
  const spec = config.whatsapp.templates.otp;
  await sendWhatsApp({
    clinicId: message.clinicId,
    to: message.phone,
    purpose: 'otp',
    message: templateMessage({
      name: spec.name,
      languageCode: spec.languages[message.language],
      bodyParameters: [message.code],
      copyCode: message.code,
    }),
  });
}
