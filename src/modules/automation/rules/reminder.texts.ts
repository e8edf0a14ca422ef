/** The reminder's words in each language (WhatsApp body, buttons, queue hint). */

/** Values a reminder shows. */
export interface ReminderValues {
  doctor: string;
  when: string;
  clinicLine: string;
  /** The patient's place on the doctor's list that day (1 = first). */
  position: number;
}

/** The queue hint: where they are on the list, and when the token is given. */
export function queueHint(language: 'en' | 'hi', values: ReminderValues): string {
  return language === 'hi'
    ? `उस दिन ${values.doctor} की सूची में आपका नंबर ${values.position} है; टोकन नंबर रिसेप्शन पर चेक-इन के समय मिलेगा।`
    : `You are no. ${values.position} on ${values.doctor}'s list that day; your token number is given when you check in at the desk.`;
}

/** The reminder's body. */
export function reminderBody(language: 'en' | 'hi', values: ReminderValues): string {
  if (language === 'hi')
    return [
      `⏰ याद दिलाना: *${values.doctor}* के साथ आपका अपॉइंटमेंट *${values.when}* को है।`,
      `📍 ${values.clinicLine}`,
      `🎫 ${queueHint('hi', values)}`,
      'आ रहे हैं तो *पक्का करें* दबाएँ, या *समय बदलें* / *रद्द करें*।',
    ].join('\n');
  return [
    `⏰ Reminder: your appointment with *${values.doctor}* is on *${values.when}*.`,
    `📍 ${values.clinicLine}`,
    `🎫 ${queueHint('en', values)}`,
    "Tap *Confirm* if you're coming, or *Reschedule* / *Cancel*.",
  ].join('\n');
}

/** Button titles (≤ 20 characters). */
export const REMINDER_BUTTONS = {
  en: { confirm: 'Confirm', reschedule: 'Reschedule', cancel: 'Cancel' },
  hi: { confirm: 'पक्का करें', reschedule: 'समय बदलें', cancel: 'रद्द करें' },
} as const;

/** The answer to a Confirm tap. */
export function confirmedReply(language: 'en' | 'hi', doctor: string, when: string): string {
  return language === 'hi'
    ? `🙏 धन्यवाद! *${doctor}* के साथ *${when}* पर आपका इंतज़ार रहेगा।`
    : `🙏 Thank you! We'll see you with *${doctor}* on *${when}*.`;
}
