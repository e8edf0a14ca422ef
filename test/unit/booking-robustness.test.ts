import { describe, expect, it } from '@jest/globals';
import {
  BOOKING_MACHINE_VERSION,
  DEFAULT_INACTIVITY_MS,
  persistSnapshot,
  restoreOrStart,
  stepConversation,
} from '../../flows/booking.conversation.js';
import type { BookingEffect, ConversationEvent } from '../../flows/booking.types.js';
import {
  CATALOGUE,
  Chat,
  DATES,
  ENV,
  PROFILES,
  SLOTS,
  appointment,
  bodyOf,
  chatAtMenu,
  chatAtSlots,
  optionsOf,
  repliesOf,
} from './booking-fixtures.js';

const timeouts = (effects: readonly BookingEffect[]) => effects.filter((effect) => effect.type === 'scheduleTimeout');

describe('taps on buttons and rows of old messages', () => {
  it('re-prompts the current step for a row of an earlier list, and never acts on it', () => {
    const chat = chatAtSlots();
    const oldDateRow = chat.optionId('Wed 15 Jan');
    chat.tap('10:30 AM');
    const effects = chat.send({ type: 'TAP', id: oldDateRow });
    expect(chat.state).toBe('session.confirmSlot');
    expect(repliesOf(effects).map(bodyOf)).toEqual([
      'That button is from an earlier message.',
      expect.stringContaining('Please confirm'),
    ]);
    chat.expectCalls();
  });

  it('re-prompts for ids it did not make, of any shape', () => {
    const chat = chatAtSlots();
    for (const id of [
      '',
      'garbage',
      'slot::',
      'slot:1-1:',
      ':::',
      'x'.repeat(256),
      'slot:zz:slot-1030',
      'slot:1-6:unknown-slot',
    ]) {
      chat.send({ type: 'TAP', id });
      expect(chat.state).toBe('session.chooseSlot');
      expect(chat.replies.map(bodyOf)[0]).toBe('That button is from an earlier message.');
    }
  });

  it('treats a second tap on Confirm after booking as stale: no second booking', () => {
    const chat = chatAtSlots();
    chat.tap('10:30 AM');
    const confirm = chat.optionId('Confirm');
    chat.send({ type: 'TAP', id: confirm });
    chat.send({ type: 'PROFILES_LOADED', profiles: PROFILES });
    chat.tap('Ravi Kumar');
    chat.send({ type: 'BOOKED', appointment: appointment('a1', SLOTS[0]!.startAt, 'Ravi Kumar') });
    chat.send({ type: 'TAP', id: confirm });
    chat.expectCalls();
    expect(chat.replies.map(bodyOf)[0]).toBe('That button is from an earlier message.');
    expect(chat.state).toBe('session.menu');
  });

  it('honours a tap on any menu message, since menu options never go stale', () => {
    const chat = chatAtSlots();
    const oldMenuRow = chat.optionId('My appointments');
    chat.send({ type: 'TAP', id: oldMenuRow });
    chat.expectCalls({ type: 'listAppointments' });
  });

  it('ignores a tap sent while the bot is working, except to say so', () => {
    const chat = chatAtSlots();
    chat.tap('10:30 AM');
    chat.tap('Confirm');
    expect(chat.state).toBe('session.busy.loadingProfiles');
    chat.send({ type: 'TAP', id: chat.optionId('Confirm') });
    expect(chat.replies.map(bodyOf)).toEqual(["One moment please, we're still working on your last request."]);
    chat.expectCalls();
  });
});

describe('hand-off to the front desk', () => {
  it('flags the conversation, stays silent for everything, and comes back on RELEASE', () => {
    const chat = chatAtSlots();
    chat.say('talk to front desk');
    chat.expectCalls({ type: 'handoff', reason: 'patient_request' });
    expect(chat.replies.map(bodyOf)[0]).toContain("We've asked our front desk to take over");
    expect(chat.last?.handedOff).toBe(true);
    expect(chat.state).toBe('frontDesk');

    const silence: ConversationEvent[] = [
      { type: 'TEXT', text: 'hello?' },
      { type: 'TEXT', text: 'menu' },
      { type: 'TEXT', text: 'help' },
      { type: 'TAP', id: chat.optionId('10:30 AM') },
      { type: 'UNSUPPORTED_MESSAGE', kind: 'image' },
      { type: 'TIMEOUT', turn: chat.context.turn },
      { type: 'BOOKED', appointment: appointment('late', SLOTS[0]!.startAt, 'Ravi Kumar') },
      { type: 'TAKE_OVER' },
    ];
    for (const event of silence) {
      expect(chat.send(event)).toEqual([]);
      expect(chat.last?.handedOff).toBe(true);
    }

    chat.send({ type: 'RELEASE' });
    expect(chat.last?.handedOff).toBe(false);
    expect(chat.replies.map(bodyOf)[0]).toBe("You're back with the Sunrise Clinic assistant.");
    expect(chat.state).toBe('session.menu');
  });

  it('lets staff take over without a word to the patient', () => {
    const chat = chatAtMenu();
    expect(chat.send({ type: 'TAKE_OVER' })).toEqual([]);
    expect(chat.last?.handedOff).toBe(true);
  });

  it('understands a request for the front desk even while the bot is busy', () => {
    const chat = chatAtMenu();
    chat.say('1');
    chat.say('reception');
    chat.expectCalls({ type: 'handoff' });
  });

  it('ignores RELEASE when nobody had taken over', () => {
    const chat = chatAtMenu();
    expect(chat.send({ type: 'RELEASE' })).toEqual([]);
  });
});

