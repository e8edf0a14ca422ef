import { describe, expect, it } from '@jest/globals';
import { CONSENT_NOTICE_VERSION } from '../../flows/booking.texts.js';
import type { BookingEffect } from '../../flows/booking.types.js';
import {
  APPOINTMENTS,
  CATALOGUE,
  Chat,
  DATES,
  NOW,
  PROFILES,
  SLOTS,
  appointment,
  bodyOf,
  chatAtMenu,
  chatAtSlots,
  optionsOf,
  repliesOf,
  slot,
} from './booking-fixtures.js';

const titles = (chat: Chat) => chat.replies.flatMap(optionsOf).map((option) => option.title);

/** Drives a chat from the slot list to "who is this for", with the number's profiles as given. */
function chatAtWho(profiles = PROFILES): Chat {
  const chat = chatAtSlots();
  chat.tap('10:30 AM');
  chat.tap('Confirm');
  chat.send({ type: 'PROFILES_LOADED', profiles });
  return chat;
}

describe('a new patient books end to end', () => {
  it('walks from the first hello to a confirmed booking, one effect result at a time', () => {
    const chat = new Chat();

    chat.say('hi');
    expect(chat.state).toBe('session.chooseLanguage');
    expect(chat.lastBody).toContain('Welcome to *Sunrise Clinic*');
    expect(chat.lastBody).toContain('कृपया अपनी भाषा चुनें');
    expect(titles(chat)).toEqual(['English', 'हिन्दी']);

    chat.tap('English');
    expect(chat.state).toBe('session.menu');
    expect(titles(chat)).toEqual([
      '1. Book appointment',
      '2. My appointments',
      '3. Reschedule',
      '4. Cancel appointment',
      '5. Talk to front desk',
      '6. Language / भाषा',
    ]);

    chat.tap('Book appointment');
    chat.expectCalls({ type: 'loadSpecialities' });

    chat.send({ type: 'SPECIALITIES_LOADED', items: CATALOGUE });
    expect(chat.state).toBe('session.chooseTarget');
    const [list] = chat.replies;
    expect(list?.kind === 'list' && list.sections.map((section) => section.title)).toEqual(['Specialities', 'Doctors']);
    expect(titles(chat)).toEqual(['1. General Medicine', '2. Paediatrics', '3. Dr. Asha Rao', '4. Dr. Vikram Mehta']);

    chat.tap('Dr. Asha Rao');
    chat.expectCalls({ type: 'loadDates', target: { kind: 'doctor', doctorId: 'doc-asha' }, days: 7 });

    chat.send({ type: 'DATES_LOADED', dates: DATES });
    expect(titles(chat)).toEqual([
      '1. Today, Mon 13 Jan',
      '2. Tomorrow, Tue 14 Jan',
      '3. Wed 15 Jan',
      '4. Another doctor',
    ]);

    chat.say('2');
    chat.expectCalls({
      type: 'loadSlots',
      date: '2025-01-14',
      page: 0,
      pageSize: 8,
      target: { kind: 'doctor', doctorId: 'doc-asha' },
    });

    chat.send({ type: 'SLOTS_LOADED', slots: SLOTS, hasMore: true });
    expect(chat.lastBody).toBe('Free times on *Tomorrow, Tue 14 Jan* for *Dr. Asha Rao*:');
    expect(titles(chat)).toEqual(['1. 10:30 AM', '2. 11:00 AM', '3. 11:30 AM', '4. More times', '5. Another day']);

    chat.tap('10:30 AM');
    expect(chat.state).toBe('session.confirmSlot');
    expect(chat.lastBody).toContain('*Tue 14 Jan, 10:30 AM*');
    expect(titles(chat)).toEqual(['Confirm', 'Another time', 'Cancel']);

    chat.tap('Confirm');
    chat.expectCalls({ type: 'loadProfiles' });

    chat.send({ type: 'PROFILES_LOADED', profiles: [] });
    expect(chat.lastBody).toBe('Who is this appointment for?');
    expect(titles(chat)).toEqual(['Myself', 'Family member']);

    chat.tap('Myself');
    expect(chat.lastBody).toContain('type your full name');

    chat.say('  Priya   Sharma ');
    // The account holder is asked their age too: a minor cannot consent for themself.
    expect(chat.state).toBe('session.askAge');
    expect(chat.lastBody).toContain('How old is *Priya Sharma*?');
    chat.say('34');
    expect(chat.state).toBe('session.consent');
    const notice = chat.lastBody;
    expect(notice).toContain('Sunrise Clinic will use your name');
    expect(notice).toContain('18 or older');
    expect(notice).toContain('privacy@sunrise.example');
    expect(notice).toContain('https://sunrise.example/privacy');
    expect(titles(chat)).toEqual(['I agree', "I don't agree"]);

    chat.tap('I agree');
    chat.expectCalls({
      type: 'registerPatient',
      patient: { name: 'Priya Sharma', relation: 'self', isHolder: true },
      consent: {
        decision: 'granted',
        givenBy: 'patient',
        noticeVersion: CONSENT_NOTICE_VERSION,
        channel: 'whatsapp',
        language: 'en',
        at: NOW.toISOString(),
        purposes: ['care', 'whatsapp_messaging', 'reminders', 'payments'],
      },
    });

    chat.send({ type: 'PATIENT_REGISTERED', patientId: 'pat-priya' });
    chat.expectCalls({ type: 'book', slotId: 'slot-1030', patientId: 'pat-priya' });

    chat.send({ type: 'BOOKED', appointment: appointment('appt-9', SLOTS[0]?.startAt ?? '', 'Priya Sharma') });
    expect(chat.state).toBe('idle');
    expect(chat.lastBody).toBe(
      "✅ Booked! *Priya Sharma* with *Dr. Asha Rao* on *Tue 14 Jan, 10:30 AM*.\nWe'll send a reminder before the visit. Type *menu* for anything else.",
    );
    // At rest the conversation keeps no patient data.
    expect(chat.context).toMatchObject({ draft: null, patient: null, slot: null, profiles: [], lang: 'en' });
    expect(JSON.stringify(chat.stored)).not.toContain('Priya');
  });

  it('books an existing family member straight away, without asking for consent again', () => {
    const chat = chatAtWho();
    expect(titles(chat)).toEqual(['Ravi Kumar', 'Anya Kumar', 'Family member']);
    chat.tap('Anya Kumar');
    chat.expectCalls({ type: 'book', slotId: 'slot-1030', patientId: 'pat-anya' });
  });

  it('offers a numbered list when the number holds many profiles', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      patientId: `p${i}`,
      name: `Member ${i}`,
      relation: 'child' as const,
      isHolder: i === 0,
    }));
    const chat = chatAtWho(many);
    const rows = titles(chat);
    expect(rows).toHaveLength(9);
    expect(rows[8]).toBe('9. Family member');
  });
});

