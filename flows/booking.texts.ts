/**
 * Everything the bot says, in English (`en`) and Hindi (`hi`). The Hindi dictionary is typed as
 * the English one, so a key missing in either language fails the type check. Callers pass values
 * already formatted (dates via booking.format.ts); `*bold*` is WhatsApp's own markup.
 *
 * The bot speaks as the clinic ("we"), which also keeps Hindi free of the speaker's gender.
 */
import type { ConsentGiver, Flow, Lang, MenuOption, Relation, StepName } from './booking.types.js';

/**
 * Version of the consent notice below. Bump it whenever the notice's meaning changes: it is
 * recorded with every consent, so the clinic can show which text a patient agreed to.
 */
export const CONSENT_NOTICE_VERSION = 'whatsapp-booking-1';
/** The purposes the consent notice names, in the patients module's vocabulary (one consent record each). */
export const CONSENT_PURPOSES = ['care', 'whatsapp_messaging', 'reminders', 'payments'] as const;

/** Values for the consent notice. */
export interface ConsentParams {
  clinic: string;
  /** The patient's name (new family member); unused for the account holder's own notice. */
  name: string;
  giver: ConsentGiver;
  grievanceContact?: string;
  privacyNoticeUrl?: string;
}

/** Values for the payment messages; absent parts are left out of the sentence. */
export interface PaymentParams {
  when: string;
  doctor: string;
  amount: string | null;
  holdUntil: string | null;
}

interface Option {
  title: string;
  description: string;
}

// The first message goes out before the patient has chosen a language, so it speaks both.
const welcome = (clinic: string) =>
  `Namaste! Welcome to *${clinic}*.\nPlease choose your language.\n\nनमस्ते! *${clinic}* में आपका स्वागत है।\nकृपया अपनी भाषा चुनें।`;

const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', hi: 'हिन्दी' };

