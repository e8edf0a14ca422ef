/**
 * The options each step offers, in the order they are shown. Both the renderer (which draws
 * them as buttons or numbered rows) and the input reader (which maps a tap, a typed number or a
 * typed name back to an option) use this one list, so "2" always means the second row shown.
 *
 * Option values: fixed options are plain words (`yes`, `accept`, `child`…); data options are the
 * record's id (slot, patient, appointment, date), a doctor as `d.<id>` or a speciality as
 * `s.<index>`; navigation rows start with `+` (`+more`, `+date`, `+other`, `+self`, `+family`).
 */
import { BOOKING_TEXTS } from './booking.texts.js';
import { MENU_OPTIONS } from './booking.types.js';
import type { BookingContext, BookingTarget, MenuOption, StepName } from './booking.types.js';
import { RELATIONS } from './booking.schemas.js';
import { AGREE_WORDS, DISAGREE_WORDS, MENU_WORDS, NO_WORDS, YES_WORDS, normalise } from './booking.words.js';

/** One option of a step and the normalised words that also select it when typed. */
export interface StepOption {
  value: string;
  aliases: ReadonlySet<string>;
}

/** Rows per page of the speciality/doctor list when it needs paging (the tenth row is "more"). */
export const CATALOGUE_PAGE_SIZE = 9;
/** Slots asked for per page: with "more times" and "another day" that fills a 10-row list. */
export const SLOT_PAGE_SIZE = 8;
/** Days shown, leaving a row for "another doctor". */
export const MAX_DATES = 9;
/** Profiles shown, leaving rows for "myself" and "family member". */
export const MAX_PROFILES = 8;
/** Appointments shown in a pick list. */
export const MAX_APPOINTMENTS = 10;
/** How many days ahead the bot offers. */
export const BOOKING_HORIZON_DAYS = 7;

/** Steps whose options may be chosen by typing their number. */
const NUMBERED_STEPS: ReadonlySet<StepName> = new Set([
  'language',
  'menu',
  'target',
  'date',
  'slot',
  'confirm',
  'patient',
  'relation',
  'consent',
  'appointments',
  'pick',
  'cancelConfirm',
]);

/** Steps that ask for typed text instead of a choice. */
export const TEXT_STEPS: ReadonlySet<StepName> = new Set(['name', 'age']);

/** True when a typed number at `step` selects the option at that position. */
export function acceptsNumbers(step: StepName): boolean {
  return NUMBERED_STEPS.has(step);
}

const both = BOOKING_TEXTS;

function words(...sources: (string | Iterable<string>)[]): ReadonlySet<string> {
  const set = new Set<string>();
  for (const source of sources) {
    for (const word of typeof source === 'string' ? [source] : source) set.add(normalise(word));
  }
  return set;
}

const option = (value: string, ...aliases: (string | Iterable<string>)[]): StepOption => ({
  value,
  aliases: words(...aliases),
});
const titles = (pick: (texts: typeof both.en) => string) => [pick(both.en), pick(both.hi)];

/** The display name of a target, for texts and matching. */
export function targetName(target: BookingTarget): string {
  return target.kind === 'doctor' ? target.name : target.speciality;
}

/** The value that stands for a catalogue entry in option ids. */
export function catalogueValue(item: BookingTarget, index: number): string {
  return item.kind === 'doctor' ? `d.${item.doctorId}` : `s.${index}`;
}

/** The catalogue entries on the current page, with their index in the whole catalogue. */
export function cataloguePage(context: BookingContext): { item: BookingTarget; index: number }[] {
  const all = context.catalogue.map((item, index) => ({ item, index }));
  if (all.length <= CATALOGUE_PAGE_SIZE + 1) return all;
  const start = context.cataloguePage * CATALOGUE_PAGE_SIZE;
  return all.slice(start, start + CATALOGUE_PAGE_SIZE);
}

/** True when the catalogue is too long for one list and pages with a "more" row. */
export function cataloguePages(context: BookingContext): boolean {
  return context.catalogue.length > CATALOGUE_PAGE_SIZE + 1;
}

/** The menu's options; also what the conversation understands at rest. */
export function menuOptions(): StepOption[] {
  return MENU_OPTIONS.map((value: MenuOption) =>
    option(
      value,
      MENU_WORDS[value],
      titles((t) => t.menu[value].title),
    ),
  );
}