describe('a parent books for a child on the same number', () => {
  it('asks name, age and relation, and records the guardian’s consent', () => {
    const chat = chatAtWho([PROFILES[0]!]);
    expect(titles(chat)).toEqual(['Ravi Kumar', 'Family member']);

    chat.tap('Family member');
    expect(chat.lastBody).toContain('full name of the family member');
    chat.say('Anya Kumar');
    expect(chat.lastBody).toContain('How old is *Anya Kumar*?');
    chat.say('seven');
    expect(repliesOf(chat.last?.effects ?? []).map(bodyOf)[0]).toContain('age in years as a number');
    expect(chat.state).toBe('session.askAge');
    chat.say('7 years');
    expect(chat.lastBody).toBe('How is *Anya Kumar* related to you?');
    chat.tap('Son / daughter');

    const notice = chat.lastBody;
    expect(notice).toContain("Anya Kumar's name, age");
    expect(notice).toContain('Anya Kumar is under 18');
    expect(notice).toContain('parent or lawful guardian');

    chat.tap('I agree');
    chat.expectCalls({
      type: 'registerPatient',
      patient: { name: 'Anya Kumar', age: 7, relation: 'child', isHolder: false },
      consent: { decision: 'granted', givenBy: 'guardian' },
    });
    chat.send({ type: 'PATIENT_REGISTERED', patientId: 'pat-anya2' });
    chat.expectCalls({ type: 'book', patientId: 'pat-anya2', slotId: 'slot-1030' });
    chat.send({ type: 'BOOKED', appointment: appointment('appt-10', SLOTS[0]?.startAt ?? '', 'Anya Kumar') });
    expect(chat.lastBody).toContain('*Anya Kumar* with *Dr. Asha Rao*');
  });

  it('an adult relative’s consent is relayed by the holder, not given as guardian', () => {
    const chat = chatAtWho();
    chat.tap('Family member');
    chat.say('Kamala Devi');
    chat.say('72');
    chat.say('3');
    expect(chat.context.draft).toMatchObject({ relation: 'parent', age: 72 });
    expect(chat.lastBody).toContain('Kamala Devi has been told about this notice');
    expect(chat.lastBody).not.toContain('guardian');
    chat.say('yes');
    chat.expectCalls({
      type: 'registerPatient',
      consent: { givenBy: 'family_member' },
      patient: { age: 72, relation: 'parent' },
    });
  });

  it('reads a baby’s age in months as 0 years', () => {
    const chat = chatAtWho();
    chat.tap('Family member');
    chat.say('Baby Meera');
    chat.say('6 months');
    expect(chat.context.draft?.age).toBe(0);
  });
});

