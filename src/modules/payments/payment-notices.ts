/**
 * What the patient is told on WhatsApp about money that the booking chat does not already say:
 * a failed payment attempt, a late payment that could not get the slot back (and is refunded),
 * and a refund paid out. Texts in the contact's language; no clinical content. Sending is
 * best-effort (logged, never thrown): the money records are what must not fail.
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { formatRupees } from '../../../flows/booking.format.js';
import { log } from '../../platform/logger.js';
import { sendWhatsApp } from '../messaging/outbound.service.js';
import { textMessage } from '../messaging/whatsapp-messages.js';
import { contactOfPatient } from '../patients/contact.service.js';
import type { Language } from '../patients/contact.model.js';

/** The notices, each a sentence per language. */
export type PaymentNotice =
  | { key: 'payment_failed' }
  | { key: 'late_payment_refunded'; amountPaise: number }
  | { key: 'refund_processed'; amountPaise: number }
  | { key: 'refund_failed'; amountPaise: number };

const TEXTS: Record<Language, (notice: PaymentNotice) => string> = {
  en: (notice) => {
    switch (notice.key) {
      case 'payment_failed':
        return "Your payment didn't go through. No money was taken — you can try again with the same link.";
      case 'late_payment_refunded':
        return `Your payment of ${formatRupees(notice.amountPaise)} reached us after the held time was released, and that time is no longer free. We are refunding it in full to your original payment method. Type *book* to choose another time.`;
      case 'refund_processed':
        return `Your refund of ${formatRupees(notice.amountPaise)} has been processed. It usually reaches your account in 5–7 working days.`;
      case 'refund_failed':
        return `We could not complete your refund of ${formatRupees(notice.amountPaise)} online. Our front desk will contact you to return it.`;
    }
  },
  hi: (notice) => {
    switch (notice.key) {
      case 'payment_failed':
        return 'आपका भुगतान पूरा नहीं हुआ। कोई पैसा नहीं कटा — आप उसी लिंक से दोबारा कोशिश कर सकते हैं।';
      case 'late_payment_refunded':
        return `आपका ${formatRupees(notice.amountPaise)} का भुगतान रोका गया समय छूटने के बाद मिला, और वह समय अब खाली नहीं है। हम पूरी राशि आपके मूल भुगतान माध्यम में लौटा रहे हैं। दूसरा समय चुनने के लिए *book* लिखें।`;
      case 'refund_processed':
        return `आपका ${formatRupees(notice.amountPaise)} का रिफ़ंड हो गया है। यह आमतौर पर 5–7 कार्यदिवसों में आपके खाते में पहुँच जाता है।`;
      case 'refund_failed':
        return `आपका ${formatRupees(notice.amountPaise)} का रिफ़ंड ऑनलाइन पूरा नहीं हो सका। हमारा रिसेप्शन स्टाफ़ इसे लौटाने के लिए आपसे संपर्क करेगा।`;
    }
  },
};

/** Where a notice belongs, and the key that makes it go once however often its cause is replayed. */
export interface NoticeOptions {
  appointmentId?: string | undefined;
  /** Ids only, e.g. `late|<paymentId>`: concurrent or repeated calls with one key send one message. */
  once: string;
}

// The message id is derived from the key, so the outbound record's unique _id lets one call win.
function outboundIdOf(clinicId: string, once: string): Types.ObjectId {
  return new Types.ObjectId(
    createHash('sha256').update(`payment-notice|${clinicId}|${once}`).digest('hex').slice(0, 24),
  );
}

/** Sends `notice` to the WhatsApp number of `patientId`'s contact, once per `options.once`; false when there is no number or sending failed. */
export async function notifyPatient(
  clinicId: string,
  patientId: string,
  notice: PaymentNotice,
  options: NoticeOptions,
): Promise<boolean> {
  try {
    const contact = await contactOfPatient(clinicId, patientId);
    if (!contact) return false;
    const body = TEXTS[contact.preferredLanguage ?? 'en'](notice);
    await sendWhatsApp({
      clinicId,
      to: contact.phone,
      message: textMessage(body),
      purpose: 'appointment_update',
      ...(options.appointmentId ? { appointmentId: options.appointmentId } : {}),
      outboundId: outboundIdOf(clinicId, options.once),
      template: { components: { bodyParameters: [body] } },
    });
    return true;
  } catch (error) {
    log().warn({ err: error, patientId, notice: notice.key }, 'payment notice not sent');
    return false;
  }
}