/** English. */
export const en = {
  welcome,
  languageNames: LANGUAGE_NAMES,
  chooseLanguage: 'Which language would you like us to use?',
  menuBody: (clinic: string) =>
    `*${clinic}*\nHow can we help you today? Tap *Menu* to see the options, or reply with a number.`,
  menuButton: 'Menu',
  menu: {
    book: { title: 'Book appointment', description: 'Choose a doctor, day and time' },
    mine: { title: 'My appointments', description: 'See your upcoming visits' },
    reschedule: { title: 'Reschedule', description: 'Move a visit to another time' },
    cancel: { title: 'Cancel appointment', description: 'Cancel an upcoming visit' },
    frontDesk: { title: 'Talk to front desk', description: 'Chat with our staff' },
    language: { title: 'Language / भाषा', description: 'English / हिन्दी' },
  } satisfies Record<MenuOption, Option>,
  chooseButton: 'Choose',
  targetBody: 'Which speciality or doctor would you like to see?',
  sections: { specialities: 'Specialities', doctors: 'Doctors', more: 'More' },
  anyDoctor: 'Any available doctor',
  moreOptions: { title: 'More options', description: 'More doctors and specialities' },
  dateBody: (target: string) => `Choose a day for *${target}*. These days have free times:`,
  rescheduleDateBody: (doctor: string, when: string) =>
    `Your appointment with *${doctor}* is on *${when}*. Choose a new day:`,
  freeTimes: (count: number) => (count === 1 ? '1 time free' : `${count} times free`),
  otherDoctor: { title: 'Another doctor', description: 'Choose another doctor or speciality' },
  dayButton: 'Choose day',
  slotBody: (day: string, target: string) => `Free times on *${day}* for *${target}*:`,
  timeButton: 'Choose time',
  moreTimes: { title: 'More times', description: 'Later times on this day' },
  otherDay: { title: 'Another day', description: 'Pick a different day' },
  confirmBody: (doctor: string, when: string) =>
    `Please confirm your appointment:\n🩺 *${doctor}*\n📅 *${when}*\n\nShall we book it?`,
  rescheduleConfirmBody: (doctor: string, from: string, to: string) =>
    `Move your appointment with *${doctor}*\nfrom ${from}\nto *${to}*?`,
  confirmButtons: { yes: 'Confirm', other: 'Another time', no: 'Cancel' },
  feeLine: (fee: string, now: string | null, atClinic: string | null) =>
    now
      ? `💰 Consultation fee *${fee}*: *${now}* to pay now to confirm${atClinic ? `, ${atClinic} at the clinic` : ''}.`
      : `💰 Consultation fee *${fee}*, paid at the clinic.`,
  rescheduleYes: 'Yes, move it',
  patientBody: 'Who is this appointment for?',
  relations: {
    self: 'You',
    child: 'Son / daughter',
    spouse: 'Husband / wife',
    parent: 'Mother / father',
    sibling: 'Brother / sister',
    other: 'Other relative',
  } satisfies Record<Relation, string>,
  newSelf: { title: 'Myself', description: 'I am a new patient' },
  newFamily: { title: 'Family member', description: 'Someone new on this number' },
  askHolderName: 'Please type your full name, as it should appear on your records.',
  askFamilyName: 'Please type the full name of the family member this appointment is for.',
  askAge: (name: string) =>
    `How old is *${name}*? Please reply with the age in years (type 0 for a baby under one year).`,
  relationBody: (name: string) => `How is *${name}* related to you?`,
  consentButtons: { accept: 'I agree', decline: "I don't agree" },
  consentAsk: 'Do you agree to the notice above?',
  consent: (p: ConsentParams) => {
    const subject = p.giver === 'patient' ? 'your' : `${p.name}'s`;
    const heading = `*Consent for ${subject} health data* (DPDP Act, 2023)`;
    const data =
      p.giver === 'patient'
        ? 'your name, phone number and the health details recorded at your visits'
        : `${p.name}'s name, age and the health details recorded at visits, with your phone number,`;
    const use = `${p.clinic} will use ${data} only to book appointments, give treatment, send reminders and bill. We never sell your data.`;
    const contact = p.grievanceContact
      ? ` with our grievance officer (${p.grievanceContact})`
      : ' by messaging us here';
    const rights =
      `You can withdraw consent, ask to see, correct or erase the data, or raise a grievance at any time${contact}. ` +
      'Medical records the law requires are kept for the required period. You can also complain to the Data Protection Board of India.';
    const link = p.privacyNoticeUrl ? `\nFull notice: ${p.privacyNoticeUrl}` : '';
    const agree =
      p.giver === 'patient'
        ? 'By tapping *I agree* you confirm you are 18 or older and agree to this.'
        : p.giver === 'guardian'
          ? `${p.name} is under 18, so the law needs a parent's or lawful guardian's consent. By tapping *I agree* you confirm you are their parent or lawful guardian and agree on their behalf.`
          : `By tapping *I agree* you confirm that ${p.name} has been told about this notice and agrees to it.`;
    return `${heading}\n${use}\n${rights}${link}\n\n${agree}`;
  },
  appointmentsBody: (lines: readonly string[], more: number) =>
    `Your upcoming appointments:\n\n${lines.join('\n')}${more > 0 ? `\n…and ${more} more` : ''}`,
  appointmentLine: (n: number, when: string, doctor: string, patient: string, awaitingPayment: boolean) =>
    `${n}. *${when}*\n    ${doctor} · for ${patient}${awaitingPayment ? ' · awaiting payment' : ''}`,
  appointmentsButtons: { reschedule: 'Reschedule', cancel: 'Cancel one', menu: 'Main menu' },
  pickBody: {
    reschedule: 'Which appointment would you like to move?',
    cancel: 'Which appointment would you like to cancel?',
  },
  cancelConfirmBody: (doctor: string, when: string, patient: string) =>
    `Cancel this appointment?\n🩺 *${doctor}*\n📅 *${when}*\n🧑 ${patient}`,
  cancelButtons: { yes: 'Yes, cancel it', no: 'No, keep it', reschedule: 'Reschedule', frontDesk: 'Front desk' },
  cancelRefundAll: (amount: string) => `💰 You'll get *${amount}* back (all of what you paid).`,
  cancelRefundPart: (amount: string, percent: number) =>
    `💰 Under the clinic's rules you'll get *${amount}* back (${percent} %).`,
  cancelNoRefund: (paid: string, hours: number) =>
    `⚠️ It's less than ${hours} hours before the visit, so under the clinic's rules the *${paid}* paid is *not refunded*. You can move it to another time instead, or talk to the front desk.`,
  cancelTooLate: (hours: number) =>
    `⚠️ It's less than ${hours} hours before the visit, so it can't be cancelled or moved here. Please talk to the front desk.`,
  paymentPending: (p: PaymentParams) =>
    `We're holding *${p.when}* with *${p.doctor}* for you${p.holdUntil ? ` until ${p.holdUntil}` : ''}.\n` +
    `The clinic asks for ${p.amount ? `a payment of *${p.amount}*` : 'a payment'} to confirm it. Your payment link is on its way…`,
  // The link rides on the Pay now button (a CTA URL message), so the sentence does not repeat it.
  paymentWithLink: (p: PaymentParams) =>
    `To confirm your appointment with *${p.doctor}* on *${p.when}*, please pay${p.amount ? ` *${p.amount}*` : ''} with the button below.\n\n` +
    `${p.holdUntil ? `The time is held for you until ${p.holdUntil}. ` : ''}We'll confirm here as soon as the payment arrives.`,
  payNow: 'Pay now',
  help: {
    start: 'We can book, move or cancel appointments and show your upcoming ones.',
    idle: 'We can book, move or cancel appointments and show your upcoming ones.',
    frontDesk: 'Our front desk will reply here.',
    language: "Tap the language you'd like us to use. You can change it any time from the menu.",
    menu: 'Choose an option from the menu, or reply with its number. Type *menu* at any time to start again, or *front desk* to chat with our staff.',
    target: 'Pick a speciality to see any available doctor, or pick a doctor by name. Type *back* to go back.',
    date: 'Pick a day from the list; only days with free times are shown. Type *back* to go back.',
    slot: 'Pick a time from the list. *More times* shows later times; *Another day* goes back to the days.',
    confirm: 'Tap the first button to go ahead, *Another time* to choose again, or *Cancel* to stop.',
    patient: 'Choose who will see the doctor. If they are not listed, choose *Family member* to add them.',
    name: 'Type the full name, for example: Priya Sharma. Type *back* to go back.',
    age: 'Type the age in years, for example: 7. For a baby under one year, type 0.',
    relation: 'Tell us how the patient is related to you, so the clinic knows who is booking for whom.',
    consent:
      "The clinic needs consent before it keeps these details. Tap *I agree* to continue, or *I don't agree*: then nothing is saved and nothing is booked.",
    appointments: 'Tap *Reschedule* or *Cancel one* to change an appointment, or *Main menu* for other options.',
    pick: 'Pick the appointment from the list, or type *menu* for the main menu.',
    cancelConfirm: 'Tap *Yes, cancel it* to cancel, or *No, keep it* to leave the appointment as it is.',
    payment:
      'Open the payment link to pay securely. Once the payment arrives, your appointment is confirmed here. Type *cancel* to give up the held time.',
    busy: "We're working on your request; it takes only a moment.",
  } satisfies Record<StepName, string>,
  notUnderstood: (offerFrontDesk: boolean) =>
    `Sorry, we didn't understand that. Please tap an option or reply with its number. Type *help* for help or *menu* to start again.${
      offerFrontDesk ? '\nYou can also type *front desk* to chat with our staff.' : ''
    }`,
  stale: 'That button is from an earlier message.',
  unsupported: 'Sorry, we can only read text messages and button taps here.',
  tooLong: 'Sorry, that message is too long for us to read. Please send a shorter message (up to 4,096 characters).',
  pleaseWait: "One moment please, we're still working on your last request.",
  stopped: (flow: Flow | null): string =>
    flow === 'book'
      ? "Okay, we've stopped. Nothing was booked."
      : flow === 'reschedule'
        ? 'Okay, your appointment has not been changed.'
        : flow === 'cancel'
          ? 'Okay, your appointment has not been cancelled.'
          : 'Okay.',
  goodbye: 'Okay. Whenever you need us, just send *hi*.',
  invalidName: 'Please type the full name in letters (for example: Priya Sharma).',
  invalidAge: 'Please type the age in years as a number, for example 34 (type 0 for a baby under one year).',
  noDoctors: (phone: string | null) =>
    `Sorry, no doctor can be booked on WhatsApp right now.${phone ? ` Please call us on ${phone}.` : ''}`,
  noDates: (target: string | null) =>
    `Sorry, there are no free times ${target ? `for *${target}* ` : ''}in the next 7 days.`,
  noSlots: (day: string | null) => `Sorry, the times ${day ? `on ${day} ` : ''}have just filled up.`,
  slotTaken: 'Sorry, someone else has just booked that time. Here are the times still free:',
  bookingFailed: {
    overlapping_appointment: 'You already have an appointment at that time, so this one was not booked.',
    not_allowed: 'Sorry, this time cannot be booked on WhatsApp. Please contact the front desk.',
    error: 'Sorry, something went wrong and nothing was booked. Please try again in a little while.',
    slot_taken: 'Sorry, someone else has just booked that time.',
  },
  loadFailed: "Sorry, we couldn't fetch that just now. Please try again in a moment.",
  internalError: 'Sorry, something went wrong on our side. Please type *menu* to continue.',
  booked: (patient: string, doctor: string, when: string) =>
    `✅ Booked! *${patient}* with *${doctor}* on *${when}*.\nWe'll send a reminder before the visit. Type *menu* for anything else.`,
  requested: (patient: string, doctor: string, when: string) =>
    `📝 Request received: *${patient}* with *${doctor}* on *${when}*. The clinic will confirm it shortly.`,
  paymentLink: 'Here is your payment link. Tap the button below to pay securely.',
  paymentConfirmed: (doctor: string, when: string) =>
    `✅ Payment received. Your appointment with *${doctor}* on *${when}* is confirmed.`,
  holdExpired: (doctor: string, when: string) =>
    `The time we held for you (*${when}* with *${doctor}*) has been released because the payment was not completed. Type *book* to choose another time.`,
  paymentTrouble: "Sorry, we couldn't create your payment link. Our front desk will contact you here shortly.",
  consentDeclined:
    "Understood. We have not saved the patient's details and nothing was booked; we keep only a note that consent was declined. If you change your mind, just send *hi*.",
  registrationFailed: "Sorry, we couldn't save the details, so nothing was booked. Please try again in a little while.",
  noAppointments: 'You have no upcoming appointments.',
  cancelled: (doctor: string | null, when: string | null) =>
    doctor && when
      ? `Your appointment with *${doctor}* on *${when}* has been cancelled.`
      : 'Your appointment has been cancelled.',
  refundStarted: (amount: string) =>
    `A refund of *${amount}* has been started; it usually reaches your account in 5–7 working days.`,
  noRefund: "As per the clinic's cancellation policy, this cancellation is not eligible for a refund.",
  cancelFailed: {
    cutoff_passed: (phone: string | null) =>
      `Sorry, the appointment is too close to cancel on WhatsApp. ${phone ? `Please call us on ${phone}.` : 'Please contact the front desk.'}`,
    not_allowed: () => 'Sorry, this appointment cannot be cancelled here. Please contact the front desk.',
    error: () =>
      'Sorry, something went wrong and the appointment was not cancelled. Please try again in a little while.',
  },
  kept: 'Okay, your appointment stays as it is.',
  rescheduled: (doctor: string, when: string) => `✅ Done! Your appointment with *${doctor}* is now on *${when}*.`,
  handoff: (phone: string | null) =>
    `We've asked our front desk to take over. Someone will reply here as soon as possible; until then this assistant will stay quiet.${
      phone ? ` If it's urgent, call ${phone}.` : ''
    }`,
  released: (clinic: string) => `You're back with the ${clinic} assistant.`,
  timedOut: (changedNothing: boolean) =>
    `We've closed this chat because there was no reply for a while.${changedNothing ? ' Nothing was changed.' : ''} Send *hi* whenever you're ready.`,
};