/** The options of the step the conversation is at, in display order; empty for text and idle steps. */
export function stepOptions(context: BookingContext): StepOption[] {
  switch (context.step) {
    case 'language':
      return [option('en', 'english', 'English', 'अंग्रेज़ी'), option('hi', 'hindi', 'हिन्दी', 'हिंदी')];
    case 'menu':
    case 'idle':
      return menuOptions();
    case 'target': {
      const rows = cataloguePage(context).map(({ item, index }) =>
        option(catalogueValue(item, index), targetName(item)),
      );
      return cataloguePages(context)
        ? [
            ...rows,
            option(
              '+more',
              'more',
              'और',
              titles((t) => t.moreOptions.title),
            ),
          ]
        : rows;
    }
    case 'date': {
      const rows = context.dates.slice(0, MAX_DATES).map((date) => option(date.date));
      return context.flow === 'book'
        ? [
            ...rows,
            option(
              '+other',
              titles((t) => t.otherDoctor.title),
            ),
          ]
        : rows;
    }
    case 'slot': {
      const rows = context.slots.slice(0, SLOT_PAGE_SIZE).map((slot) => option(slot.slotId));
      if (context.moreSlots)
        rows.push(
          option(
            '+more',
            'more',
            'और',
            titles((t) => t.moreTimes.title),
          ),
        );
      rows.push(
        option(
          '+date',
          titles((t) => t.otherDay.title),
        ),
      );
      return rows;
    }
    case 'confirm':
      return [
        option(
          'yes',
          YES_WORDS,
          titles((t) => t.confirmButtons.yes),
          titles((t) => t.rescheduleYes),
        ),
        option(
          'other',
          titles((t) => t.confirmButtons.other),
        ),
        option(
          'no',
          NO_WORDS,
          titles((t) => t.confirmButtons.no),
        ),
      ];
    case 'patient': {
      const rows = context.profiles.slice(0, MAX_PROFILES).map((profile) => option(profile.patientId, profile.name));
      if (!context.profiles.some((profile) => profile.isHolder))
        rows.push(
          option(
            '+self',
            titles((t) => t.newSelf.title),
          ),
        );
      rows.push(
        option(
          '+family',
          titles((t) => t.newFamily.title),
        ),
      );
      return rows;
    }
    case 'relation':
      return RELATIONS.filter((relation) => relation !== 'self').map((relation) =>
        option(
          relation,
          relation,
          titles((t) => t.relations[relation]),
        ),
      );
    case 'consent':
      return [
        option(
          'accept',
          AGREE_WORDS,
          YES_WORDS,
          titles((t) => t.consentButtons.accept),
        ),
        option(
          'decline',
          DISAGREE_WORDS,
          NO_WORDS,
          titles((t) => t.consentButtons.decline),
        ),
      ];
    case 'appointments':
      return [
        option(
          'reschedule',
          MENU_WORDS.reschedule,
          titles((t) => t.appointmentsButtons.reschedule),
        ),
        option(
          'cancel',
          MENU_WORDS.cancel,
          titles((t) => t.appointmentsButtons.cancel),
        ),
        option(
          'menu',
          titles((t) => t.appointmentsButtons.menu),
        ),
      ];
    case 'pick':
      return context.appointments.slice(0, MAX_APPOINTMENTS).map((appointment) => option(appointment.appointmentId));
    case 'cancelConfirm': {
      const yes = option(
        'yes',
        YES_WORDS,
        titles((t) => t.cancelButtons.yes),
      );
      const no = option(
        'no',
        NO_WORDS,
        titles((t) => t.cancelButtons.no),
      );
      const reschedule = option(
        'reschedule',
        MENU_WORDS.reschedule,
        titles((t) => t.cancelButtons.reschedule),
      );
      const frontDesk = option(
        'frontDesk',
        MENU_WORDS.frontDesk,
        titles((t) => t.cancelButtons.frontDesk),
      );
      // Inside the cutoff only the desk can help; inside the no-refund window, moving it keeps the money.
      // "No, keep it" stays understood when typed, though only three buttons fit.
      const terms = context.appointment?.cancelTerms;
      if (terms && !terms.allowed) return [frontDesk, no];
      if (terms && terms.paidPaise > 0 && terms.refundPaise === 0) return [yes, reschedule, frontDesk, no];
      return [yes, no];
    }
    default:
      return [];
  }
}
