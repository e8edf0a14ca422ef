import { describe, expect, it } from '@jest/globals';
import { textsFor } from '../../flows/booking.texts.js';
import type { StepName } from '../../flows/booking.types.js';
import { fitMessage } from '../../src/modules/messaging/whatsapp-messages.js';
import {
  APPOINTMENTS,
  CATALOGUE,
  Chat,
  DATES,
  PROFILES,
  SLOTS,
  appointment,
  bodyOf,
  chatAtMenu,
  chatAtSlots,
} from './booking-fixtures.js';

// How to bring a chat to each state of the machine (English chosen, unless the state precedes that).
const REACH: Record<string, () => Chat> = {
  start: () => new Chat(),
  idle: () => then(chatAtMenu(), (c) => c.say('stop')),
  frontDesk: () => then(chatAtMenu(), (c) => c.say('front desk')),
  'session.chooseLanguage': () => then(new Chat(), (c) => c.say('hi')),
  'session.menu': () => chatAtMenu(),
  'session.chooseTarget': () =>
    then(
      chatAtMenu(),
      (c) => c.say('1'),
      (c) => c.send({ type: 'SPECIALITIES_LOADED', items: CATALOGUE }),
    ),
  'session.chooseDate': () =>
    then(
      REACH['session.chooseTarget']!(),
      (c) => c.tap('Dr. Asha Rao'),
      (c) => c.send({ type: 'DATES_LOADED', dates: DATES }),
    ),
  'session.chooseSlot': () => chatAtSlots(),
  'session.confirmSlot': () => then(chatAtSlots(), (c) => c.tap('10:30 AM')),
  'session.choosePatient': () =>
    then(
      REACH['session.confirmSlot']!(),
      (c) => c.tap('Confirm'),
      (c) => c.send({ type: 'PROFILES_LOADED', profiles: PROFILES }),
    ),
  'session.askName': () => then(REACH['session.choosePatient']!(), (c) => c.tap('Family member')),
  'session.askAge': () => then(REACH['session.askName']!(), (c) => c.say('Anya Kumar')),
  'session.askRelation': () => then(REACH['session.askAge']!(), (c) => c.say('7')),
  'session.consent': () => then(REACH['session.askRelation']!(), (c) => c.tap('Son / daughter')),
  'session.appointments': () =>
    then(
      chatAtMenu(),
      (c) => c.tap('My appointments'),
      (c) => c.send({ type: 'APPOINTMENTS_LOADED', appointments: APPOINTMENTS }),
    ),
  'session.pickAppointment': () =>
    then(
      chatAtMenu(),
      (c) => c.tap('Cancel appointment'),
      (c) => c.send({ type: 'APPOINTMENTS_LOADED', appointments: APPOINTMENTS }),
    ),
  'session.confirmCancel': () => then(REACH['session.pickAppointment']!(), (c) => c.say('1')),
  'session.awaitingPayment': () =>
    then(
      REACH['session.choosePatient']!(),
      (c) => c.tap('Ravi Kumar'),
      (c) =>
        c.send({
          type: 'BOOKED',
          appointment: appointment('h', SLOTS[0]!.startAt, 'Ravi Kumar', {
            status: 'tentative',
            prepaymentPaise: 50000,
          }),
        }),
    ),
  'session.busy.loadingCatalogue': () => then(chatAtMenu(), (c) => c.say('1')),
  'session.busy.loadingDates': () => then(REACH['session.chooseTarget']!(), (c) => c.say('1')),
  'session.busy.loadingSlots': () => then(REACH['session.chooseDate']!(), (c) => c.say('1')),
  'session.busy.loadingProfiles': () => then(REACH['session.confirmSlot']!(), (c) => c.tap('Confirm')),
  'session.busy.registering': () => then(REACH['session.consent']!(), (c) => c.tap('I agree')),
  'session.busy.booking': () => then(REACH['session.choosePatient']!(), (c) => c.tap('Ravi Kumar')),
  'session.busy.loadingAppointments': () => then(chatAtMenu(), (c) => c.tap('My appointments')),
  'session.busy.cancelling': () => then(REACH['session.confirmCancel']!(), (c) => c.tap('Yes, cancel it')),
  'session.busy.rescheduling': () =>
    then(
      chatAtMenu(),
      (c) => c.tap('Reschedule'),
      (c) => c.send({ type: 'APPOINTMENTS_LOADED', appointments: [APPOINTMENTS[0]!] }),
      (c) => c.send({ type: 'DATES_LOADED', dates: DATES }),
      (c) => c.say('1'),
      (c) => c.send({ type: 'SLOTS_LOADED', slots: SLOTS, hasMore: false }),
      (c) => c.say('1'),
      (c) => c.tap('Yes, move it'),
    ),
};