/** The shape of a dictionary: every key the English one has. */
export type BookingTexts = typeof en;

/** Hindi, in Devanagari. */
export const hi: BookingTexts = {
  welcome,
  languageNames: LANGUAGE_NAMES,
  chooseLanguage: 'आप किस भाषा में बात करना चाहेंगे?',
  menuBody: (clinic) =>
    `*${clinic}*\nआज हम आपकी क्या सहायता कर सकते हैं? विकल्प देखने के लिए *मेनू* दबाएँ, या विकल्प का नंबर लिखकर भेजें।`,
  menuButton: 'मेनू',
  menu: {
    book: { title: 'अपॉइंटमेंट बुक करें', description: 'डॉक्टर, दिन और समय चुनें' },
    mine: { title: 'मेरे अपॉइंटमेंट', description: 'आने वाले अपॉइंटमेंट देखें' },
    reschedule: { title: 'समय बदलें', description: 'किसी अपॉइंटमेंट का समय बदलें' },
    cancel: { title: 'अपॉइंटमेंट रद्द करें', description: 'किसी अपॉइंटमेंट को रद्द करें' },
    frontDesk: { title: 'रिसेप्शन से बात करें', description: 'हमारे स्टाफ़ से बात करें' },
    language: { title: 'भाषा / Language', description: 'English / हिन्दी' },
  },
  chooseButton: 'चुनें',
  targetBody: 'आप किस विशेषज्ञता या किस डॉक्टर से मिलना चाहेंगे?',
  sections: { specialities: 'विशेषज्ञता', doctors: 'डॉक्टर', more: 'और' },
  anyDoctor: 'कोई भी उपलब्ध डॉक्टर',
  moreOptions: { title: 'और विकल्प', description: 'और डॉक्टर और विशेषज्ञता देखें' },
  dateBody: (target) => `*${target}* के लिए दिन चुनें। इन दिनों में समय खाली है:`,
  rescheduleDateBody: (doctor, when) => `*${doctor}* के साथ आपका अपॉइंटमेंट *${when}* को है। नया दिन चुनें:`,
  freeTimes: (count) => `${count} समय खाली`,
  otherDoctor: { title: 'दूसरे डॉक्टर', description: 'दूसरे डॉक्टर या विशेषज्ञता चुनें' },
  dayButton: 'दिन चुनें',
  slotBody: (day, target) => `*${day}* को *${target}* के लिए खाली समय:`,
  timeButton: 'समय चुनें',
  moreTimes: { title: 'और समय', description: 'इसी दिन के बाद के समय' },
  otherDay: { title: 'दूसरा दिन', description: 'कोई और दिन चुनें' },
  confirmBody: (doctor, when) =>
    `कृपया अपने अपॉइंटमेंट की पुष्टि करें:\n🩺 *${doctor}*\n📅 *${when}*\n\nक्या हम इसे बुक कर दें?`,
  rescheduleConfirmBody: (doctor, from, to) => `*${doctor}* के साथ आपका अपॉइंटमेंट\n${from} से बदलकर\n*${to}* कर दें?`,
  confirmButtons: { yes: 'पुष्टि करें', other: 'दूसरा समय', no: 'रद्द करें' },
  feeLine: (fee, now, atClinic) =>
    now
      ? `💰 परामर्श शुल्क *${fee}*: पुष्टि के लिए अभी *${now}*${atClinic ? `, बाकी ${atClinic} क्लिनिक पर` : ''}।`
      : `💰 परामर्श शुल्क *${fee}*, क्लिनिक पर देना है।`,
  rescheduleYes: 'हाँ, बदल दें',
  patientBody: 'यह अपॉइंटमेंट किसके लिए है?',
  relations: {
    self: 'आप',
    child: 'बेटा / बेटी',
    spouse: 'पति / पत्नी',
    parent: 'माता / पिता',
    sibling: 'भाई / बहन',
    other: 'अन्य रिश्तेदार',
  },
  newSelf: { title: 'मेरे लिए', description: 'नए मरीज़ के रूप में' },
  newFamily: { title: 'परिवार का सदस्य', description: 'इस नंबर पर कोई नया सदस्य' },
  askHolderName: 'कृपया अपना पूरा नाम लिखें, जैसा आप अपने रिकॉर्ड में चाहते हैं।',
  askFamilyName: 'कृपया परिवार के उस सदस्य का पूरा नाम लिखें जिनके लिए यह अपॉइंटमेंट है।',
  askAge: (name) => `*${name}* की उम्र कितनी है? कृपया उम्र वर्षों में लिखें (एक साल से छोटे बच्चे के लिए 0 लिखें)।`,
  relationBody: (name) => `*${name}* आपके क्या लगते हैं?`,
  consentButtons: { accept: 'मैं सहमत हूँ', decline: 'मैं सहमत नहीं हूँ' },
  consentAsk: 'क्या आप ऊपर दी गई सूचना से सहमत हैं?',
  consent: (p) => {
    const heading =
      p.giver === 'patient'
        ? '*आपके स्वास्थ्य डेटा के लिए सहमति* (डिजिटल व्यक्तिगत डेटा संरक्षण अधिनियम, 2023)'
        : `*${p.name} के स्वास्थ्य डेटा के लिए सहमति* (डिजिटल व्यक्तिगत डेटा संरक्षण अधिनियम, 2023)`;
    const data =
      p.giver === 'patient'
        ? 'आपका नाम, फ़ोन नंबर और मुलाक़ातों में दर्ज स्वास्थ्य जानकारी'
        : `${p.name} का नाम, उम्र और मुलाक़ातों में दर्ज स्वास्थ्य जानकारी, आपके फ़ोन नंबर के साथ,`;
    const use = `${p.clinic} ${data} केवल अपॉइंटमेंट बुक करने, इलाज, रिमाइंडर भेजने और बिलिंग के लिए उपयोग करेगा। हम आपका डेटा कभी नहीं बेचते।`;
    const contact = p.grievanceContact ? ` — हमारे शिकायत अधिकारी (${p.grievanceContact}) से` : ' — यहीं संदेश भेजकर';
    const rights =
      `आप कभी भी सहमति वापस ले सकते हैं, डेटा देखने, सुधारने या मिटाने का अनुरोध कर सकते हैं, या शिकायत दर्ज कर सकते हैं${contact}। ` +
      'कानून के अनुसार ज़रूरी मेडिकल रिकॉर्ड तय अवधि तक रखे जाते हैं। आप भारतीय डेटा संरक्षण बोर्ड से भी शिकायत कर सकते हैं।';
    const link = p.privacyNoticeUrl ? `\nपूरी सूचना: ${p.privacyNoticeUrl}` : '';
    const agree =
      p.giver === 'patient'
        ? '*मैं सहमत हूँ* दबाकर आप पुष्टि करते हैं कि आपकी उम्र 18 वर्ष या उससे अधिक है और आप इसके लिए सहमत हैं।'
        : p.giver === 'guardian'
          ? `${p.name} की उम्र 18 वर्ष से कम है, इसलिए कानून के अनुसार माता-पिता या क़ानूनी अभिभावक की सहमति ज़रूरी है। *मैं सहमत हूँ* दबाकर आप पुष्टि करते हैं कि आप उनके माता-पिता या क़ानूनी अभिभावक हैं और उनकी ओर से सहमति देते हैं।`
          : `*मैं सहमत हूँ* दबाकर आप पुष्टि करते हैं कि ${p.name} को इस सूचना के बारे में बता दिया गया है और वे इसके लिए सहमत हैं।`;
    return `${heading}\n${use}\n${rights}${link}\n\n${agree}`;
  },
  appointmentsBody: (lines, more) =>
    `आपके आने वाले अपॉइंटमेंट:\n\n${lines.join('\n')}${more > 0 ? `\n…और ${more}` : ''}`,
  appointmentLine: (n, when, doctor, patient, awaitingPayment) =>
    `${n}. *${when}*\n    ${doctor} · ${patient} के लिए${awaitingPayment ? ' · भुगतान बाकी' : ''}`,
  appointmentsButtons: { reschedule: 'समय बदलें', cancel: 'रद्द करें', menu: 'मुख्य मेनू' },
  pickBody: {
    reschedule: 'आप कौन-सा अपॉइंटमेंट बदलना चाहते हैं?',
    cancel: 'आप कौन-सा अपॉइंटमेंट रद्द करना चाहते हैं?',
  },
  cancelConfirmBody: (doctor, when, patient) =>
    `क्या यह अपॉइंटमेंट रद्द कर दें?\n🩺 *${doctor}*\n📅 *${when}*\n🧑 ${patient}`,
  cancelButtons: { yes: 'हाँ, रद्द करें', no: 'नहीं, रहने दें', reschedule: 'समय बदलें', frontDesk: 'रिसेप्शन' },
  cancelRefundAll: (amount) => `💰 आपको *${amount}* वापस मिलेंगे (आपका पूरा भुगतान)।`,
  cancelRefundPart: (amount, percent) => `💰 क्लिनिक के नियमों के अनुसार आपको *${amount}* वापस मिलेंगे (${percent} %)।`,
  cancelNoRefund: (paid, hours) =>
    `⚠️ अपॉइंटमेंट में ${hours} घंटे से कम समय बचा है, इसलिए क्लिनिक के नियमों के अनुसार दिए गए *${paid}* *वापस नहीं होंगे*। इसके बजाय आप समय बदल सकते हैं या रिसेप्शन से बात कर सकते हैं।`,
  cancelTooLate: (hours) =>
    `⚠️ अपॉइंटमेंट में ${hours} घंटे से कम समय बचा है, इसलिए इसे यहाँ रद्द या बदला नहीं जा सकता। कृपया रिसेप्शन से बात करें।`,
  paymentPending: (p) =>
    `*${p.doctor}* के साथ *${p.when}* का समय आपके लिए${p.holdUntil ? ` ${p.holdUntil} तक` : ''} रोका गया है।\n` +
    `इसकी पुष्टि के लिए ${p.amount ? `*${p.amount}* का भुगतान` : 'भुगतान'} ज़रूरी है। भुगतान का लिंक भेजा जा रहा है…`,
  paymentWithLink: (p) =>
    `*${p.doctor}* के साथ *${p.when}* के अपॉइंटमेंट की पुष्टि के लिए कृपया नीचे दिए बटन से ${p.amount ? `*${p.amount}* का ` : ''}भुगतान करें।\n\n` +
    `${p.holdUntil ? `यह समय ${p.holdUntil} तक आपके लिए रोका गया है। ` : ''}भुगतान मिलते ही हम यहीं पुष्टि भेज देंगे।`,
  payNow: 'अभी भुगतान करें',
  help: {
    start:
      'हम अपॉइंटमेंट बुक कर सकते हैं, उनका समय बदल सकते हैं, उन्हें रद्द कर सकते हैं और आपके आने वाले अपॉइंटमेंट दिखा सकते हैं।',
    idle: 'हम अपॉइंटमेंट बुक कर सकते हैं, उनका समय बदल सकते हैं, उन्हें रद्द कर सकते हैं और आपके आने वाले अपॉइंटमेंट दिखा सकते हैं।',
    frontDesk: 'हमारा रिसेप्शन स्टाफ़ यहीं जवाब देगा।',
    language: 'जिस भाषा में आप बात करना चाहते हैं, उसे चुनें। आप इसे कभी भी मेनू से बदल सकते हैं।',
    menu: 'मेनू से कोई विकल्प चुनें या उसका नंबर लिखें। शुरू से करने के लिए कभी भी *मेनू* लिखें, या स्टाफ़ से बात करने के लिए *रिसेप्शन* लिखें।',
    target: 'किसी भी उपलब्ध डॉक्टर के लिए विशेषज्ञता चुनें, या नाम से डॉक्टर चुनें। पीछे जाने के लिए *वापस* लिखें।',
    date: 'सूची से दिन चुनें; केवल वही दिन दिखाए गए हैं जिनमें समय खाली है। पीछे जाने के लिए *वापस* लिखें।',
    slot: 'सूची से समय चुनें। *और समय* से बाद के समय दिखेंगे; *दूसरा दिन* से आप दिन फिर से चुन सकते हैं।',
    confirm: 'आगे बढ़ने के लिए पहला बटन दबाएँ, फिर से चुनने के लिए *दूसरा समय*, या रोकने के लिए *रद्द करें*।',
    patient:
      'चुनें कि डॉक्टर से कौन मिलेगा। अगर उनका नाम सूची में नहीं है, तो उन्हें जोड़ने के लिए *परिवार का सदस्य* चुनें।',
    name: 'पूरा नाम लिखें, जैसे: प्रिया शर्मा। पीछे जाने के लिए *वापस* लिखें।',
    age: 'उम्र वर्षों में लिखें, जैसे: 7। एक साल से छोटे बच्चे के लिए 0 लिखें।',
    relation: 'बताएँ कि मरीज़ आपके क्या लगते हैं, ताकि क्लिनिक जान सके कि कौन किसके लिए बुक कर रहा है।',
    consent:
      'यह जानकारी रखने से पहले क्लिनिक को सहमति चाहिए। आगे बढ़ने के लिए *मैं सहमत हूँ* दबाएँ, या *मैं सहमत नहीं हूँ* — तब कुछ भी सेव या बुक नहीं होगा।',
    appointments: 'अपॉइंटमेंट बदलने के लिए *समय बदलें* या *रद्द करें* दबाएँ, या दूसरे विकल्पों के लिए *मुख्य मेनू*।',
    pick: 'सूची से अपॉइंटमेंट चुनें, या मुख्य मेनू के लिए *मेनू* लिखें।',
    cancelConfirm: 'रद्द करने के लिए *हाँ, रद्द करें* दबाएँ, या अपॉइंटमेंट जैसा है वैसा रखने के लिए *नहीं, रहने दें*।',
    payment:
      'सुरक्षित भुगतान के लिए लिंक खोलें। भुगतान मिलते ही आपका अपॉइंटमेंट यहीं पक्का हो जाएगा। रोका गया समय छोड़ने के लिए *रद्द* लिखें।',
    busy: 'हम आपके अनुरोध पर काम कर रहे हैं; बस एक क्षण लगेगा।',
  },
  notUnderstood: (offerFrontDesk) =>
    `क्षमा करें, हम समझ नहीं पाए। कृपया कोई विकल्प चुनें या उसका नंबर लिखें। सहायता के लिए *मदद* और शुरू से करने के लिए *मेनू* लिखें।${
      offerFrontDesk ? '\nहमारे स्टाफ़ से बात करने के लिए *रिसेप्शन* लिखें।' : ''
    }`,
  stale: 'यह बटन किसी पुराने संदेश का है।',
  unsupported: 'क्षमा करें, यहाँ हम केवल लिखे हुए संदेश और बटन ही पढ़ सकते हैं।',
  tooLong: 'क्षमा करें, यह संदेश हमारे पढ़ने के लिए बहुत लंबा है। कृपया छोटा संदेश भेजें (4,096 अक्षरों तक)।',
  pleaseWait: 'कृपया एक क्षण रुकें, हम आपके पिछले अनुरोध पर काम कर रहे हैं।',
  stopped: (flow) =>
    flow === 'book'
      ? 'ठीक है, हमने रोक दिया है। कुछ भी बुक नहीं हुआ।'
      : flow === 'reschedule'
        ? 'ठीक है, आपका अपॉइंटमेंट नहीं बदला गया।'
        : flow === 'cancel'
          ? 'ठीक है, आपका अपॉइंटमेंट रद्द नहीं किया गया।'
          : 'ठीक है।',
  goodbye: 'ठीक है। जब भी ज़रूरत हो, बस *नमस्ते* लिखकर भेजें।',
  invalidName: 'कृपया पूरा नाम अक्षरों में लिखें (जैसे: प्रिया शर्मा)।',
  invalidAge: 'कृपया उम्र वर्षों में अंकों में लिखें, जैसे 34 (एक साल से छोटे बच्चे के लिए 0 लिखें)।',
  noDoctors: (phone) =>
    `क्षमा करें, अभी WhatsApp पर किसी डॉक्टर का अपॉइंटमेंट उपलब्ध नहीं है।${phone ? ` कृपया हमें ${phone} पर कॉल करें।` : ''}`,
  noDates: (target) => `क्षमा करें, अगले 7 दिनों में ${target ? `*${target}* के लिए ` : ''}कोई समय खाली नहीं है।`,
  noSlots: (day) => `क्षमा करें, ${day ? `${day} के ` : ''}सभी समय अभी-अभी भर गए हैं।`,
  slotTaken: 'क्षमा करें, यह समय अभी-अभी किसी और ने बुक कर लिया। ये समय अभी खाली हैं:',
  bookingFailed: {
    overlapping_appointment: 'उस समय आपका पहले से एक अपॉइंटमेंट है, इसलिए यह बुक नहीं किया गया।',
    not_allowed: 'क्षमा करें, यह समय WhatsApp पर बुक नहीं हो सकता। कृपया रिसेप्शन से संपर्क करें।',
    error: 'क्षमा करें, कुछ गड़बड़ हो गई और कुछ भी बुक नहीं हुआ। कृपया थोड़ी देर बाद फिर कोशिश करें।',
    slot_taken: 'क्षमा करें, यह समय अभी-अभी किसी और ने बुक कर लिया।',
  },
  loadFailed: 'क्षमा करें, अभी जानकारी नहीं मिल पाई। कृपया थोड़ी देर बाद फिर कोशिश करें।',
  internalError: 'क्षमा करें, हमारी ओर से कुछ गड़बड़ हो गई। आगे बढ़ने के लिए कृपया *मेनू* लिखें।',
  booked: (patient, doctor, when) =>
    `✅ बुक हो गया! *${patient}* — *${doctor}* के साथ, *${when}*।\nमुलाक़ात से पहले हम आपको याद दिलाएँगे। कुछ और चाहिए तो *मेनू* लिखें।`,
  requested: (patient, doctor, when) =>
    `📝 अनुरोध मिल गया: *${patient}* — *${doctor}* के साथ, *${when}*। क्लिनिक जल्द ही पुष्टि करेगा।`,
  paymentLink: 'यह रहा आपका भुगतान लिंक। सुरक्षित भुगतान के लिए नीचे दिया बटन दबाएँ।',
  paymentConfirmed: (doctor, when) =>
    `✅ भुगतान मिल गया। *${doctor}* के साथ *${when}* का आपका अपॉइंटमेंट पक्का हो गया है।`,
  holdExpired: (doctor, when) =>
    `भुगतान पूरा न होने के कारण आपके लिए रोका गया समय (*${when}*, *${doctor}*) छोड़ दिया गया है। दूसरा समय चुनने के लिए *बुक* लिखें।`,
  paymentTrouble: 'क्षमा करें, भुगतान लिंक नहीं बन पाया। हमारा रिसेप्शन स्टाफ़ जल्द ही यहीं आपसे संपर्क करेगा।',
  consentDeclined:
    'समझ गए। हमने मरीज़ की जानकारी सेव नहीं की है और कुछ भी बुक नहीं हुआ; केवल यह दर्ज है कि सहमति नहीं दी गई। अगर आप बाद में बुक करना चाहें, तो बस *नमस्ते* लिखें।',
  registrationFailed:
    'क्षमा करें, जानकारी सेव नहीं हो पाई, इसलिए कुछ भी बुक नहीं हुआ। कृपया थोड़ी देर बाद फिर कोशिश करें।',
  noAppointments: 'आपका कोई आने वाला अपॉइंटमेंट नहीं है।',
  cancelled: (doctor, when) =>
    doctor && when
      ? `*${doctor}* के साथ *${when}* का आपका अपॉइंटमेंट रद्द कर दिया गया है।`
      : 'आपका अपॉइंटमेंट रद्द कर दिया गया है।',
  refundStarted: (amount) =>
    `*${amount}* का रिफ़ंड शुरू कर दिया गया है; यह आमतौर पर 5–7 कार्य-दिवसों में आपके खाते में आ जाता है।`,
  noRefund: 'क्लिनिक की रद्दीकरण नीति के अनुसार इस रद्दीकरण पर रिफ़ंड नहीं बनता।',
  cancelFailed: {
    cutoff_passed: (phone) =>
      `क्षमा करें, अपॉइंटमेंट का समय बहुत पास है, इसलिए इसे WhatsApp पर रद्द नहीं किया जा सकता। ${
        phone ? `कृपया हमें ${phone} पर कॉल करें।` : 'कृपया रिसेप्शन से संपर्क करें।'
      }`,
    not_allowed: () => 'क्षमा करें, यह अपॉइंटमेंट यहाँ रद्द नहीं हो सकता। कृपया रिसेप्शन से संपर्क करें।',
    error: () => 'क्षमा करें, कुछ गड़बड़ हो गई और अपॉइंटमेंट रद्द नहीं हुआ। कृपया थोड़ी देर बाद फिर कोशिश करें।',
  },
  kept: 'ठीक है, आपका अपॉइंटमेंट जैसा था वैसा ही रहेगा।',
  rescheduled: (doctor, when) => `✅ हो गया! *${doctor}* के साथ आपका अपॉइंटमेंट अब *${when}* को है।`,
  handoff: (phone) =>
    `हमने आपकी बातचीत रिसेप्शन स्टाफ़ को सौंप दी है। कोई जल्द से जल्द यहीं जवाब देगा; तब तक यह स्वचालित सहायक चुप रहेगा।${
      phone ? ` ज़रूरी हो तो ${phone} पर कॉल करें।` : ''
    }`,
  released: (clinic) => `अब आप फिर से ${clinic} के स्वचालित सहायक से बात कर रहे हैं।`,
  timedOut: (changedNothing) =>
    `काफ़ी देर तक जवाब न मिलने के कारण हमने यह बातचीत बंद कर दी है।${changedNothing ? ' कोई बदलाव नहीं किया गया।' : ''} जब भी आप तैयार हों, *नमस्ते* लिखकर भेजें।`,
};

/** The dictionaries by language. */
export const BOOKING_TEXTS: Record<Lang, BookingTexts> = { en, hi };

/** The dictionary for `lang`. */
export function textsFor(lang: Lang): BookingTexts {
  return BOOKING_TEXTS[lang];
}
