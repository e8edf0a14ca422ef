/**
 * Pure updates of the conversation context, used by the machine's `assign` actions. Each takes
 * the current context (and whatever it needs from the event) and returns the fields that change.
 */
import { catalogueValue, cataloguePages, CATALOGUE_PAGE_SIZE } from './booking.steps.js';
import type { AppointmentSummary, BookingContext, BookingTarget, Flow, Lang, StepName } from './booking.types.js';

/** The context of a conversation that has never happened. */
export function freshContext(version: number): BookingContext {
  return {
    version,
    lang: null,
    handedOff: false,
    turn: 0,
    seq: 0,
    step: 'start',
    token: tokenFor(version, 0),
    misses: 0,
    ...emptyJourney(),
  };
}

/** The fields of one journey (what is being booked, for whom), all empty. */
export function emptyJourney(): Pick<
  BookingContext,
  | 'flow'
  | 'catalogue'
  | 'cataloguePage'
  | 'target'
  | 'dates'
  | 'date'
  | 'slots'
  | 'slotPage'
  | 'moreSlots'
  | 'slot'
  | 'profiles'
  | 'patient'
  | 'draft'
  | 'appointments'
  | 'appointment'
  | 'payment'
> {
  return {
    flow: null,
    catalogue: [],
    cataloguePage: 0,
    target: null,
    dates: [],
    date: null,
    slots: [],
    slotPage: 0,
    moreSlots: false,
    slot: null,
    profiles: [],
    patient: null,
    draft: null,
    appointments: [],
    appointment: null,
    payment: null,
  };
}

/**
 * A step token: the machine version and a counter, so a token is never reused — not within a
 * conversation, and not after a version change restarts it (old buttons then never match).
 */
export function tokenFor(version: number, seq: number): string {
  return `${version.toString(36)}-${seq.toString(36)}`;
}

/** Entering `step` with new options: a fresh token and a clean slate of misunderstandings. */
export function enterStep(context: BookingContext, step: StepName): Partial<BookingContext> {
  const seq = context.seq + 1;
  return { step, seq, token: tokenFor(context.version, seq), misses: 0 };
}

/** Starting a journey from the menu: forget everything of the last one. */
export function startFlow(flow: Flow): Partial<BookingContext> {
  return { ...emptyJourney(), flow };
}

/** The language after `lang` was chosen. */
export function chooseLanguage(lang: Lang): Partial<BookingContext> {
  return { lang };
}

/** The next page of the catalogue, wrapping to the first after the last. */
export function nextCataloguePage(context: BookingContext): Partial<BookingContext> {
  if (!cataloguePages(context)) return {};
  const pages = Math.ceil(context.catalogue.length / CATALOGUE_PAGE_SIZE);
  return { cataloguePage: (context.cataloguePage + 1) % pages };
}

/** The catalogue entry whose option value is `value`, or null. */
export function catalogueEntry(context: BookingContext, value: string): BookingTarget | null {
  const index = context.catalogue.findIndex((item, i) => catalogueValue(item, i) === value);
  return context.catalogue[index] ?? null;
}

/** The appointment picked for a reschedule or cancellation, and the doctor new slots are searched for. */
export function pickAppointment(appointment: AppointmentSummary | null): Partial<BookingContext> {
  if (!appointment) return {};
  return {
    appointment,
    target: { kind: 'doctor', doctorId: appointment.doctorId, name: appointment.doctorName },
    date: null,
    slots: [],
    slotPage: 0,
    slot: null,
  };
}

/** A date whose slots turned out to be gone is dropped, so the patient is not offered it again. */
export function dropDate(context: BookingContext): Partial<BookingContext> {
  return { dates: context.dates.filter((option) => option.date !== context.date), date: null, slotPage: 0 };
}

/** `items` without repeats of the same key, first one kept: option ids must be unique within a list. */
export function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