describe('declining consent', () => {
  it('keeps nothing but the decision and ends politely', () => {
    const chat = chatAtWho([]);
    chat.tap('Family member');
    chat.say('Sunil Verma');
    chat.say('15');
    chat.tap('Brother / sister');
    chat.tap("I don't agree");

    chat.expectCalls({
      type: 'recordConsent',
      consent: { decision: 'declined', givenBy: 'guardian', noticeVersion: CONSENT_NOTICE_VERSION },
    });
    expect(JSON.stringify(chat.last?.effects.filter((effect) => effect.type !== 'reply'))).not.toMatch(
      /Sunil|Verma|15/,
    );
    expect(chat.lastBody).toContain('We have not saved');
    expect(chat.state).toBe('idle');
    expect(JSON.stringify(chat.stored)).not.toContain('Sunil');
  });
});

describe('a returning patient lists, reschedules and cancels', () => {
  it('lists upcoming appointments with who each is for', () => {
    const chat = chatAtMenu();
    chat.tap('My appointments');
    chat.expectCalls({ type: 'listAppointments' });
    chat.send({
      type: 'APPOINTMENTS_LOADED',
      appointments: [
        ...APPOINTMENTS,
        appointment('appt-3', slot('x', '2025-01-16', '12:00').startAt, 'Ravi Kumar', { status: 'tentative' }),
      ],
    });
    expect(chat.state).toBe('session.appointments');
    expect(chat.lastBody).toContain('1. *Tue 14 Jan, 10:30 AM*\n    Dr. Asha Rao · for Ravi Kumar');
    expect(chat.lastBody).toContain('2. *Wed 15 Jan, 5:00 PM*\n    Dr. Asha Rao · for Anya Kumar');
    expect(chat.lastBody).toContain('awaiting payment');
    expect(titles(chat)).toEqual(['Reschedule', 'Cancel one', 'Main menu']);
  });

  it('reschedules: pick → new day → new time → confirm', () => {
    const chat = chatAtMenu();
    chat.tap('My appointments');
    chat.send({ type: 'APPOINTMENTS_LOADED', appointments: APPOINTMENTS });
    chat.tap('Reschedule');
    expect(chat.state).toBe('session.pickAppointment');
    expect(titles(chat)).toEqual(['1. Tue 14 Jan, 10:30 AM', '2. Wed 15 Jan, 5:00 PM']);

    chat.say('1');
    chat.expectCalls({ type: 'loadDates', target: { kind: 'doctor', doctorId: 'doc-asha' } });
    chat.send({ type: 'DATES_LOADED', dates: DATES });
    expect(chat.lastBody).toBe('Your appointment with *Dr. Asha Rao* is on *Tue 14 Jan, 10:30 AM*. Choose a new day:');
    // No "another doctor" row: a reschedule stays with the same doctor.
    expect(titles(chat)).toHaveLength(3);

    chat.tap('Wed 15 Jan');
    chat.send({ type: 'SLOTS_LOADED', slots: [slot('slot-w9', '2025-01-15', '09:00')], hasMore: false });
    expect(titles(chat)).toEqual(['1. 9:00 AM', '2. Another day']);
    chat.tap('9:00 AM');
    expect(chat.lastBody).toBe(
      'Move your appointment with *Dr. Asha Rao*\nfrom Tue 14 Jan, 10:30 AM\nto *Wed 15 Jan, 9:00 AM*?',
    );
    expect(titles(chat)).toEqual(['Yes, move it', 'Another time', 'Cancel']);

    chat.tap('Yes, move it');
    chat.expectCalls({ type: 'reschedule', appointmentId: 'appt-1', slotId: 'slot-w9' });
    chat.send({
      type: 'RESCHEDULED',
      appointment: appointment('appt-1', slot('x', '2025-01-15', '09:00').startAt, 'Ravi Kumar'),
    });
    expect(chat.lastBody).toBe('✅ Done! Your appointment with *Dr. Asha Rao* is now on *Wed 15 Jan, 9:00 AM*.');
    expect(chat.state).toBe('idle');
  });

  it('goes straight to the only appointment when there is one', () => {
    const chat = chatAtMenu();
    chat.tap('Reschedule');
    chat.send({ type: 'APPOINTMENTS_LOADED', appointments: [APPOINTMENTS[1]!] });
    chat.expectCalls({ type: 'loadDates', target: { kind: 'doctor', doctorId: 'doc-asha', name: 'Dr. Asha Rao' } });
  });

  it('cancels: pick → confirm → result with the refund note', () => {
    const chat = chatAtMenu();
    chat.tap('Cancel appointment');
    chat.send({ type: 'APPOINTMENTS_LOADED', appointments: APPOINTMENTS });
    chat.tap('Wed 15 Jan');
    expect(chat.lastBody).toBe('Cancel this appointment?\n🩺 *Dr. Asha Rao*\n📅 *Wed 15 Jan, 5:00 PM*\n🧑 Anya Kumar');
    chat.tap('Yes, cancel it');
    chat.expectCalls({ type: 'cancelAppointment', appointmentId: 'appt-2' });
    chat.send({
      type: 'CANCELLED',
      appointmentId: 'appt-2',
      refund: { dueAmountPaise: 150050, reason: 'full_refund_window' },
    });
    expect(chat.lastBody).toBe(
      'Your appointment with *Dr. Asha Rao* on *Wed 15 Jan, 5:00 PM* has been cancelled.\n' +
        'A refund of *₹1,500.50* has been started; it usually reaches your account in 5–7 working days.',
    );
    expect(chat.state).toBe('idle');
  });

  it('says when a cancellation earns no refund, and when it is too late to cancel here', () => {
    const chat = chatAtMenu();
    chat.say('cancel');
    chat.send({ type: 'APPOINTMENTS_LOADED', appointments: [APPOINTMENTS[0]!] });
    expect(chat.state).toBe('session.confirmCancel');
    chat.say('yes');
    chat.send({
      type: 'CANCELLED',
      appointmentId: 'appt-1',
      refund: { dueAmountPaise: 0, reason: 'outside_refund_window' },
    });
    expect(chat.lastBody).toContain('not eligible for a refund');

    chat.say('cancel');
    chat.send({ type: 'APPOINTMENTS_LOADED', appointments: [APPOINTMENTS[0]!] });
    chat.tap('Yes, cancel it');
    chat.send({ type: 'CANCEL_FAILED', reason: 'cutoff_passed' });
    expect(chat.replies.map(bodyOf)[0]).toContain('Please call us on +91 80 4000 1234');
    expect(chat.state).toBe('session.menu');
  });

  it('keeps the appointment when the patient says no', () => {
    const chat = chatAtMenu();
    chat.tap('Cancel appointment');
    chat.send({ type: 'APPOINTMENTS_LOADED', appointments: [APPOINTMENTS[0]!] });
    chat.tap('No, keep it');
    expect(chat.replies.map(bodyOf)[0]).toBe('Okay, your appointment stays as it is.');
    chat.expectCalls();
  });

  it('answers kindly when there is nothing upcoming', () => {
    const chat = chatAtMenu();
    chat.tap('My appointments');
    chat.send({ type: 'APPOINTMENTS_LOADED', appointments: [] });
    expect(chat.replies.map(bodyOf)[0]).toBe('You have no upcoming appointments.');
    expect(chat.state).toBe('session.menu');
  });
});

