/**
 * Zod schemas for everything that crosses the conversation's boundary: the events the runner
 * feeds in (patient messages, effect results, staff and timer events) and the context inside a
 * persisted snapshot. The runner's data is checked here so a malformed event is ignored and a
 * damaged snapshot restarts the conversation, instead of either crashing the machine.
 */
import { z } from 'zod';
import { APPOINTMENT_STATUSES } from './appointment.types.js';

const id = z.string().min(1).max(120);
const name = z.string().min(1).max(120);
const instant = z.iso.datetime({ offset: true });
const localDate = z.iso.date();

/** The two languages the bot speaks. */
export const LANGS = ['en', 'hi'] as const;
/** `en` or `hi`. */
export const langSchema = z.enum(LANGS);

/** How a family member is related to the person on the number (`self` is the account holder). */
export const RELATIONS = ['self', 'child', 'spouse', 'parent', 'sibling', 'other'] as const;
/** One relation. */
export const relationSchema = z.enum(RELATIONS);

/** A speciality (any of its doctors) or one doctor: what dates and slots are searched for. */
export const bookingTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('speciality'), speciality: name }),
  z.object({ kind: z.literal('doctor'), doctorId: id, name, speciality: name.optional() }),
]);

/** A day with free slots, in the clinic's calendar. */
export const dateOptionSchema = z.object({ date: localDate, freeSlots: z.number().int().min(0) });

/** A free slot as the bot offers it. */
export const slotOptionSchema = z.object({
  slotId: id,
  startAt: instant,
  doctorId: id,
  doctorName: name,
  /** The doctor's consultation fee, stated before the patient confirms. */
  feePaise: z.number().int().min(0).optional(),
  /** What the clinic asks to be paid now to confirm (the rest is paid at the clinic). */
  prepaymentPaise: z.number().int().min(0).optional(),
});

/** What cancelling an appointment now would mean under the clinic's rules (stated before asking). */
export const cancelTermsSchema = z.object({
  /** False inside the cutoff: the patient cannot cancel (or move) it here. */
  allowed: z.boolean(),
  paidPaise: z.number().int().min(0),
  refundPaise: z.number().int().min(0),
  /** The hours before the start inside which nothing is refunded, and inside which nothing can be cancelled. */
  noRefundHours: z.number().min(0),
  cutoffHours: z.number().min(0),
});

/** A patient profile already on this WhatsApp number. */
export const profileSchema = z.object({ patientId: id, name, relation: relationSchema, isHolder: z.boolean() });

/** An upcoming appointment as the bot shows it. Payment fields are set while a prepayment hold is open. */
export const appointmentSummarySchema = z.object({
  appointmentId: id,
  startAt: instant,
  doctorId: id,
  doctorName: name,
  patientName: name,
  status: z.enum(APPOINTMENT_STATUSES),
  holdExpiresAt: instant.optional(),
  prepaymentPaise: z.number().int().min(0).optional(),
  cancelTerms: cancelTermsSchema.optional(),
});

/** The refund decision that came with a cancellation (the lifecycle's RefundDecision). */
export const refundSchema = z.object({
  dueAmountPaise: z.number().int().min(0),
  reason: z.enum([
    'clinic_cancelled',
    'hold_expired',
    'not_confirmed',
    'full_refund_window',
    'partial_refund_window',
    'outside_refund_window',
  ]),
});

/** Why taking a slot failed; `slot_taken` makes the bot apologise and offer fresh slots. */
export const BOOKING_FAILURES = ['slot_taken', 'overlapping_appointment', 'not_allowed', 'error'] as const;
/** Why a cancellation was refused. */
export const CANCEL_FAILURES = ['cutoff_passed', 'not_allowed', 'error'] as const;

const textEvent = z.object({ type: z.literal('TEXT'), text: z.string().max(4096) });
const tapEvent = z.object({ type: z.literal('TAP'), id: z.string().max(256), title: z.string().max(256).optional() });

/**
 * Every event the runner may feed in; the machine adds `at` itself. List bounds only stop absurd
 * payloads: the bot shows at most ten rows whatever it is given.
 */
