/**
 * The booking machine's vocabulary for `setup()`: its types, its named guards (thin wrappers
 * over booking.guards.ts) and its named actions. Actions are of three kinds, all pure:
 * bookkeeping (`assign`/`raise`), replies (`emit` of a reply draft, rendered later), and service
 * effects (`emit` of the data the runner needs to call a service). The chart in
 * booking.machine.ts refers to them by name.
 */
import { assign, emit, raise, setup } from 'xstate';
import {
  catalogueEntry,
  chooseLanguage,
  dropDate,
  emptyJourney,
  enterStep,
  nextCataloguePage,
  pickAppointment,
  startFlow,
  uniqueBy,
} from './booking.context.js';
import {
  awaitsPayment,
  chose,
  consentGiver,
  draftIsHolder,
  failedBecause,
  flowIs,
  hasPatient,
  intentIs,
  loadedSomething,
  otherDatesLeft,
  pagedSlots,
  paymentMatches,
  pickedMenu,
  saidCommand,
  singleAppointment,
  timeoutIsCurrent,
  typedValidAge,
  typedValidName,
} from './booking.guards.js';
import { interpret, parseAge, parseName } from './booking.input.js';
import { RELATIONS } from './booking.schemas.js';
import { BOOKING_HORIZON_DAYS, SLOT_PAGE_SIZE } from './booking.steps.js';
import { CONSENT_NOTICE_VERSION, CONSENT_PURPOSES } from './booking.texts.js';
import type {
  AppointmentSummary,
  BookingContext,
  BookingTarget,
  Command,
  ConsentRecord,
  Flow,
  HandoffReason,
  Intent,
  MachineEffect,
  MachineEvent,
  MenuOption,
  Notice,
  PatientMessageEvent,
  StepName,
} from './booking.types.js';

const langOf = (context: BookingContext) => context.lang ?? 'en';

function patientMessage(event: MachineEvent): PatientMessageEvent & { at: string } {
  if (event.type === 'TEXT' || event.type === 'TAP' || event.type === 'UNSUPPORTED_MESSAGE') return event;
  throw new TypeError(`Not a patient message: ${event.type}`);
}

/** The chosen option's value, or '' when the event is not a choice (guards make that impossible). */
function chosenValue(event: MachineEvent): string {
  return event.type === 'INPUT' && event.intent.kind === 'choose' ? event.intent.value : '';
}

function typedText(event: MachineEvent): string {
  return event.type === 'INPUT' && event.intent.kind === 'text' ? event.intent.text : '';
}

/** A context field the chart guarantees at this point; its absence is a bug, reported by stepConversation. */
function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new TypeError(`Booking conversation invariant broken: no ${what}`);
  return value;
}

function consentRecord(
  context: BookingContext,
  event: MachineEvent,
  decision: ConsentRecord['decision'],
): ConsentRecord {
  return {
    decision,
    noticeVersion: CONSENT_NOTICE_VERSION,
    purposes: CONSENT_PURPOSES,
    language: langOf(context),
    channel: 'whatsapp',
    givenBy: consentGiver(context),
    at: 'at' in event ? event.at : new Date(0).toISOString(),
  };
}

/** Specialities first, then doctors, each in the order given: the list shows them in two sections. */
function specialitiesFirst(items: readonly BookingTarget[]): BookingTarget[] {
  const unique = uniqueBy(items, (item) => (item.kind === 'doctor' ? `d.${item.doctorId}` : `s.${item.speciality}`));
  return [...unique.filter((item) => item.kind === 'speciality'), ...unique.filter((item) => item.kind === 'doctor')];
}

/** Upcoming appointments, each once, soonest first. */
function uniqueAppointments(items: readonly AppointmentSummary[]): AppointmentSummary[] {
  return uniqueBy(items, (item) => item.appointmentId).sort((a, b) => Date.parse(a.startAt) - Date.parse(b.startAt));
}

const reply = (context: BookingContext, notice: Notice) => ({
  type: 'reply' as const,
  draft: { lang: langOf(context), notice },
});