describe('a slot taken by someone else between list and confirm', () => {
  it('apologises, offers fresh slots, and books the new choice for the same patient', () => {
    const chat = chatAtWho();
    chat.tap('Ravi Kumar');
    chat.send({ type: 'BOOKING_FAILED', reason: 'slot_taken' });
    expect(chat.replies.map(bodyOf)[0]).toBe(
      'Sorry, someone else has just booked that time. Here are the times still free:',
    );
    chat.expectCalls({ type: 'loadSlots', date: '2025-01-14', page: 0 });

    chat.send({ type: 'SLOTS_LOADED', slots: SLOTS.slice(1), hasMore: false });
    expect(titles(chat)).toEqual(['1. 11:00 AM', '2. 11:30 AM', '3. Another day']);
    chat.tap('11:00 AM');
    chat.tap('Confirm');
    // Who the visit is for was settled before: straight to booking.
    chat.expectCalls({ type: 'book', slotId: 'slot-1100', patientId: 'pat-ravi' });
  });

  it('does the same for a reschedule', () => {
    const chat = chatAtMenu();
    chat.tap('Reschedule');
    chat.send({ type: 'APPOINTMENTS_LOADED', appointments: [APPOINTMENTS[0]!] });
    chat.send({ type: 'DATES_LOADED', dates: DATES });
    chat.say('3');
    chat.send({
      type: 'SLOTS_LOADED',
      slots: [slot('s-a', '2025-01-15', '09:00'), slot('s-b', '2025-01-15', '09:30')],
      hasMore: false,
    });
    chat.say('1');
    chat.say('1');
    chat.send({ type: 'BOOKING_FAILED', reason: 'slot_taken' });
    chat.expectCalls({ type: 'loadSlots', date: '2025-01-15' });
    chat.send({ type: 'SLOTS_LOADED', slots: [slot('s-b', '2025-01-15', '09:30')], hasMore: false });
    chat.say('1');
    chat.say('yes');
    chat.expectCalls({ type: 'reschedule', appointmentId: 'appt-1', slotId: 's-b' });
  });

  it('moves on to other days when the whole day filled up', () => {
    const chat = chatAtWho();
    chat.tap('Ravi Kumar');
    chat.send({ type: 'BOOKING_FAILED', reason: 'slot_taken' });
    chat.send({ type: 'SLOTS_LOADED', slots: [], hasMore: false });
    expect(chat.replies.map(bodyOf)[0]).toBe('Sorry, the times on Tue 14 Jan have just filled up.');
    expect(chat.state).toBe('session.chooseDate');
    expect(titles(chat)).toEqual(['1. Today, Mon 13 Jan', '2. Wed 15 Jan', '3. Another doctor']);
  });

  it('explains other booking failures and returns to the menu', () => {
    const chat = chatAtWho();
    chat.tap('Ravi Kumar');
    chat.send({ type: 'BOOKING_FAILED', reason: 'overlapping_appointment' });
    expect(chat.replies.map(bodyOf)[0]).toContain('already have an appointment at that time');
    expect(chat.state).toBe('session.menu');
  });
});

