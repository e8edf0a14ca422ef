/**
 * The WhatsApp booking conversation as a pure XState v5 machine, one snapshot per patient number.
 *
 * Nothing here does I/O. A patient message (TEXT, TAP) is counted, read as an intent at the
 * current step (booking.input.ts) and re-raised as INPUT; states answer intents. Replies and
 * service calls are `emit`ted as effect data, which `stepConversation` (booking.conversation.ts)
 * collects in order and the runner performs, feeding results back as events (BOOKED,
 * SLOTS_LOADED…). There are no `after` timers: inactivity arrives as a TIMEOUT event from a
 * delayed job, matched to the turn it was scheduled on.
 *
 * Layout: `start` (never spoken to) → `session` (every interactive step, with shared handling of
 * help, menu, cancel, stop, back, language, stale taps and gibberish) and its `busy` child
 * (waiting for the runner); `idle` (at rest, journey forgotten); `frontDesk` (staff own the chat,
 * the bot is silent until RELEASE). Guards and actions are named in booking.setup.ts.
 */
import { and } from 'xstate';
import { bookingSetup } from './booking.setup.js';
import type { Command, Flow, Intent, MenuOption, Notice, StepName } from './booking.types.js';

/**
 * Version of the machine's states and context. Bump it whenever a persisted snapshot of the old
 * version could not be read by the new one (renamed states, changed context): old conversations
 * then restart cleanly at rest, keeping only the language and the front-desk flag.
 */
export const BOOKING_MACHINE_VERSION = 2;

// Guard and action references with their parameters, so the chart below reads as a table.
const choice = (value?: string) => ({ type: 'chose', params: { value } }) as const;
const command = (name: Command) => ({ type: 'said', params: { command: name } }) as const;
const intent = (kind: Intent['kind']) => ({ type: 'intentIs', params: { kind } }) as const;
const picked = (option: MenuOption) => ({ type: 'pickedMenu', params: { option } }) as const;
const inFlow = (flow: Flow) => ({ type: 'flowIs', params: { flow } }) as const;
const step = (name: StepName) => ({ type: 'enterStep', params: { step: name } }) as const;
const begin = (flow: Flow) => ({ type: 'startFlow', params: { flow } }) as const;
const setFlow = (flow: Flow) => ({ type: 'setFlow', params: { flow } }) as const;
const say = (notice: Notice) => ({ type: 'say', params: notice }) as const;
const handOff = [say({ key: 'handoff' }), { type: 'handoff', params: { reason: 'patient_request' } }] as const;

