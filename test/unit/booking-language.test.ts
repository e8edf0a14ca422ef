import { describe, expect, it } from '@jest/globals';
import {
  formatDateTime,
  formatDayChoice,
  formatLocalDate,
  formatRupees,
  formatTime,
  localDateIn,
} from '../../flows/booking.format.js';
import { renderReply } from '../../flows/booking.render.js';
import { BOOKING_TEXTS, en, hi } from '../../flows/booking.texts.js';
import type { ConsentGiver } from '../../flows/booking.types.js';
import { WHATSAPP_LIMITS } from '../../src/modules/messaging/whatsapp-messages.js';
import {
  CATALOGUE,
  Chat,
  DATES,
  ENV,
  PROFILES,
  SLOTS,
  bodyOf,
  chatAtMenu,
  chatAtSlots,
  optionsOf,
} from './booking-fixtures.js';

const DEVANAGARI = /[\u0900-\u097F]/u;
const titles = (chat: Chat) => chat.replies.flatMap(optionsOf).map((option) => option.title);

describe('choosing Hindi', () => {
  it('offers the language in the first message and speaks Hindi once chosen, remembering it', () => {
    const chat = new Chat();
    chat.say('नमस्ते');
    expect(titles(chat)).toEqual(['English', 'हिन्दी']);
    chat.tap('हिन्दी');
    expect(chat.context.lang).toBe('hi');
    expect(chat.lastBody).toBe(
      '*Sunrise Clinic*\nआज हम आपकी क्या सहायता कर सकते हैं? विकल्प देखने के लिए *मेनू* दबाएँ, या विकल्प का नंबर लिखकर भेजें।',
    );
    expect(titles(chat)).toEqual([
      '1. अपॉइंटमेंट बुक करें',
      '2. मेरे अपॉइंटमेंट',
      '3. समय बदलें',
      '4. अपॉइंटमेंट रद्द करें',
      '5. रिसेप्शन से बात करें',
      '6. भाषा / Language',
    ]);
  });

  it('writes dates, times and the whole booking in Hindi', () => {
    const chat = chatAtSlots('hi');
    expect(chat.lastBody).toBe('*कल, मंगल 14 जन॰* को *Dr. Asha Rao* के लिए खाली समय:');
    expect(titles(chat)).toEqual(['1. सुबह 10:30', '2. सुबह 11:00', '3. सुबह 11:30', '4. और समय', '5. दूसरा दिन']);
    chat.say('१');
    expect(chat.lastBody).toBe(
      'कृपया अपने अपॉइंटमेंट की पुष्टि करें:\n🩺 *Dr. Asha Rao*\n📅 *मंगल 14 जन॰, सुबह 10:30*\n\nक्या हम इसे बुक कर दें?',
    );
    expect(titles(chat)).toEqual(['पुष्टि करें', 'दूसरा समय', 'रद्द करें']);
    chat.say('हाँ');
    chat.send({ type: 'PROFILES_LOADED', profiles: [PROFILES[0]!] });
    expect(titles(chat)).toEqual(['Ravi Kumar', 'परिवार का सदस्य']);
    chat.tap('परिवार का सदस्य');
    chat.say('अनन्या कुमार');
    expect(chat.lastBody).toContain('*अनन्या कुमार* की उम्र कितनी है?');
    chat.say('७ साल');
    chat.tap('बेटा / बेटी');
    expect(chat.lastBody).toContain('अनन्या कुमार की उम्र 18 वर्ष से कम है');
    chat.tap('मैं सहमत हूँ');
    chat.expectCalls({
      type: 'registerPatient',
      patient: { name: 'अनन्या कुमार', age: 7 },
      consent: { language: 'hi', givenBy: 'guardian' },
    });
  });

  it('understands Hindi commands: मदद, मेनू, रद्द', () => {
    const chat = chatAtSlots('hi');
    chat.say('मदद');
    expect(chat.replies.map(bodyOf)[0]).toBe(hi.help.slot);
    chat.say('रद्द');
    expect(chat.replies.map(bodyOf)[0]).toBe('ठीक है, हमने रोक दिया है। कुछ भी बुक नहीं हुआ।');
    expect(chat.state).toBe('session.menu');
    chat.say('मेनू');
    expect(chat.state).toBe('session.menu');
  });

  it('switches language in place when the patient types it, and from the menu', () => {
    const chat = chatAtSlots('hi');
    chat.say('english');
    expect(chat.context.lang).toBe('en');
    expect(chat.state).toBe('session.chooseSlot');
    expect(titles(chat)[0]).toBe('1. 10:30 AM');
    chat.say('हिंदी');
    expect(titles(chat)[0]).toBe('1. सुबह 10:30');

    chat.say('menu');
    chat.tap('भाषा / Language');
    expect(chat.lastBody).toBe(hi.chooseLanguage);
    chat.say('1');
    expect(chat.context.lang).toBe('en');
    expect(chat.state).toBe('session.menu');
  });

  it('keeps the language across the stored snapshot and a new journey', () => {
    const chat = chatAtMenu('hi');
    chat.say('stop');
    expect(chat.replies.map(bodyOf)[0]).toBe(hi.goodbye);
    chat.say('hello');
    expect(chat.lastBody).toContain('आज हम आपकी क्या सहायता कर सकते हैं');
    chat.say('book');
    chat.send({ type: 'SPECIALITIES_LOADED', items: CATALOGUE });
    expect(chat.lastBody).toBe(hi.targetBody);
    chat.say('1');
    chat.send({ type: 'DATES_LOADED', dates: DATES });
    expect(titles(chat)[0]).toBe('1. आज, सोम 13 जन॰');
    chat.say('3');
    chat.send({ type: 'SLOTS_LOADED', slots: SLOTS, hasMore: false });
    expect(chat.state).toBe('session.chooseSlot');
  });
});

