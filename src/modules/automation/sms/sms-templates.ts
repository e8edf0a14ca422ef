/**
 * Our SMS texts, each exactly as registered on the DLT platform (variables in braces are the
 * `{#var#}` slots). A text that does not match its registered template is blocked by the operator,
 * so these change only together with a new DLT registration (and a new template id in config).
 */

/** The SMS templates and their variables. */
export interface SmsTemplateVars {
  reminder: { doctor: string; when: string; clinic: string };
  hold_released: { doctor: string; when: string; clinic: string };
  no_show: { doctor: string; when: string; clinic: string };
}
/** One template key. */
export type SmsTemplateKey = keyof SmsTemplateVars;

const TEXTS: { [K in SmsTemplateKey]: Record<'en' | 'hi', (vars: SmsTemplateVars[K]) => string> } = {
  reminder: {
    en: (v) =>
      `Reminder: your appointment with ${v.doctor} is on ${v.when} at ${v.clinic}. To change it, message us on WhatsApp or call the clinic.`,
    hi: (v) =>
      `याद दिलाना: ${v.doctor} के साथ आपका अपॉइंटमेंट ${v.when} को ${v.clinic} में है। बदलने के लिए WhatsApp पर लिखें या क्लिनिक को फ़ोन करें।`,
  },
  hold_released: {
    en: (v) =>
      `The time held for you with ${v.doctor} on ${v.when} at ${v.clinic} was released as the payment was not completed. Message us on WhatsApp to book again.`,
    hi: (v) =>
      `भुगतान पूरा न होने से ${v.clinic} में ${v.doctor} के साथ ${v.when} का रोका गया समय छोड़ दिया गया। दोबारा बुक करने के लिए WhatsApp पर लिखें।`,
  },
  no_show: {
    en: (v) =>
      `We missed you for your appointment with ${v.doctor} on ${v.when} at ${v.clinic}. Message us on WhatsApp to book again.`,
    hi: (v) =>
      `${v.clinic} में ${v.doctor} के साथ ${v.when} के अपॉइंटमेंट पर आप नहीं आ सके। दोबारा बुक करने के लिए WhatsApp पर लिखें।`,
  },
};

/** The text of `key` in `language` with `vars` filled in. */
export function smsText<K extends SmsTemplateKey>(key: K, language: 'en' | 'hi', vars: SmsTemplateVars[K]): string {
  return TEXTS[key][language](vars);
}
