/**
 * Vocabulary of the WhatsApp booking conversation: its data, the events the runner feeds in, the
 * effects it hands back, and the intents a patient's message is read as. Data types come from the
 * zod schemas in booking.schemas.ts, so what is validated and what is typed cannot drift apart.
 */
import type { z } from 'zod';
import type { OutboundMessage } from '../src/modules/messaging/whatsapp-messages.js';
import type {
  BOOKING_FAILURES,
  CANCEL_FAILURES,
  FLOWS,
  STEPS,
  appointmentSummarySchema,
  bookingContextSchema,
  bookingTargetSchema,
  conversationEventSchema,
  dateOptionSchema,
  profileSchema,
  refundSchema,
  slotOptionSchema,
} from './booking.schemas.js';
import type { LANGS, RELATIONS } from './booking.schemas.js';

/** `en` or `hi`. */
export type Lang = (typeof LANGS)[number];
/** How a family member is related to the person on the number. */
export type Relation = (typeof RELATIONS)[number];
/** A conversation step (also the prefix of its interactive ids). */
export type StepName = (typeof STEPS)[number];
/** The journey the patient is on. */
export type Flow = (typeof FLOWS)[number];
/** A speciality or a doctor. */
export type BookingTarget = z.infer<typeof bookingTargetSchema>;
/** A day with free slots. */
export type DateOption = z.infer<typeof dateOptionSchema>;
/** A free slot. */
export type SlotOption = z.infer<typeof slotOptionSchema>;
/** A patient profile on this number. */
export type PatientProfile = z.infer<typeof profileSchema>;
/** An appointment as the bot shows it. */
export type AppointmentSummary = z.infer<typeof appointmentSummarySchema>;
/** A refund decision from a cancellation. */
export type RefundInfo = z.infer<typeof refundSchema>;
/** Why taking a slot failed. */
export type BookingFailure = (typeof BOOKING_FAILURES)[number];
/** Why a cancellation was refused. */
export type CancelFailure = (typeof CANCEL_FAILURES)[number];
/** The conversation's persisted memory. */
export type BookingContext = z.infer<typeof bookingContextSchema>;
/** An event the runner feeds into `stepConversation`. */
export type ConversationEvent = z.infer<typeof conversationEventSchema>;
/** The events that are a patient's own messages (they count as activity and re-arm the timeout). */
export type PatientMessageEvent = Extract<ConversationEvent, { type: 'TEXT' | 'TAP' | 'UNSUPPORTED_MESSAGE' }>;

/** The menu's options, in menu order. */
export const MENU_OPTIONS = ['book', 'mine', 'reschedule', 'cancel', 'frontDesk', 'language'] as const;
/** One menu option. */
export type MenuOption = (typeof MENU_OPTIONS)[number];

/** The words that act the same at every step. */
export type Command = 'menu' | 'help' | 'back' | 'cancel' | 'stop';

/** What a patient's message means at the current step. */
export type Intent =
  /** One of the current step's options (tapped, typed as its number, or typed as its name). */
  | { kind: 'choose'; value: string }
  /** Free text at a step that asks for it (name, age). */
  | { kind: 'text'; text: string }
  | { kind: 'command'; command: Command }
  /** A menu option asked for from elsewhere: a tap on any menu message, "front desk", "language". */
  | { kind: 'menuOption'; option: MenuOption }
  | { kind: 'setLanguage'; lang: Lang }
  /** A tap on a button or row of an older message. */
  | { kind: 'stale' }
  /** Media, location, stickers… */
  | { kind: 'unsupported' }
  /** A text longer than the bot reads (over 4,096 characters). */
  | { kind: 'tooLong' }
  | { kind: 'unknown' };

/** Who gave consent for a new patient. */
export type ConsentGiver = 'patient' | 'guardian' | 'family_member';

/** A DPDP consent decision as the records need it: purpose, notice version, time, channel. */
export interface ConsentRecord {
  decision: 'granted' | 'declined';
  noticeVersion: string;
  purposes: readonly string[];
  /** The language the notice was shown in. */
  language: Lang;
  channel: 'whatsapp';
  givenBy: ConsentGiver;
  at: string;
}

/** A new patient profile to create on this number. */
export interface NewPatient {
  name: string;
  /** Whole years; everyone is asked, since a minor cannot consent for themself. */
  age: number;
  relation: Relation;
  isHolder: boolean;
}

/** Why the conversation was handed to the front desk. */
export type HandoffReason = 'patient_request' | 'payment_link_failed';