const PARAMS = {
  clinic: 'Sunrise Clinic',
  name: 'Anya',
  giver: 'guardian',
  when: 'Mon 13 Jan',
  doctor: 'Dr. Rao',
  amount: '₹500',
  holdUntil: '10:15',
  url: 'https://x.in',
};
// Arguments for the dictionary functions whose parameters are not plain strings.
const SAMPLE_ARGS: Record<string, unknown[]> = {
  consent: [PARAMS],
  paymentPending: [PARAMS],
  paymentWithLink: [PARAMS],
  appointmentsBody: [['1. Mon 13 Jan'], 2],
  appointmentLine: [1, 'Mon 13 Jan', 'Dr. Rao', 'Anya', true],
  freeTimes: [3],
  notUnderstood: [true],
  timedOut: [true],
  stopped: ['book'],
};

/** Every string a dictionary holds, calling functions with sample values. */
function allTexts(dictionary: unknown, path = ''): [string, string][] {
  if (typeof dictionary === 'string') return [[path, dictionary]];
  if (typeof dictionary === 'function') {
    const name = path.split('.').pop() ?? '';
    const args = SAMPLE_ARGS[name] ?? ['Sunrise Clinic', 'Mon 13 Jan', 'Anya'];
    return allTexts((dictionary as (...values: unknown[]) => unknown)(...args), path);
  }
  if (typeof dictionary === 'object' && dictionary !== null) {
    return Object.entries(dictionary).flatMap(([key, value]) => allTexts(value, path ? `${path}.${key}` : key));
  }
  return [];
}

describe('the dictionaries', () => {
  it('have the same keys in English and Hindi', () => {
    const keys = (dictionary: unknown) => allTexts(dictionary).map(([path]) => path);
    expect(keys(hi)).toEqual(keys(en));
  });

  it('write every Hindi text in Devanagari, apart from the bilingual ones', () => {
    const bilingual = new Set(['welcome', 'languageNames.en', 'menu.language.description']);
    for (const [path, text] of allTexts(hi)) {
      if (bilingual.has(path)) continue;
      expect([path, DEVANAGARI.test(text)]).toEqual([path, true]);
    }
    for (const [path, text] of allTexts(en)) {
      if (path === 'welcome' || path.startsWith('languageNames') || path.startsWith('menu.language')) continue;
      expect([path, DEVANAGARI.test(text)]).toEqual([path, false]);
    }
  });

  it('fit every fixed button and row title without cutting it, numbers included', () => {
    for (const t of Object.values(BOOKING_TEXTS)) {
      const buttonTitles = [
        ...Object.values(t.confirmButtons),
        t.rescheduleYes,
        ...Object.values(t.consentButtons),
        ...Object.values(t.appointmentsButtons),
        ...Object.values(t.cancelButtons),
        ...Object.values(t.languageNames),
        t.newSelf.title,
        t.newFamily.title,
      ];
      for (const title of buttonTitles) expect(title.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.buttonTitle);
      const rows = [
        ...Object.values(t.menu),
        t.moreOptions,
        t.otherDoctor,
        t.moreTimes,
        t.otherDay,
        t.newSelf,
        t.newFamily,
      ];
      for (const row of rows) {
        expect(`10. ${row.title}`.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.rowTitle);
        expect(row.description.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.rowDescription);
      }
      for (const relation of Object.values(t.relations))
        expect(`10. ${relation}`.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.rowTitle);
      for (const label of [t.menuButton, t.chooseButton, t.dayButton, t.timeButton])
        expect(label.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.listButton);
      expect(t.payNow.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.ctaDisplayText);
      for (const section of Object.values(t.sections))
        expect(section.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.sectionTitle);
    }
  });

  it('fit the consent notice in one message for realistic names, in both languages and for every giver', () => {
    const givers: ConsentGiver[] = ['patient', 'guardian', 'family_member'];
    for (const t of Object.values(BOOKING_TEXTS)) {
      for (const giver of givers) {
        const notice = t.consent({
          clinic: 'Sunrise Multispeciality Clinic & Diagnostics',
          name: 'Anya Venkataraman Subramaniam Kumar',
          giver,
          grievanceContact: 'grievance.officer@sunriseclinic.in',
          privacyNoticeUrl: 'https://sunriseclinic.in/legal/privacy-notice',
        });
        expect(notice.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.interactiveBody);
      }
    }
  });

  it('sends an over-long consent notice whole, as text before the buttons', () => {
    const long = {
      ...ENV,
      clinic: { ...ENV.clinic, name: 'C'.repeat(120), privacyNoticeUrl: `https://example.in/${'p'.repeat(300)}` },
    };
    const chat = new Chat(long);
    chat.say('hi');
    chat.tap('हिन्दी');
    chat.say('1');
    chat.send({ type: 'SPECIALITIES_LOADED', items: CATALOGUE });
    chat.say('3');
    chat.send({ type: 'DATES_LOADED', dates: DATES });
    chat.say('1');
    chat.send({ type: 'SLOTS_LOADED', slots: SLOTS, hasMore: false });
    chat.say('1');
    chat.say('1');
    chat.send({ type: 'PROFILES_LOADED', profiles: [] });
    chat.say('1');
    chat.say('Priya Sharma');
    chat.say('34');
    const [notice, ask] = chat.replies;
    expect(notice?.kind).toBe('text');
    expect(bodyOf(notice!)).toContain('p'.repeat(300));
    expect(bodyOf(notice!)).not.toContain('…');
    expect(ask).toMatchObject({ kind: 'buttons', body: hi.consentAsk });
  });
});