function then(chat: Chat, ...steps: ((chat: Chat) => unknown)[]): Chat {
  for (const step of steps) step(chat);
  return chat;
}

const INPUTS = ['hi', 'menu', 'help', 'cancel', '2', 'blorp 42 ??', 'नमस्ते', 'मदद', 'रद्द'] as const;
type Input = (typeof INPUTS)[number];

/**
 * What each input does in each state. Tags: M menu · HM help, then menu · H help, then the same
 * step again · U "didn't understand", then the step again · W "one moment" (busy) · S silence ·
 * L the language question · X "okay, stopped", then menu · K "kept", then menu · IN/IA invalid
 * name/age, then the step again; anything else is the state the input leads to.
 */
const TABLE: Record<string, Record<Input, string>> = {
  start: { hi: 'L', menu: 'L', help: 'L', cancel: 'L', '2': 'L', 'blorp 42 ??': 'L', नमस्ते: 'L', मदद: 'L', रद्द: 'L' },
  idle: {
    hi: 'M',
    menu: 'M',
    help: 'HM',
    cancel: 'session.busy.loadingAppointments',
    '2': 'M',
    'blorp 42 ??': 'M',
    नमस्ते: 'M',
    मदद: 'HM',
    रद्द: 'session.busy.loadingAppointments',
  },
  frontDesk: {
    hi: 'S',
    menu: 'S',
    help: 'S',
    cancel: 'S',
    '2': 'S',
    'blorp 42 ??': 'S',
    नमस्ते: 'S',
    मदद: 'S',
    रद्द: 'S',
  },
  'session.chooseLanguage': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'M',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.menu': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'session.busy.loadingAppointments',
    '2': 'session.busy.loadingAppointments',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'session.busy.loadingAppointments',
  },
  'session.chooseTarget': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'session.busy.loadingDates',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.chooseDate': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'session.busy.loadingSlots',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.chooseSlot': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'session.confirmSlot',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.confirmSlot': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'session.busy.loadingSlots',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.choosePatient': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'session.busy.booking',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.askName': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'IN',
    'blorp 42 ??': 'IN',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.askAge': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'session.askRelation',
    'blorp 42 ??': 'IA',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.askRelation': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'session.consent',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.consent': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'idle',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.appointments': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'session.pickAppointment',
    '2': 'session.pickAppointment',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'session.pickAppointment',
  },
  'session.pickAppointment': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'session.confirmCancel',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.confirmCancel': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'X',
    '2': 'K',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'X',
  },
  'session.awaitingPayment': {
    hi: 'M',
    menu: 'M',
    help: 'H',
    cancel: 'session.confirmCancel',
    '2': 'U',
    'blorp 42 ??': 'U',
    नमस्ते: 'M',
    मदद: 'H',
    रद्द: 'session.confirmCancel',
  },
};
const BUSY = {
  hi: 'M',
  menu: 'M',
  help: 'W',
  cancel: 'X',
  '2': 'W',
  'blorp 42 ??': 'W',
  नमस्ते: 'M',
  मदद: 'W',
  रद्द: 'X',
} as const;
for (const state of Object.keys(REACH).filter((name) => name.startsWith('session.busy.'))) TABLE[state] = BUSY;