export const conversationEventSchema = z.discriminatedUnion('type', [
  textEvent,
  tapEvent,
  z.object({ type: z.literal('UNSUPPORTED_MESSAGE'), kind: z.string().max(40).optional() }),
  z.object({ type: z.literal('SPECIALITIES_LOADED'), items: z.array(bookingTargetSchema).max(500) }),
  z.object({ type: z.literal('DATES_LOADED'), dates: z.array(dateOptionSchema).max(100) }),
  z.object({ type: z.literal('SLOTS_LOADED'), slots: z.array(slotOptionSchema).max(100), hasMore: z.boolean() }),
  z.object({ type: z.literal('PROFILES_LOADED'), profiles: z.array(profileSchema).max(100) }),
  z.object({ type: z.literal('PATIENT_REGISTERED'), patientId: id }),
  z.object({ type: z.literal('REGISTRATION_FAILED') }),
  z.object({ type: z.literal('BOOKED'), appointment: appointmentSummarySchema }),
  z.object({ type: z.literal('BOOKING_FAILED'), reason: z.enum(BOOKING_FAILURES) }),
  z.object({ type: z.literal('APPOINTMENTS_LOADED'), appointments: z.array(appointmentSummarySchema).max(100) }),
  z.object({ type: z.literal('CANCELLED'), appointmentId: id, refund: refundSchema.nullable().optional() }),
  z.object({ type: z.literal('CANCEL_FAILED'), reason: z.enum(CANCEL_FAILURES) }),
  z.object({ type: z.literal('RESCHEDULED'), appointment: appointmentSummarySchema }),
  z.object({ type: z.literal('LOAD_FAILED') }),
  z.object({ type: z.literal('PAYMENT_LINK_READY'), appointmentId: id, url: z.url({ protocol: /^https?$/ }) }),
  z.object({ type: z.literal('PAYMENT_LINK_FAILED'), appointmentId: id }),
  z.object({ type: z.literal('PAYMENT_CONFIRMED'), appointment: appointmentSummarySchema }),
  z.object({ type: z.literal('HOLD_EXPIRED'), appointment: appointmentSummarySchema }),
  z.object({ type: z.literal('TAKE_OVER') }),
  z.object({ type: z.literal('RELEASE') }),
  z.object({ type: z.literal('TIMEOUT'), turn: z.number().int().min(0) }),
]);

/** The interactive steps; each names the prefix of its button and row ids. */
export const STEPS = [
  'start',
  'idle',
  'frontDesk',
  'language',
  'menu',
  'target',
  'date',
  'slot',
  'confirm',
  'patient',
  'name',
  'age',
  'relation',
  'consent',
  'appointments',
  'pick',
  'cancelConfirm',
  'payment',
  'busy',
] as const;

/** Which journey the patient is on, so shared steps (date, slot, confirm) know where they lead. */
export const FLOWS = ['book', 'view', 'reschedule', 'cancel'] as const;

/** The conversation's memory, persisted with the snapshot. Holds no more than the current journey needs. */
export const bookingContextSchema = z.object({
  version: z.number().int(),
  lang: langSchema.nullable(),
  /** Set while staff own the conversation; survives a machine-version restart so the bot stays silent. */
  handedOff: z.boolean(),
  /** Counts patient messages; a TIMEOUT is for the turn it was scheduled on, or stale. */
  turn: z.number().int().min(0),
  /** Counts step showings; the source of step tokens, kept across restarts so old ids never match. */
  seq: z.number().int().min(0),
  step: z.enum(STEPS),
  token: z.string(),
  /** Messages in a row the bot did not understand; after three it points to the front desk. */
  misses: z.number().int().min(0),
  flow: z.enum(FLOWS).nullable(),
  catalogue: z.array(bookingTargetSchema),
  cataloguePage: z.number().int().min(0),
  target: bookingTargetSchema.nullable(),
  dates: z.array(dateOptionSchema),
  date: localDate.nullable(),
  slots: z.array(slotOptionSchema),
  slotPage: z.number().int().min(0),
  moreSlots: z.boolean(),
  slot: slotOptionSchema.nullable(),
  profiles: z.array(profileSchema),
  patient: z.object({ patientId: id, name }).nullable(),
  draft: z
    .object({
      isHolder: z.boolean(),
      name: name.optional(),
      age: z.number().int().min(0).max(130).optional(),
      relation: relationSchema.optional(),
    })
    .nullable(),
  appointments: z.array(appointmentSummarySchema),
  appointment: appointmentSummarySchema.nullable(),
  payment: z.object({ appointment: appointmentSummarySchema, url: z.string().nullable() }).nullable(),
});