describe('the payment link in Hindi', () => {
  it('goes as an "अभी भुगतान करें" button, the sentence without the raw URL', () => {
    const url = 'https://rzp.io/l/abc123';
    const [message] = renderReply({ lang: 'hi', notice: { key: 'paymentLink', url } }, ENV);
    expect(message).toEqual({ kind: 'cta_url', body: hi.paymentLink, buttonText: 'अभी भुगतान करें', url });
    expect(bodyOf(message!)).not.toContain('https://');
    expect(hi.paymentWithLink({ when: 'मंगल 14 जन॰', doctor: 'डॉ. राव', amount: '₹500', holdUntil: null })).toContain(
      'नीचे दिए बटन से *₹500* का भुगतान करें',
    );
  });
});

describe('dates, times and money for Asia/Kolkata', () => {
  const at = (iso: string) => new Date(iso);

  it('formats like "Mon 12 Jan, 10:30 AM" and its Hindi equivalent', () => {
    expect(formatDateTime('2026-01-12T05:00:00Z', 'en')).toBe('Mon 12 Jan, 10:30 AM');
    expect(formatDateTime('2026-01-12T05:00:00Z', 'hi')).toBe('सोम 12 जन॰, सुबह 10:30');
  });

  it('names the part of the day in Hindi and handles noon and midnight', () => {
    const cases: [string, string, string][] = [
      ['2025-01-13T18:45:00Z', '12:15 AM', 'रात 12:15'],
      ['2025-01-13T23:30:00Z', '5:00 AM', 'सुबह 5:00'],
      ['2025-01-13T06:30:00Z', '12:00 PM', 'दोपहर 12:00'],
      ['2025-01-13T10:29:00Z', '3:59 PM', 'दोपहर 3:59'],
      ['2025-01-13T10:30:00Z', '4:00 PM', 'शाम 4:00'],
      ['2025-01-13T14:30:00Z', '8:00 PM', 'रात 8:00'],
    ];
    for (const [iso, english, hindi] of cases) {
      expect([formatTime(iso, 'en'), formatTime(iso, 'hi')]).toEqual([english, hindi]);
    }
  });

  it('uses the clinic’s calendar, not UTC’s, for the day', () => {
    expect(formatDateTime('2025-01-01T18:30:00Z', 'en')).toBe('Thu 2 Jan, 12:00 AM');
    expect(localDateIn(at('2025-01-01T18:29:00Z'))).toBe('2025-01-01');
    expect(localDateIn(at('2025-01-01T18:30:00Z'))).toBe('2025-01-02');
    expect(formatDateTime('2025-01-01T18:30:00Z', 'en', 'Europe/London')).toBe('Wed 1 Jan, 6:30 PM');
  });

  it('labels today and tomorrow on the clinic’s calendar, also across month and year ends', () => {
    const lateNight = at('2024-12-31T18:00:00Z');
    expect(formatDayChoice('2024-12-31', 'en', lateNight)).toBe('Today, Tue 31 Dec');
    expect(formatDayChoice('2025-01-01', 'en', lateNight)).toBe('Tomorrow, Wed 1 Jan');
    expect(formatDayChoice('2025-01-01', 'hi', lateNight)).toBe('कल, बुध 1 जन॰');
    expect(formatDayChoice('2025-01-02', 'en', lateNight)).toBe('Thu 2 Jan');
    expect(formatLocalDate('2025-02-28', 'hi')).toBe('शुक्र 28 फ़र॰');
  });

  it('writes rupees with Indian grouping', () => {
    expect(formatRupees(50000)).toBe('₹500');
    expect(formatRupees(15000000)).toBe('₹1,50,000');
    expect(formatRupees(150050)).toBe('₹1,500.50');
    expect(formatRupees(5)).toBe('₹0.05');
  });
});