const STEP_OF: Record<string, StepName> = {
  'session.chooseLanguage': 'language',
  'session.menu': 'menu',
  'session.chooseTarget': 'target',
  'session.chooseDate': 'date',
  'session.chooseSlot': 'slot',
  'session.confirmSlot': 'confirm',
  'session.choosePatient': 'patient',
  'session.askName': 'name',
  'session.askAge': 'age',
  'session.askRelation': 'relation',
  'session.consent': 'consent',
  'session.appointments': 'appointments',
  'session.pickAppointment': 'pick',
  'session.confirmCancel': 'cancelConfirm',
  'session.awaitingPayment': 'payment',
};

const cells = Object.entries(TABLE).flatMap(([state, row]) =>
  INPUTS.map((input) => ({ state, input, expected: row[input] })),
);
const t = textsFor('en');

describe('free text at every state', () => {
  it('covers every state of the machine and every input', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(REACH).sort());
    expect(cells).toHaveLength(Object.keys(REACH).length * INPUTS.length);
  });

  it.each(Object.keys(REACH))('reaches %s', (state) => {
    const chat = REACH[state]!();
    if (state === 'start') expect(chat.stored).toBeNull();
    else expect(chat.state).toBe(state);
  });

  it.each(cells)('$state + "$input" → $expected', ({ state, input, expected }) => {
    const chat = REACH[state]!();
    const before = chat.replies[chat.replies.length - 1];
    chat.say(input);
    expect(chat.last?.note).toBeNull();
    const bodies = chat.replies.map(bodyOf);
    // Every message the bot sends is within WhatsApp's limits as built.
    for (const reply of chat.replies) expect(fitMessage(reply)).toEqual(reply);
    const lastIsMenu = () =>
      expect(chat.replies[chat.replies.length - 1]).toMatchObject({
        kind: 'list',
        sections: [
          { rows: expect.arrayContaining([expect.objectContaining({ id: expect.stringMatching(/^menu:/) })]) },
        ],
      });
    const sameStepAgain = () => {
      expect(chat.state).toBe(state);
      expect(chat.replies[chat.replies.length - 1]).toEqual(before);
    };

    switch (expected) {
      case 'M':
        expect(chat.state).toBe('session.menu');
        lastIsMenu();
        break;
      case 'HM':
        expect(chat.state).toBe('session.menu');
        expect(bodies[0]).toBe(t.help.idle);
        lastIsMenu();
        break;
      case 'H':
        expect(bodies).toHaveLength(2);
        expect(bodies[0]).toBe(t.help[STEP_OF[state]!]);
        sameStepAgain();
        break;
      case 'U':
        expect(bodies[0]).toBe(t.notUnderstood(false));
        sameStepAgain();
        break;
      case 'W':
        expect(chat.state).toBe(state);
        expect(bodies).toEqual([t.pleaseWait]);
        break;
      case 'S':
        expect(chat.last?.effects).toEqual([]);
        expect(chat.state).toBe(state);
        break;
      case 'L':
        expect(chat.state).toBe('session.chooseLanguage');
        expect(bodies[0]).toContain('Please choose your language.');
        break;
      case 'X':
        expect(chat.state).toBe('session.menu');
        expect(bodies[0]).toBe(t.stopped(REACH[state]!().context.flow));
        lastIsMenu();
        break;
      case 'K':
        expect(chat.state).toBe('session.menu');
        expect(bodies[0]).toBe(t.kept);
        break;
      case 'IN':
        expect(bodies[0]).toBe(t.invalidName);
        sameStepAgain();
        break;
      case 'IA':
        expect(bodies[0]).toBe(t.invalidAge);
        sameStepAgain();
        break;
      default:
        expect(chat.state).toBe(expected);
    }
  });
});