describe('prepayment', () => {
  const held = appointment('appt-h', SLOTS[0]!.startAt, 'Ravi Kumar', {
    status: 'tentative',
    prepaymentPaise: 50000,
    holdExpiresAt: '2025-01-13T04:45:00Z',
  });

  function heldChat(): Chat {
    const chat = chatAtWho();
    chat.tap('Ravi Kumar');
    chat.send({ type: 'BOOKED', appointment: held });
    return chat;
  }

  it('asks for payment, sends the link, and confirms when paid', () => {
    const chat = heldChat();
    expect(chat.state).toBe('session.awaitingPayment');
    const effects = chat.last?.effects ?? [];
    expect(effects.map((effect: BookingEffect) => effect.type)).toEqual(['reply', 'requestPayment']);
    expect(chat.lastBody).toBe(
      "We're holding *Tue 14 Jan, 10:30 AM* with *Dr. Asha Rao* for you until 10:15 AM.\n" +
        'The clinic asks for a payment of *₹500* to confirm it. Your payment link is on its way…',
    );
    chat.expectCalls({ type: 'requestPayment', appointmentId: 'appt-h' });

    chat.send({ type: 'PAYMENT_LINK_READY', appointmentId: 'appt-h', url: 'https://rzp.io/l/abc123' });
    // The link rides on a "Pay now" button; the sentence no longer carries the raw URL.
    expect(chat.replies).toEqual([
      {
        kind: 'cta_url',
        body:
          'To confirm your appointment with *Dr. Asha Rao* on *Tue 14 Jan, 10:30 AM*, please pay *₹500* with the button below.\n\n' +
          "The time is held for you until 10:15 AM. We'll confirm here as soon as the payment arrives.",
        buttonText: 'Pay now',
        url: 'https://rzp.io/l/abc123',
      },
    ]);

    chat.say('help');
    expect(chat.replies.map(bodyOf)[0]).toContain('Open the payment link');
    expect(chat.replies.at(-1)).toMatchObject({
      kind: 'cta_url',
      buttonText: 'Pay now',
      url: 'https://rzp.io/l/abc123',
    });

    chat.send({ type: 'PAYMENT_CONFIRMED', appointment: { ...held, status: 'confirmed' } });
    expect(chat.lastBody).toBe(
      '✅ Payment received. Your appointment with *Dr. Asha Rao* on *Tue 14 Jan, 10:30 AM* is confirmed.',
    );
    expect(chat.state).toBe('idle');
  });

  it('releases the hold when it expires', () => {
    const chat = heldChat();
    chat.send({ type: 'HOLD_EXPIRED', appointment: { ...held, status: 'cancelled' } });
    expect(chat.lastBody).toContain('has been released');
    expect(chat.state).toBe('idle');
  });

  it('hands over to the front desk when no link can be made', () => {
    const chat = heldChat();
    chat.send({ type: 'PAYMENT_LINK_FAILED', appointmentId: 'appt-h' });
    chat.expectCalls({ type: 'handoff', reason: 'payment_link_failed' });
    expect(chat.last?.handedOff).toBe(true);
  });

  it('"cancel" while held asks before giving up the slot', () => {
    const chat = heldChat();
    chat.say('cancel');
    expect(chat.state).toBe('session.confirmCancel');
    chat.tap('Yes, cancel it');
    chat.expectCalls({ type: 'cancelAppointment', appointmentId: 'appt-h' });
  });

  it('still tells the patient about a payment after they moved on', () => {
    const chat = heldChat();
    chat.say('menu');
    chat.send({ type: 'PAYMENT_LINK_READY', appointmentId: 'appt-h', url: 'https://rzp.io/l/abc123' });
    expect(chat.replies).toEqual([
      {
        kind: 'cta_url',
        body: 'Here is your payment link. Tap the button below to pay securely.',
        buttonText: 'Pay now',
        url: 'https://rzp.io/l/abc123',
      },
    ]);
    chat.send({ type: 'PAYMENT_CONFIRMED', appointment: { ...held, status: 'confirmed' } });
    expect(chat.lastBody).toContain('Payment received');
    expect(chat.state).toBe('session.menu');
  });

  it('ignores payment events for another appointment while waiting', () => {
    const chat = heldChat();
    chat.send({ type: 'HOLD_EXPIRED', appointment: { ...held, appointmentId: 'appt-other' } });
    expect(chat.state).toBe('session.awaitingPayment');
  });
});

