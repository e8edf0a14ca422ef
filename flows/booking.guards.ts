/**
 * Pure guard predicates of the booking machine. Each reads the context and the event only, so
 * the machine's choices can be tested (and reasoned about) without running it.
 */
import { parseAge, parseName } from './booking.input.js';
import type {
  BookingContext,
  BookingFailure,
  Command,
  ConsentGiver,
  Flow,
  Intent,
  MachineEvent,
  MenuOption,
} from './booking.types.js';

/** Age from which a patient consents for themselves (DPDP Act: a child is anyone under 18). */
export const AGE_OF_CONSENT = 18;

function intentOf(event: MachineEvent): Intent | null {
  return event.type === 'INPUT' ? event.intent : null;
}

/** The patient chose `value` at this step (any option when `value` is absent). */
export function chose(event: MachineEvent, value?: string): boolean {
  const intent = intentOf(event);
  return intent?.kind === 'choose' && (value === undefined || intent.value === value);
}

/** The patient typed or tapped `command`. */
export function saidCommand(event: MachineEvent, command: Command): boolean {
  const intent = intentOf(event);
  return intent?.kind === 'command' && intent.command === command;
}

/** The message is of this intent kind. */
export function intentIs(event: MachineEvent, kind: Intent['kind']): boolean {
  return intentOf(event)?.kind === kind;
}

/** The patient asked for menu option `option`: from the menu itself, from rest, or from anywhere by tap or keyword. */
export function pickedMenu(context: BookingContext, event: MachineEvent, option: MenuOption): boolean {
  const intent = intentOf(event);
  if (intent?.kind === 'menuOption') return intent.option === option;
  return intent?.kind === 'choose' && intent.value === option && (context.step === 'menu' || context.step === 'idle');
}

/** Free text that is a plausible name. */
export function typedValidName(event: MachineEvent): boolean {
  const intent = intentOf(event);
  return intent?.kind === 'text' && parseName(intent.text) !== null;
}

/** Free text that is a plausible age. */
export function typedValidAge(event: MachineEvent): boolean {
  const intent = intentOf(event);
  return intent?.kind === 'text' && parseAge(intent.text) !== null;
}

/** The new patient being registered is the person on the number. */
export function draftIsHolder(context: BookingContext): boolean {
  return context.draft?.isHolder === true;
}

/** The new patient is a child, so a guardian must consent. */
export function draftIsMinor(context: BookingContext): boolean {
  const age = context.draft?.age;
  return context.draft?.isHolder !== true && age !== undefined && age < AGE_OF_CONSENT;
}

/** The journey is `flow`. */
export function flowIs(context: BookingContext, flow: Flow): boolean {
  return context.flow === flow;
}

/** Who the visit is for is already settled (a retry after a slot was taken). */
export function hasPatient(context: BookingContext): boolean {
  return context.patient !== null;
}

/** A booking came back as a prepayment hold. */
export function awaitsPayment(event: MachineEvent): boolean {
  return event.type === 'BOOKED' && event.appointment.status === 'tentative';
}

/** Taking the slot failed for `reason`. */
export function failedBecause(event: MachineEvent, reason: BookingFailure): boolean {
  return event.type === 'BOOKING_FAILED' && event.reason === reason;
}

/** A TIMEOUT scheduled on the patient's latest message; older ones are stale. */
export function timeoutIsCurrent(context: BookingContext, event: MachineEvent): boolean {
  return event.type === 'TIMEOUT' && event.turn === context.turn;
}

/** A payment event about the appointment this conversation is waiting on. */
export function paymentMatches(context: BookingContext, event: MachineEvent): boolean {
  const id =
    event.type === 'PAYMENT_LINK_READY' || event.type === 'PAYMENT_LINK_FAILED'
      ? event.appointmentId
      : event.type === 'PAYMENT_CONFIRMED' || event.type === 'HOLD_EXPIRED'
        ? event.appointment.appointmentId
        : null;
  return id !== null && id === context.payment?.appointment.appointmentId;
}

/** A load came back with something to show. */
export function loadedSomething(event: MachineEvent): boolean {
  switch (event.type) {
    case 'SPECIALITIES_LOADED':
      return event.items.length > 0;
    case 'DATES_LOADED':
      return event.dates.some((date) => date.freeSlots > 0);
    case 'SLOTS_LOADED':
      return event.slots.length > 0;
    case 'APPOINTMENTS_LOADED':
      return event.appointments.length > 0;
    default:
      return false;
  }
}

/** The patient has exactly one upcoming appointment (loaded now, or listed before). */
export function singleAppointment(context: BookingContext, event: MachineEvent): boolean {
  if (event.type !== 'APPOINTMENTS_LOADED') return context.appointments.length === 1;
  return new Set(event.appointments.map((appointment) => appointment.appointmentId)).size === 1;
}

/** Slots were being paged past the first page. */
export function pagedSlots(context: BookingContext): boolean {
  return context.slotPage > 0;
}

/** Other days with free times remain after dropping the current one. */
export function otherDatesLeft(context: BookingContext): boolean {
  return context.dates.some((option) => option.date !== context.date && option.freeSlots > 0);
}

/** Who gives consent for the new patient: the holder for themselves, a guardian for a child, else the relative relayed by the holder. */
export function consentGiver(context: BookingContext): ConsentGiver {
  if (draftIsHolder(context)) return 'patient';
  return draftIsMinor(context) ? 'guardian' : 'family_member';
}