/** Something the bot wants said; rendered into text in the patient's language. */
export type Notice =
  | { key: 'help'; step: StepName; flow: Flow | null }
  | { key: 'notUnderstood'; offerFrontDesk: boolean }
  | { key: 'stale' }
  | { key: 'unsupported' }
  | { key: 'tooLong' }
  | { key: 'pleaseWait' }
  | { key: 'stopped'; flow: Flow | null }
  | { key: 'goodbye' }
  | { key: 'invalidName' }
  | { key: 'invalidAge' }
  | { key: 'noDoctors' }
  | { key: 'noDates'; target: BookingTarget | null }
  | { key: 'noSlots'; date: string | null }
  | { key: 'slotTaken' }
  | { key: 'bookingFailed'; reason: BookingFailure }
  | { key: 'loadFailed' }
  | { key: 'internalError' }
  | { key: 'booked'; appointment: AppointmentSummary }
  | { key: 'held'; appointment: AppointmentSummary }
  | { key: 'paymentLink'; url: string }
  | { key: 'paymentConfirmed'; appointment: AppointmentSummary }
  | { key: 'holdExpired'; appointment: AppointmentSummary }
  | { key: 'paymentTrouble' }
  | { key: 'consentDeclined' }
  | { key: 'registrationFailed' }
  | { key: 'noAppointments' }
  | { key: 'cancelledAppointment'; appointment: AppointmentSummary | null; refund: RefundInfo | null }
  | { key: 'cancelFailed'; reason: CancelFailure }
  | { key: 'kept' }
  | { key: 'rescheduled'; appointment: AppointmentSummary }
  | { key: 'handoff' }
  | { key: 'released' }
  | { key: 'timedOut'; flow: Flow | null };

/** A reply before rendering: a notice, or the prompt of the current step drawn from the context. */
export type ReplyDraft = { lang: Lang } & ({ notice: Notice } | { step: BookingContext });

/** What the machine emits: service effects as they go to the runner, replies and timeouts still to be finished. */
export type MachineEffect =
  | { type: 'reply'; draft: ReplyDraft }
  | { type: 'scheduleTimeout'; turn: number }
  | ServiceEffect;

/** An effect the runner performs by calling a service; the comment names the event to feed back. */
export type ServiceEffect =
  /** → SPECIALITIES_LOADED { items } (specialities and bookable doctors) or LOAD_FAILED. */
  | { type: 'loadSpecialities' }
  /** → DATES_LOADED { dates }: clinic days from today, `days` long, that have free slots; or LOAD_FAILED. */
  | { type: 'loadDates'; target: BookingTarget; days: number }
  /** → SLOTS_LOADED { slots, hasMore }: free future slots on `date`, page `page` of `pageSize`; or LOAD_FAILED. */
  | { type: 'loadSlots'; target: BookingTarget; date: string; page: number; pageSize: number }
  /** → PROFILES_LOADED { profiles } on this number; or LOAD_FAILED. */
  | { type: 'loadProfiles' }
  /** → PATIENT_REGISTERED { patientId } or REGISTRATION_FAILED. Create the profile and its consent record together. */
  | { type: 'registerPatient'; patient: NewPatient; consent: ConsentRecord }
  /** No event. A declined consent: keep this record against the number and nothing else. */
  | { type: 'recordConsent'; consent: ConsentRecord }
  /** → BOOKED { appointment } (status tentative when prepayment is due) or BOOKING_FAILED { reason }. */
  | { type: 'book'; slotId: string; patientId: string }
  /** → APPOINTMENTS_LOADED { appointments }: upcoming, for every profile on this number; or LOAD_FAILED. */
  | { type: 'listAppointments' }
  /** → CANCELLED { appointmentId, refund } or CANCEL_FAILED { reason }. */
  | { type: 'cancelAppointment'; appointmentId: string }
  /** → RESCHEDULED { appointment } or BOOKING_FAILED { reason }. */
  | { type: 'reschedule'; appointmentId: string; slotId: string }
  /** → PAYMENT_LINK_READY { url } now, later PAYMENT_CONFIRMED or HOLD_EXPIRED; PAYMENT_LINK_FAILED if no link. */
  | { type: 'requestPayment'; appointmentId: string }
  /** No event. Flag the conversation for the front desk; staff send RELEASE when done. */
  | { type: 'handoff'; reason: HandoffReason };

/** An effect for the runner, in order: replies to send, services to call, a timeout to schedule. */
export type BookingEffect =
  /** No event. Send the message (through the outbound queue). */
  | { type: 'reply'; message: OutboundMessage }
  /** → TIMEOUT { turn } after `delayMs`, from a delayed job; a later turn makes it a no-op. */
  | { type: 'scheduleTimeout'; turn: number; delayMs: number }
  | ServiceEffect;

/** Internal events: a patient message read as an intent, and the request to re-arm the inactivity timeout. */
export type InternalEvent = { type: 'INPUT'; intent: Intent; at: string } | { type: 'ARM' };

/** What the machine receives: runner events stamped with the time, plus its internal events. */
export type MachineEvent = (ConversationEvent & { at: string }) | InternalEvent;

/** Clinic facts the texts need. Not persisted: read fresh for every step. */
export interface ClinicInfo {
  name: string;
  /** IANA zone for dates and times (default Asia/Kolkata). */
  timezone?: string;
  /** Front desk phone number, shown when the bot cannot help. */
  phone?: string;
  /** Link to the full privacy notice. */
  privacyNoticeUrl?: string;
  /** Grievance officer contact (email or phone), as the DPDP notice must name one. */
  grievanceContact?: string;
}

/** What `stepConversation` needs besides the snapshot and the event. */
export interface StepEnv {
  now: Date;
  clinic: ClinicInfo;
  /** Inactivity before TIMEOUT; default 30 minutes. */
  inactivityMs?: number;
}