describe('paging', () => {
  it('pages the speciality and doctor list with a "more" row, wrapping at the end', () => {
    const doctors = Array.from({ length: 14 }, (_, i) => ({
      kind: 'doctor' as const,
      doctorId: `d${i}`,
      name: `Dr. Number ${i}`,
    }));
    const chat = chatAtMenu();
    chat.say('book');
    chat.send({ type: 'SPECIALITIES_LOADED', items: doctors });
    expect(titles(chat)).toHaveLength(10);
    expect(titles(chat)[9]).toBe('10. More options');
    chat.say('10');
    expect(titles(chat)[0]).toBe('1. Dr. Number 9');
    expect(titles(chat)).toHaveLength(6);
    chat.tap('More options');
    expect(titles(chat)[0]).toBe('1. Dr. Number 0');
    chat.say('1');
    chat.expectCalls({ type: 'loadDates', target: { doctorId: 'd0' } });
  });

  it('pages slots through the runner and starts the day again if a later page emptied', () => {
    const chat = chatAtSlots();
    chat.tap('More times');
    chat.expectCalls({ type: 'loadSlots', page: 1 });
    chat.send({ type: 'SLOTS_LOADED', slots: [], hasMore: false });
    chat.expectCalls({ type: 'loadSlots', page: 0 });
    chat.send({ type: 'SLOTS_LOADED', slots: SLOTS, hasMore: false });
    expect(titles(chat)).toEqual(['1. 10:30 AM', '2. 11:00 AM', '3. 11:30 AM', '4. Another day']);
  });

  it('never shows more than ten rows, whatever the runner returns', () => {
    // Twenty days, each sent twice: repeats are dropped, and the list stops at ten rows.
    const days = Array.from({ length: 20 }, (_, i) => ({
      date: `2025-01-${String(12 + i).padStart(2, '0')}`,
      freeSlots: 1,
    }));
    const many = [...days, ...days];
    const chat = chatAtMenu();
    chat.say('book');
    chat.send({ type: 'SPECIALITIES_LOADED', items: CATALOGUE });
    chat.say('1');
    chat.send({ type: 'DATES_LOADED', dates: many });
    expect(titles(chat)).toHaveLength(10);
    expect(titles(chat)[9]).toBe('10. Another doctor');
  });
});