/** `setup()` of the booking machine: types, named guards and named actions. */
export const bookingSetup = setup({
  types: {
    context: {} as BookingContext,
    events: {} as MachineEvent,
    input: {} as BookingContext,
    emitted: {} as MachineEffect,
  },
  guards: {
    chose: ({ event }, params: { value: string | undefined }) => chose(event, params.value),
    said: ({ event }, params: { command: Command }) => saidCommand(event, params.command),
    intentIs: ({ event }, params: { kind: Intent['kind'] }) => intentIs(event, params.kind),
    pickedMenu: ({ context, event }, params: { option: MenuOption }) => pickedMenu(context, event, params.option),
    flowIs: ({ context }, params: { flow: Flow }) => flowIs(context, params.flow),
    typedValidName: ({ event }) => typedValidName(event),
    typedValidAge: ({ event }) => typedValidAge(event),
    draftIsHolder: ({ context }) => draftIsHolder(context),
    hasPatient: ({ context }) => hasPatient(context),
    awaitsPayment: ({ event }) => awaitsPayment(event),
    slotTaken: ({ event }) => failedBecause(event, 'slot_taken'),
    timeoutIsCurrent: ({ context, event }) => timeoutIsCurrent(context, event),
    paymentMatches: ({ context, event }) => paymentMatches(context, event),
    loadedSomething: ({ event }) => loadedSomething(event),
    singleAppointment: ({ context, event }) => singleAppointment(context, event),
    pagedSlots: ({ context }) => pagedSlots(context),
    otherDatesLeft: ({ context }) => otherDatesLeft(context),
  },
  actions: {
    // Bookkeeping of the conversation itself.
    countTurn: assign({ turn: ({ context }) => context.turn + 1 }),
    readInput: raise(({ context, event }) => {
      const message = patientMessage(event);
      return { type: 'INPUT' as const, intent: interpret(context, message), at: message.at };
    }),
    armTimeout: raise({ type: 'ARM' as const }),
    enterStep: assign(({ context }, params: { step: StepName }) => enterStep(context, params.step)),
    startFlow: assign((_, params: { flow: Flow }) => startFlow(params.flow)),
    setFlow: assign((_, params: { flow: Flow }) => ({ flow: params.flow })),
    forgetJourney: assign(() => emptyJourney()),
    countMiss: assign({ misses: ({ context }) => context.misses + 1 }),
    setLanguage: assign(({ event }) => {
      const read = event.type === 'INPUT' ? event.intent : null;
      if (read?.kind === 'setLanguage') return chooseLanguage(read.lang);
      if (read?.kind === 'choose' && (read.value === 'en' || read.value === 'hi')) return chooseLanguage(read.value);
      return {};
    }),
    enterBusy: assign({ step: 'busy' as const }),
    markHandedOff: assign({ handedOff: true, step: 'frontDesk' as const }),
    clearHandedOff: assign({ handedOff: false }),

    // What the patient picked or typed, and what the runner returned.
    storeCatalogue: assign(({ event }) =>
      event.type === 'SPECIALITIES_LOADED' ? { catalogue: specialitiesFirst(event.items), cataloguePage: 0 } : {},
    ),
    nextCataloguePage: assign(({ context }) => nextCataloguePage(context)),
    pickTarget: assign(({ context, event }) => ({
      target: catalogueEntry(context, chosenValue(event)),
      dates: [],
      date: null,
    })),
    storeDates: assign(({ event }) =>
      event.type === 'DATES_LOADED'
        ? {
            dates: uniqueBy(
              event.dates.filter((option) => option.freeSlots > 0),
              (option) => option.date,
            ).sort((a, b) => a.date.localeCompare(b.date)),
          }
        : {},
    ),
    pickDate: assign(({ event }) => ({ date: chosenValue(event), slotPage: 0 })),
    dropDate: assign(({ context }) => dropDate(context)),
    storeSlots: assign(({ event }) =>
      event.type === 'SLOTS_LOADED'
        ? {
            slots: uniqueBy(event.slots, (option) => option.slotId).slice(0, SLOT_PAGE_SIZE),
            moreSlots: event.hasMore,
            slot: null,
          }
        : {},
    ),
    nextSlotPage: assign({ slotPage: ({ context }) => context.slotPage + 1 }),
    firstSlotPage: assign({ slot: null, slotPage: 0 }),
    pickSlot: assign(({ context, event }) => ({
      slot: context.slots.find((slot) => slot.slotId === chosenValue(event)) ?? null,
    })),
    storeProfiles: assign(({ event }) =>
      event.type === 'PROFILES_LOADED' ? { profiles: uniqueBy(event.profiles, (p) => p.patientId) } : {},
    ),
    pickProfile: assign(({ context, event }) => {
      const profile = context.profiles.find((option) => option.patientId === chosenValue(event));
      return { patient: profile ? { patientId: profile.patientId, name: profile.name } : null };
    }),
    draftHolder: assign({ draft: { isHolder: true } }),
    draftFamilyMember: assign({ draft: { isHolder: false } }),
    setName: assign(({ context, event }) => ({
      draft: { ...required(context.draft, 'draft'), name: parseName(typedText(event)) ?? '' },
    })),
    setAge: assign(({ context, event }) => ({
      draft: { ...required(context.draft, 'draft'), age: parseAge(typedText(event)) ?? 0 },
    })),
    setRelation: assign(({ context, event }) => {
      const relation =
        RELATIONS.find((candidate) => candidate !== 'self' && candidate === chosenValue(event)) ?? 'other';
      return { draft: { ...required(context.draft, 'draft'), relation } };
    }),
    storeRegisteredPatient: assign(({ context, event }) =>
      event.type === 'PATIENT_REGISTERED'
        ? { patient: { patientId: event.patientId, name: context.draft?.name ?? '' }, draft: null }
        : {},
    ),
    clearDraft: assign({ draft: null }),
    storeAppointments: assign(({ event }) =>
      event.type === 'APPOINTMENTS_LOADED' ? { appointments: uniqueAppointments(event.appointments) } : {},
    ),
    pickOnlyAppointment: assign(({ context, event }) => {
      const appointments =
        event.type === 'APPOINTMENTS_LOADED' ? uniqueAppointments(event.appointments) : context.appointments;
      return { appointments, ...pickAppointment(appointments[0] ?? null) };
    }),
    pickListedAppointment: assign(({ context, event }) =>
      pickAppointment(
        context.appointments.find((appointment) => appointment.appointmentId === chosenValue(event)) ?? null,
      ),
    ),
    holdPayment: assign(({ event }) =>
      event.type === 'BOOKED' ? { payment: { appointment: event.appointment, url: null } } : {},
    ),
    storePaymentLink: assign(({ context, event }) =>
      event.type === 'PAYMENT_LINK_READY' && context.payment ? { payment: { ...context.payment, url: event.url } } : {},
    ),
    pickHeldAppointment: assign(({ context }) => ({
      flow: 'cancel' as const,
      appointment: context.payment?.appointment ?? null,
      appointments: context.payment ? [context.payment.appointment] : [],
    })),

    // Replies: a notice, or the current step's prompt drawn from the context.
    say: emit(({ context }, notice: Notice) => reply(context, notice)),
    prompt: emit(({ context }) => ({ type: 'reply' as const, draft: { lang: langOf(context), step: context } })),
    helpForStep: emit(({ context }) => reply(context, { key: 'help', step: context.step, flow: context.flow })),
    notUnderstood: emit(({ context }) => reply(context, { key: 'notUnderstood', offerFrontDesk: context.misses >= 3 })),
    sayStopped: emit(({ context }) => reply(context, { key: 'stopped', flow: context.flow })),

    // Service effects, for the runner.
    scheduleTimeout: emit(({ context }) => ({ type: 'scheduleTimeout' as const, turn: context.turn })),
    loadSpecialities: emit({ type: 'loadSpecialities' as const }),
    loadDates: emit(({ context }) => ({
      type: 'loadDates' as const,
      target: required(context.target, 'target'),
      days: BOOKING_HORIZON_DAYS,
    })),
    loadSlots: emit(({ context }) => ({
      type: 'loadSlots' as const,
      target: required(context.target, 'target'),
      date: required(context.date, 'date'),
      page: context.slotPage,
      pageSize: SLOT_PAGE_SIZE,
    })),
    loadProfiles: emit({ type: 'loadProfiles' as const }),
    registerPatient: emit(({ context, event }) => {
      const draft = required(context.draft, 'draft');
      return {
        type: 'registerPatient' as const,
        patient: {
          name: required(draft.name, 'name'),
          age: required(draft.age, 'age'),
          relation: draft.isHolder ? ('self' as const) : required(draft.relation, 'relation'),
          isHolder: draft.isHolder,
        },
        consent: consentRecord(context, event, 'granted'),
      };
    }),
    recordDeclinedConsent: emit(({ context, event }) => ({
      type: 'recordConsent' as const,
      consent: consentRecord(context, event, 'declined'),
    })),
    book: emit(({ context }) => ({
      type: 'book' as const,
      slotId: required(context.slot, 'slot').slotId,
      patientId: required(context.patient, 'patient').patientId,
    })),
    listAppointments: emit({ type: 'listAppointments' as const }),
    cancelAppointment: emit(({ context }) => ({
      type: 'cancelAppointment' as const,
      appointmentId: required(context.appointment, 'appointment').appointmentId,
    })),
    reschedule: emit(({ context }) => ({
      type: 'reschedule' as const,
      appointmentId: required(context.appointment, 'appointment').appointmentId,
      slotId: required(context.slot, 'slot').slotId,
    })),
    requestPayment: emit(({ context }) => ({
      type: 'requestPayment' as const,
      appointmentId: required(context.payment, 'payment').appointment.appointmentId,
    })),
    requestPaymentFor: emit(({ event }) => ({
      type: 'requestPayment' as const,
      appointmentId: required(event.type === 'BOOKED' ? event.appointment.appointmentId : null, 'booked appointment'),
    })),
    handoff: emit((_, params: { reason: HandoffReason }) => ({ type: 'handoff' as const, reason: params.reason })),
  },
});