describe('inactivity', () => {
  it('schedules a timeout for each patient message, numbered by turn', () => {
    const chat = new Chat();
    expect(timeouts(chat.say('hi'))).toEqual([{ type: 'scheduleTimeout', turn: 1, delayMs: DEFAULT_INACTIVITY_MS }]);
    expect(timeouts(chat.tap('English'))).toEqual([
      { type: 'scheduleTimeout', turn: 2, delayMs: DEFAULT_INACTIVITY_MS },
    ]);
    expect(timeouts(chat.send({ type: 'TEXT', text: '1' }, { ...ENV, inactivityMs: 60_000 }))).toEqual([
      { type: 'scheduleTimeout', turn: 3, delayMs: 60_000 },
    ]);
    // Results from the runner are not patient activity.
    expect(timeouts(chat.send({ type: 'SPECIALITIES_LOADED', items: CATALOGUE }))).toEqual([]);
  });

  it('closes the chat on the current TIMEOUT and ignores older ones', () => {
    const chat = chatAtSlots();
    const turn = chat.context.turn;
    expect(chat.send({ type: 'TIMEOUT', turn: turn - 1 })).toEqual([]);
    expect(chat.state).toBe('session.chooseSlot');

    chat.send({ type: 'TIMEOUT', turn });
    expect(chat.replies.map(bodyOf)).toEqual([
      "We've closed this chat because there was no reply for a while. Nothing was changed. Send *hi* whenever you're ready.",
    ]);
    expect(chat.state).toBe('idle');
    expect(chat.context.slots).toEqual([]);
    expect(chat.send({ type: 'TIMEOUT', turn })).toEqual([]);

    chat.say('hello');
    expect(chat.state).toBe('session.menu');
  });

  it('does not schedule or act on timeouts at rest or while waiting for payment', () => {
    const chat = chatAtSlots();
    chat.say('stop');
    expect(chat.state).toBe('idle');
    expect(timeouts(chat.last?.effects ?? [])).toEqual([]);

    const paying = chatAtSlots();
    paying.tap('10:30 AM');
    paying.tap('Confirm');
    paying.send({ type: 'PROFILES_LOADED', profiles: PROFILES });
    paying.tap('Ravi Kumar');
    paying.send({
      type: 'BOOKED',
      appointment: appointment('h', SLOTS[0]!.startAt, 'Ravi Kumar', { status: 'tentative' }),
    });
    expect(paying.send({ type: 'TIMEOUT', turn: paying.context.turn })).toEqual([]);
    expect(paying.state).toBe('session.awaitingPayment');
  });
});

