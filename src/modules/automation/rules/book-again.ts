/** The polite notices after a lapsed hold or a missed visit, with a Book again button. */
import { encodeInteractiveId, replyButtonsMessage } from '../../messaging/index.js';
import type { OutboundMessage } from '../../messaging/index.js';
import type { AppointmentNoticeContext } from './appointment-notice-parts.js';

/** Which notice. */
export type BookAgainNotice = 'hold_released' | 'no_show';

const BODY: Record<BookAgainNotice, Record<'en' | 'hi', (c: AppointmentNoticeContext) => string>> = {
  hold_released: {
    en: (c) =>
      `The time we held for you with *${c.doctorName}* on *${c.when}* has been released, as the payment was not completed. No money was taken. Would you like to choose another time?`,
    hi: (c) =>
      `भुगतान पूरा न होने के कारण *${c.doctorName}* के साथ *${c.when}* का रोका गया समय छोड़ दिया गया है। कोई पैसा नहीं कटा। क्या आप कोई दूसरा समय चुनना चाहेंगे?`,
  },
  no_show: {
    en: (c) =>
      `We missed you at your appointment with *${c.doctorName}* on *${c.when}*. We hope all is well. Would you like to book another time?`,
    hi: (c) =>
      `*${c.doctorName}* के साथ *${c.when}* के अपॉइंटमेंट पर हम आपसे नहीं मिल सके। आशा है सब ठीक है। क्या आप कोई दूसरा समय बुक करना चाहेंगे?`,
  },
};

const BUTTON = { en: 'Book again', hi: 'फिर से बुक करें' };

/** The notice with a Book again button: the booking conversation's `book` menu option, honoured from any step. */
export function bookAgainMessage(notice: BookAgainNotice, context: AppointmentNoticeContext): OutboundMessage {
  return replyButtonsMessage({
    body: BODY[notice][context.language](context),
    buttons: [{ id: encodeInteractiveId('menu', 'again', 'book'), title: BUTTON[context.language] }],
  });
}

/** The same body, as the only parameter of the `appointment_update` template outside the window. */
export function bookAgainText(notice: BookAgainNotice, context: AppointmentNoticeContext): string {
  return BODY[notice][context.language](context);
}
