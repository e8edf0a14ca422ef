/**
 * Sending an SMS in India: every commercial SMS must match a template registered on the DLT
 * platform (TRAI's TCCCPR 2018), from a registered sender id (header) of a registered entity. So a
 * message names its template (`key` + language, mapped to a DLT template id in config) and its
 * text must be that template with the variables filled in.
 */

/** One SMS to send. */
export interface SmsToSend {
  /** E.164, e.g. +919812345678. */
  to: string;
  /** Our template key (`reminder`, `appointment_update`, `payment_link`, `otp`, …). */
  template: string;
  language: 'en' | 'hi';
  /** The DLT-registered template's text with its variables filled in. */
  text: string;
}

/** Why a send failed, as a code, and whether trying again may help. */
export class SmsError extends Error {
  constructor(
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(`SMS not sent (${code})`);
    this.name = 'SmsError';
  }
}

/** An SMS gateway. The patient portal uses the same provider for OTPs to numbers not on WhatsApp. */
export interface SmsProvider {
  readonly name: string;
  /** Sends `message`; resolves with the provider's message id, or throws SmsError. */
  send(message: SmsToSend): Promise<{ providerMessageId: string }>;
}