describe('persistence', () => {
  it('round-trips every snapshot of a whole booking through JSON unchanged', () => {
    let stored: unknown = null;
    const script: ConversationEvent[] = [
      { type: 'TEXT', text: 'hi' },
      { type: 'TEXT', text: '2' },
      { type: 'TEXT', text: '1' },
      { type: 'SPECIALITIES_LOADED', items: CATALOGUE },
      { type: 'TEXT', text: '3' },
      { type: 'DATES_LOADED', dates: DATES },
      { type: 'TEXT', text: '2' },
      { type: 'SLOTS_LOADED', slots: SLOTS, hasMore: false },
      { type: 'TEXT', text: '1' },
      { type: 'TEXT', text: 'हाँ' },
      { type: 'PROFILES_LOADED', profiles: [] },
      { type: 'TEXT', text: '2' },
      { type: 'TEXT', text: 'अनन्या शर्मा' },
      { type: 'TEXT', text: '४' },
      { type: 'TEXT', text: '1' },
      { type: 'TEXT', text: '1' },
      { type: 'PATIENT_REGISTERED', patientId: 'p-new' },
    ];
    for (const event of script) {
      const result = stepConversation(stored, event, ENV);
      const json = JSON.parse(JSON.stringify(result.snapshot)) as unknown;
      expect(json).toEqual(result.snapshot);
      // Stepping from the JSON copy and from the original gives the same result.
      const probe: ConversationEvent = { type: 'TEXT', text: 'help' };
      expect(stepConversation(json, probe, ENV)).toEqual(stepConversation(result.snapshot, probe, ENV));
      stored = json;
    }
    const last = stepConversation(stored, { type: 'TEXT', text: 'x' }, ENV);
    expect(last.state).toBe('session.busy.booking');
    expect(last.snapshot.context).toMatchObject({ lang: 'hi', patient: { patientId: 'p-new', name: 'अनन्या शर्मा' } });
  });

  it('restores a stored snapshot to the same state', () => {
    const chat = chatAtSlots();
    const { snapshot, restarted } = restoreOrStart(chat.stored, BOOKING_MACHINE_VERSION);
    expect(restarted).toBeNull();
    expect(persistSnapshot(snapshot)).toEqual(chat.stored);
  });
});

describe('machine versions', () => {
  function oldVersionOf(chat: Chat): unknown {
    const stored = structuredClone(chat.stored) as { context: { version: number } };
    stored.context.version = BOOKING_MACHINE_VERSION - 1;
    return stored;
  }

  it('restarts an older snapshot cleanly at the menu, keeping the language', () => {
    const chat = chatAtSlots('hi');
    const stored = oldVersionOf(chat);
    const result = stepConversation(stored, { type: 'TEXT', text: '2' }, ENV);
    expect(result.note).toBe('old_version');
    expect(result.state).toBe('session.menu');
    const [menu] = repliesOf(result.effects);
    expect(menu?.kind).toBe('list');
    expect(bodyOf(menu!)).toContain('आज हम आपकी क्या सहायता कर सकते हैं');
    expect(result.snapshot.context).toMatchObject({ version: BOOKING_MACHINE_VERSION, lang: 'hi', slots: [] });
  });

  it('uses the version stored beside the snapshot when given', () => {
    const chat = chatAtSlots();
    expect(restoreOrStart(chat.stored, BOOKING_MACHINE_VERSION + 1)).toMatchObject({ restarted: 'old_version' });
    expect(restoreOrStart(chat.stored, BOOKING_MACHINE_VERSION).snapshot.value).toEqual({ session: 'chooseSlot' });
  });

  it('never lets a button from before the restart match a step after it', () => {
    const chat = chatAtSlots();
    const oldSlot = chat.optionId('10:30 AM');
    chat.stored = oldVersionOf(chat);
    chat.say('book');
    chat.send({ type: 'SPECIALITIES_LOADED', items: CATALOGUE });
    chat.tap('Dr. Asha Rao');
    chat.send({ type: 'DATES_LOADED', dates: DATES });
    chat.say('2');
    chat.send({ type: 'SLOTS_LOADED', slots: SLOTS, hasMore: true });
    chat.send({ type: 'TAP', id: oldSlot });
    expect(chat.replies.map(bodyOf)[0]).toBe('That button is from an earlier message.');
  });

  it('keeps counting turns across a restart, so timeouts scheduled before it stay stale', () => {
    const chat = chatAtSlots();
    const before = chat.context.turn;
    chat.stored = oldVersionOf(chat);
    chat.say('hi');
    expect(chat.context.turn).toBe(before + 1);
    expect(chat.send({ type: 'TIMEOUT', turn: before })).toEqual([]);
    expect(chat.state).toBe('session.menu');
    chat.send({ type: 'TIMEOUT', turn: before + 1 });
    expect(chat.state).toBe('idle');
  });

  it('keeps the bot silent across a restart while staff own the chat', () => {
    const chat = chatAtMenu();
    chat.say('front desk');
    const result = stepConversation(oldVersionOf(chat), { type: 'TEXT', text: 'hello' }, ENV);
    expect(result).toMatchObject({ note: 'old_version', state: 'frontDesk', handedOff: true, effects: [] });
  });

  it('restarts snapshots it cannot read', () => {
    for (const junk of [
      42,
      'x',
      [],
      {},
      { status: 'active', value: 'nowhere', context: {} },
      { status: 'done', value: 'idle', context: {} },
    ]) {
      const result = stepConversation(junk, { type: 'TEXT', text: 'hi' }, ENV);
      expect(result.state).toBe('session.menu');
      expect(result.note).toMatch(/old_version|unreadable/);
    }
    const chat = chatAtSlots();
    const badState = { ...(chat.stored as object), value: { session: 'nowhere' } };
    expect(stepConversation(badState, { type: 'TEXT', text: 'hi' }, ENV).note).toBe('unreadable');
  });
});