/** The booking conversation machine; its input is the context to start from. */
export const bookingMachine = bookingSetup.createMachine({
  id: 'booking',
  context: ({ input }) => input,
  initial: 'start',
  on: {
    TEXT: { actions: ['countTurn', 'readInput', 'armTimeout'] },
    TAP: { actions: ['countTurn', 'readInput', 'armTimeout'] },
    UNSUPPORTED_MESSAGE: { actions: ['countTurn', 'readInput', 'armTimeout'] },
    // Raised after INPUT is handled, so it sees the step the message led to.
    ARM: { actions: 'scheduleTimeout' },
    TIMEOUT: {
      guard: 'timeoutIsCurrent',
      target: '#idle',
      actions: { type: 'say', params: ({ context }) => ({ key: 'timedOut', flow: context.flow }) },
    },
    TAKE_OVER: { target: '#frontDesk' },
    // Results that arrive after the patient moved on still matter to them: say what happened.
    BOOKED: [
      {
        guard: 'awaitsPayment',
        actions: [
          { type: 'say', params: ({ event }) => ({ key: 'held', appointment: event.appointment }) },
          'requestPaymentFor',
        ],
      },
      { actions: { type: 'say', params: ({ event }) => ({ key: 'booked', appointment: event.appointment }) } },
    ],
    RESCHEDULED: {
      actions: { type: 'say', params: ({ event }) => ({ key: 'rescheduled', appointment: event.appointment }) },
    },
    CANCELLED: {
      actions: {
        type: 'say',
        params: ({ event }) => ({ key: 'cancelledAppointment', appointment: null, refund: event.refund ?? null }),
      },
    },
    PAYMENT_LINK_READY: { actions: { type: 'say', params: ({ event }) => ({ key: 'paymentLink', url: event.url }) } },
    PAYMENT_CONFIRMED: {
      actions: { type: 'say', params: ({ event }) => ({ key: 'paymentConfirmed', appointment: event.appointment }) },
    },
    HOLD_EXPIRED: {
      actions: { type: 'say', params: ({ event }) => ({ key: 'holdExpired', appointment: event.appointment }) },
    },
    PAYMENT_LINK_FAILED: {
      target: '#frontDesk',
      actions: [say({ key: 'paymentTrouble' }), { type: 'handoff', params: { reason: 'payment_link_failed' } }],
    },
  },
  states: {
    start: {
      on: {
        TIMEOUT: {},
        INPUT: [
          { guard: intent('setLanguage'), target: '#menu', actions: 'setLanguage' },
          { target: '#chooseLanguage' },
        ],
      },
    },

    idle: {
      id: 'idle',
      entry: ['forgetJourney', step('idle')],
      on: {
        ARM: {},
        TIMEOUT: {},
        INPUT: [
          { guard: picked('book'), target: '#loadingCatalogue', actions: begin('book') },
          { guard: picked('mine'), target: '#loadingAppointments', actions: begin('view') },
          { guard: picked('reschedule'), target: '#loadingAppointments', actions: begin('reschedule') },
          { guard: picked('cancel'), target: '#loadingAppointments', actions: begin('cancel') },
          { guard: picked('frontDesk'), target: '#frontDesk', actions: handOff },
          { guard: picked('language'), target: '#chooseLanguage' },
          { guard: intent('setLanguage'), target: '#menu', actions: 'setLanguage' },
          { guard: command('stop'), actions: say({ key: 'goodbye' }) },
          { guard: command('help'), target: '#menu', actions: 'helpForStep' },
          { guard: intent('stale'), target: '#menu', actions: say({ key: 'stale' }) },
          { target: '#menu' },
        ],
      },
    },

    frontDesk: {
      id: 'frontDesk',
      entry: 'markHandedOff',
      exit: 'clearHandedOff',
      on: {
        RELEASE: { target: '#menu', actions: say({ key: 'released' }) },
        // Staff own the conversation: no replies, no timeouts, no late notices until released.
        '*': {},
      },
    },

    session: {
      // Every way in names its step; the initial state only satisfies the chart.
      initial: 'menu',
      on: {
        INPUT: [
          { guard: picked('book'), target: '#loadingCatalogue', actions: begin('book') },
          { guard: picked('mine'), target: '#loadingAppointments', actions: begin('view') },
          { guard: picked('reschedule'), target: '#loadingAppointments', actions: begin('reschedule') },
          { guard: picked('cancel'), target: '#loadingAppointments', actions: begin('cancel') },
          { guard: picked('frontDesk'), target: '#frontDesk', actions: handOff },
          { guard: picked('language'), target: '#chooseLanguage' },
          { guard: command('menu'), target: '#menu' },
          { guard: command('help'), actions: ['helpForStep', 'prompt'] },
          { guard: command('cancel'), target: '#menu', actions: 'sayStopped' },
          { guard: command('stop'), target: '#idle', actions: say({ key: 'goodbye' }) },
          { guard: command('back'), actions: 'prompt' },
          { guard: intent('setLanguage'), actions: ['setLanguage', 'prompt'] },
          { guard: intent('stale'), actions: ['countMiss', say({ key: 'stale' }), 'prompt'] },
          { guard: intent('unsupported'), actions: [say({ key: 'unsupported' }), 'prompt'] },
          { guard: intent('tooLong'), actions: [say({ key: 'tooLong' }), 'prompt'] },
          { actions: ['countMiss', 'notUnderstood', 'prompt'] },
        ],
      },
      states: {
        chooseLanguage: {
          id: 'chooseLanguage',
          entry: [step('language'), 'prompt'],
          on: {
            INPUT: [
              { guard: choice(), target: '#menu', actions: 'setLanguage' },
              { guard: command('back'), target: '#menu' },
            ],
          },
        },

        menu: {
          id: 'menu',
          // Back at the menu, the last journey is over: drop what it collected (names, slots).
          entry: ['forgetJourney', step('menu'), 'prompt'],
        },

        chooseTarget: {
          id: 'chooseTarget',
          entry: [step('target'), 'prompt'],
          on: {
            INPUT: [
              { guard: choice('+more'), target: '#chooseTarget', reenter: true, actions: 'nextCataloguePage' },
              { guard: choice(), target: '#loadingDates', actions: 'pickTarget' },
              { guard: command('back'), target: '#menu' },
            ],
          },
        },

        chooseDate: {
          id: 'chooseDate',
          entry: [step('date'), 'prompt'],
          on: {
            INPUT: [
              { guard: choice('+other'), target: '#chooseTarget' },
              { guard: choice(), target: '#loadingSlots', actions: 'pickDate' },
              { guard: and([command('back'), inFlow('reschedule')]), target: '#pickAppointment' },
              { guard: command('back'), target: '#chooseTarget' },
            ],
          },
        },

        chooseSlot: {
          id: 'chooseSlot',
          entry: [step('slot'), 'prompt'],
          on: {
            INPUT: [
              { guard: choice('+more'), target: '#loadingSlots', actions: 'nextSlotPage' },
              { guard: choice('+date'), target: '#chooseDate' },
              { guard: choice(), target: '#confirmSlot', actions: 'pickSlot' },
              { guard: command('back'), target: '#chooseDate' },
            ],
          },
        },

        confirmSlot: {
          id: 'confirmSlot',
          entry: [step('confirm'), 'prompt'],
          on: {
            INPUT: [
              { guard: and([choice('yes'), inFlow('reschedule')]), target: '#rescheduling' },
              // After a taken slot, who the visit is for is already settled.
              { guard: and([choice('yes'), 'hasPatient']), target: '#booking' },
              { guard: choice('yes'), target: '#loadingProfiles' },
              { guard: choice('other'), target: '#loadingSlots' },
              { guard: choice('no'), target: '#menu', actions: 'sayStopped' },
              { guard: command('back'), target: '#chooseSlot' },
            ],
          },
        },

        choosePatient: {
          id: 'choosePatient',
          entry: [step('patient'), 'prompt'],
          on: {
            INPUT: [
              { guard: choice('+self'), target: '#askName', actions: 'draftHolder' },
              { guard: choice('+family'), target: '#askName', actions: 'draftFamilyMember' },
              { guard: choice(), target: '#booking', actions: 'pickProfile' },
              { guard: command('back'), target: '#confirmSlot' },
            ],
          },
        },

        askName: {
          id: 'askName',
          entry: [step('name'), 'prompt'],
          on: {
            INPUT: [
              // Everyone is asked their age: a minor cannot consent for themself (DPDP Act, s. 9).
              { guard: 'typedValidName', target: '#askAge', actions: 'setName' },
              { guard: intent('text'), actions: [say({ key: 'invalidName' }), 'prompt'] },
              { guard: command('back'), target: '#choosePatient' },
            ],
          },
        },

        askAge: {
          id: 'askAge',
          entry: [step('age'), 'prompt'],
          on: {
            INPUT: [
              // The account holder is not asked for a relation: it is their own number.
              { guard: and(['typedValidAge', 'draftIsHolder']), target: '#consent', actions: 'setAge' },
              { guard: 'typedValidAge', target: '#askRelation', actions: 'setAge' },
              { guard: intent('text'), actions: [say({ key: 'invalidAge' }), 'prompt'] },
              { guard: command('back'), target: '#askName' },
            ],
          },
        },

        askRelation: {
          id: 'askRelation',
          entry: [step('relation'), 'prompt'],
          on: {
            INPUT: [
              { guard: choice(), target: '#consent', actions: 'setRelation' },
              { guard: command('back'), target: '#askAge' },
            ],
          },
        },

        consent: {
          id: 'consent',
          entry: [step('consent'), 'prompt'],
          on: {
            INPUT: [
              { guard: choice('accept'), target: '#registering', actions: 'registerPatient' },
              // Declining keeps nothing: only the decision is recorded, and idle drops the draft.
              {
                guard: choice('decline'),
                target: '#idle',
                actions: ['recordDeclinedConsent', say({ key: 'consentDeclined' })],
              },
              { guard: and([command('back'), 'draftIsHolder']), target: '#askAge' },
              { guard: command('back'), target: '#askRelation' },
            ],
          },
        },

        appointments: {
          id: 'appointments',
          entry: [step('appointments'), 'prompt'],
          on: {
            INPUT: [
              {
                guard: and([choice('reschedule'), 'singleAppointment']),
                target: '#loadingDates',
                actions: [setFlow('reschedule'), 'pickOnlyAppointment'],
              },
              { guard: choice('reschedule'), target: '#pickAppointment', actions: setFlow('reschedule') },
              {
                guard: and([choice('cancel'), 'singleAppointment']),
                target: '#confirmCancel',
                actions: [setFlow('cancel'), 'pickOnlyAppointment'],
              },
              { guard: choice('cancel'), target: '#pickAppointment', actions: setFlow('cancel') },
              { guard: choice('menu'), target: '#menu' },
              { guard: command('back'), target: '#menu' },
            ],
          },
        },

        pickAppointment: {
          id: 'pickAppointment',
          entry: [step('pick'), 'prompt'],
          on: {
            INPUT: [
              {
                guard: and([choice(), inFlow('reschedule')]),
                target: '#loadingDates',
                actions: 'pickListedAppointment',
              },
              { guard: choice(), target: '#confirmCancel', actions: 'pickListedAppointment' },
              { guard: command('back'), target: '#menu' },
            ],
          },
        },

        confirmCancel: {
          id: 'confirmCancel',
          entry: [step('cancelConfirm'), 'prompt'],
          on: {
            INPUT: [
              { guard: choice('yes'), target: '#cancelling' },
              { guard: choice('no'), target: '#menu', actions: say({ key: 'kept' }) },
              // Offered when cancelling now would forfeit the payment, or is too late: move it, or ask a person.
              { guard: choice('reschedule'), target: '#loadingDates', actions: setFlow('reschedule') },
              { guard: choice('frontDesk'), target: '#frontDesk', actions: handOff },
              { guard: and([command('back'), 'singleAppointment']), target: '#menu' },
              { guard: command('back'), target: '#pickAppointment' },
            ],
          },
        },

        awaitingPayment: {
          id: 'awaitingPayment',
          // The reply goes before the request, so "link on its way" precedes the link itself.
          entry: [step('payment'), 'prompt', 'requestPayment'],
          on: {
            // The hold's own expiry ends this wait, not inactivity.
            ARM: {},
            TIMEOUT: {},
            PAYMENT_LINK_READY: { guard: 'paymentMatches', actions: ['storePaymentLink', 'prompt'] },
            PAYMENT_CONFIRMED: {
              guard: 'paymentMatches',
              target: '#idle',
              actions: {
                type: 'say',
                params: ({ event }) => ({ key: 'paymentConfirmed', appointment: event.appointment }),
              },
            },
            HOLD_EXPIRED: {
              guard: 'paymentMatches',
              target: '#idle',
              actions: { type: 'say', params: ({ event }) => ({ key: 'holdExpired', appointment: event.appointment }) },
            },
            // "cancel" while a slot is held means giving up the hold: ask before releasing it.
            INPUT: { guard: command('cancel'), target: '#confirmCancel', actions: 'pickHeldAppointment' },
          },
        },

        busy: {
          initial: 'loadingCatalogue',
          // No options while waiting: a word like "cancel" is then a command, not the last step's button.
          entry: 'enterBusy',
          on: {
            LOAD_FAILED: { target: '#menu', actions: say({ key: 'loadFailed' }) },
            INPUT: [
              { guard: picked('frontDesk'), target: '#frontDesk', actions: handOff },
              { guard: command('menu'), target: '#menu' },
              { guard: command('cancel'), target: '#menu', actions: 'sayStopped' },
              { guard: command('stop'), target: '#idle', actions: say({ key: 'goodbye' }) },
              // The runner answers within the same turn; anything typed meanwhile must not act twice.
              { actions: say({ key: 'pleaseWait' }) },
            ],
          },
          states: {
            loadingCatalogue: {
              id: 'loadingCatalogue',
              entry: 'loadSpecialities',
              on: {
                SPECIALITIES_LOADED: [
                  { guard: 'loadedSomething', target: '#chooseTarget', actions: 'storeCatalogue' },
                  { target: '#menu', actions: say({ key: 'noDoctors' }) },
                ],
              },
            },

            loadingDates: {
              id: 'loadingDates',
              entry: 'loadDates',
              on: {
                DATES_LOADED: [
                  { guard: 'loadedSomething', target: '#chooseDate', actions: 'storeDates' },
                  {
                    guard: inFlow('book'),
                    target: '#chooseTarget',
                    actions: { type: 'say', params: ({ context }) => ({ key: 'noDates', target: context.target }) },
                  },
                  {
                    target: '#menu',
                    actions: { type: 'say', params: ({ context }) => ({ key: 'noDates', target: context.target }) },
                  },
                ],
              },
            },

            loadingSlots: {
              id: 'loadingSlots',
              entry: 'loadSlots',
              on: {
                SLOTS_LOADED: [
                  { guard: 'loadedSomething', target: '#chooseSlot', actions: 'storeSlots' },
                  // A later page came back empty (those slots went meanwhile): show the day from the top.
                  { guard: 'pagedSlots', target: '#loadingSlots', reenter: true, actions: 'firstSlotPage' },
                  // The day filled up: offer the other days, without asking for this one again.
                  {
                    guard: 'otherDatesLeft',
                    target: '#chooseDate',
                    actions: [
                      { type: 'say', params: ({ context }) => ({ key: 'noSlots', date: context.date }) },
                      'dropDate',
                    ],
                  },
                  {
                    guard: inFlow('book'),
                    target: '#chooseTarget',
                    actions: { type: 'say', params: ({ context }) => ({ key: 'noDates', target: context.target }) },
                  },
                  {
                    target: '#menu',
                    actions: { type: 'say', params: ({ context }) => ({ key: 'noDates', target: context.target }) },
                  },
                ],
              },
            },

            loadingProfiles: {
              id: 'loadingProfiles',
              entry: 'loadProfiles',
              on: { PROFILES_LOADED: { target: '#choosePatient', actions: 'storeProfiles' } },
            },

            registering: {
              id: 'registering',
              on: {
                PATIENT_REGISTERED: { target: '#booking', actions: 'storeRegisteredPatient' },
                REGISTRATION_FAILED: { target: '#menu', actions: [say({ key: 'registrationFailed' }), 'clearDraft'] },
              },
            },

            booking: {
              id: 'booking',
              entry: 'book',
              on: {
                BOOKED: [
                  { guard: 'awaitsPayment', target: '#awaitingPayment', actions: 'holdPayment' },
                  {
                    target: '#idle',
                    actions: {
                      type: 'say',
                      params: ({ event }) => ({ key: 'booked', appointment: event.appointment }),
                    },
                  },
                ],
                BOOKING_FAILED: [
                  {
                    guard: 'slotTaken',
                    target: '#loadingSlots',
                    actions: [say({ key: 'slotTaken' }), 'firstSlotPage'],
                  },
                  {
                    target: '#menu',
                    actions: { type: 'say', params: ({ event }) => ({ key: 'bookingFailed', reason: event.reason }) },
                  },
                ],
              },
            },

            loadingAppointments: {
              id: 'loadingAppointments',
              entry: 'listAppointments',
              on: {
                APPOINTMENTS_LOADED: [
                  {
                    guard: and(['loadedSomething', inFlow('view')]),
                    target: '#appointments',
                    actions: 'storeAppointments',
                  },
                  // With one appointment there is nothing to pick: go straight to it.
                  {
                    guard: and(['loadedSomething', 'singleAppointment', inFlow('reschedule')]),
                    target: '#loadingDates',
                    actions: 'pickOnlyAppointment',
                  },
                  {
                    guard: and(['loadedSomething', 'singleAppointment']),
                    target: '#confirmCancel',
                    actions: 'pickOnlyAppointment',
                  },
                  { guard: 'loadedSomething', target: '#pickAppointment', actions: 'storeAppointments' },
                  { target: '#menu', actions: say({ key: 'noAppointments' }) },
                ],
              },
            },

            cancelling: {
              id: 'cancelling',
              entry: 'cancelAppointment',
              on: {
                CANCELLED: {
                  target: '#idle',
                  actions: {
                    type: 'say',
                    params: ({ context, event }) => ({
                      key: 'cancelledAppointment',
                      appointment: context.appointment,
                      refund: event.refund ?? null,
                    }),
                  },
                },
                CANCEL_FAILED: {
                  target: '#menu',
                  actions: { type: 'say', params: ({ event }) => ({ key: 'cancelFailed', reason: event.reason }) },
                },
              },
            },

            rescheduling: {
              id: 'rescheduling',
              entry: 'reschedule',
              on: {
                RESCHEDULED: {
                  target: '#idle',
                  actions: {
                    type: 'say',
                    params: ({ event }) => ({ key: 'rescheduled', appointment: event.appointment }),
                  },
                },
                BOOKING_FAILED: [
                  {
                    guard: 'slotTaken',
                    target: '#loadingSlots',
                    actions: [say({ key: 'slotTaken' }), 'firstSlotPage'],
                  },
                  {
                    target: '#menu',
                    actions: { type: 'say', params: ({ event }) => ({ key: 'bookingFailed', reason: event.reason }) },
                  },
                ],
              },
            },
          },
        },
      },
    },
  },
});