describe('malformed input and internal failures', () => {
  it('ignores an event that does not match the schema, changing nothing', () => {
    const chat = chatAtSlots();
    const before = chat.stored;
    const result = stepConversation(
      before,
      { type: 'SLOTS_LOADED', slots: [{ slotId: 1 }] } as unknown as ConversationEvent,
      ENV,
    );
    expect(result).toMatchObject({ note: 'ignored_invalid_event', effects: [], snapshot: before });
    expect(stepConversation(before, { type: 'NOPE' } as unknown as ConversationEvent, ENV).note).toBe(
      'ignored_invalid_event',
    );
  });

  it('ignores results that arrive in a state that did not ask for them', () => {
    const chat = chatAtSlots();
    expect(chat.send({ type: 'DATES_LOADED', dates: DATES })).toEqual([]);
    expect(chat.send({ type: 'PATIENT_REGISTERED', patientId: 'p' })).toEqual([]);
    expect(chat.state).toBe('session.chooseSlot');
  });

  it('recovers from a snapshot that breaks the chart’s invariants with an apology, not a crash', () => {
    const chat = chatAtSlots();
    const broken = { ...(chat.stored as object), value: { session: { busy: 'registering' } } };
    const result = stepConversation(broken, { type: 'PATIENT_REGISTERED', patientId: 'p' }, ENV);
    expect(result.note).toBe('recovered_from_error');
    expect(result.state).toBe('idle');
    expect(repliesOf(result.effects).map(bodyOf)).toEqual([
      'Sorry, something went wrong on our side. Please type *menu* to continue.',
    ]);
  });

  it('answers media politely and re-asks', () => {
    const chat = chatAtSlots();
    chat.send({ type: 'UNSUPPORTED_MESSAGE', kind: 'voice' });
    expect(chat.replies.map(bodyOf)[0]).toBe('Sorry, we can only read text messages and button taps here.');
    expect(optionsOf(chat.replies[1]!)).toHaveLength(5);
  });

  it('returns to the menu when a load fails', () => {
    const chat = chatAtMenu();
    chat.say('book');
    chat.send({ type: 'LOAD_FAILED' });
    expect(chat.replies.map(bodyOf)[0]).toContain("couldn't fetch that");
    expect(chat.state).toBe('session.menu');
  });

  it('says so when nobody can be booked, or a doctor has no free days', () => {
    const chat = chatAtMenu();
    chat.say('book');
    chat.send({ type: 'SPECIALITIES_LOADED', items: [] });
    expect(chat.replies.map(bodyOf)[0]).toBe(
      'Sorry, no doctor can be booked on WhatsApp right now. Please call us on +91 80 4000 1234.',
    );

    chat.say('book');
    chat.send({ type: 'SPECIALITIES_LOADED', items: CATALOGUE });
    chat.tap('Paediatrics');
    chat.send({ type: 'DATES_LOADED', dates: [{ date: '2025-01-14', freeSlots: 0 }] });
    expect(chat.replies.map(bodyOf)[0]).toBe('Sorry, there are no free times for *Paediatrics* in the next 7 days.');
    expect(chat.state).toBe('session.chooseTarget');
  });

  it('points to the front desk after three messages it did not understand', () => {
    const chat = chatAtSlots();
    chat.say('blorp');
    chat.say('blorp');
    expect(chat.replies.map(bodyOf)[0]).not.toContain('front desk');
    chat.say('blorp');
    expect(chat.replies.map(bodyOf)[0]).toContain('type *front desk* to chat with our staff');
    chat.say('1');
    expect(chat.context.misses).toBe(0);
  });
});

describe('back', () => {
  it('walks back one step at a time through a booking', () => {
    const chat = chatAtSlots();
    chat.tap('10:30 AM');
    chat.tap('Confirm');
    chat.send({ type: 'PROFILES_LOADED', profiles: [] });
    chat.tap('Family member');
    chat.say('Anya Kumar');
    chat.say('7');
    const trail: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      chat.say('back');
      trail.push(chat.state);
    }
    expect(trail).toEqual([
      'session.askAge',
      'session.askName',
      'session.choosePatient',
      'session.confirmSlot',
      'session.chooseSlot',
      'session.chooseDate',
      'session.chooseTarget',
      'session.menu',
    ]);
  });
});
