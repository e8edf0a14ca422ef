/**
 * Vocabulary of the appointment lifecycle: statuses, events, the context the guards read, and
 * what applying an event answers. Shared by the machine, its rules and the scheduling service.
 */
import type { Actor } from '../src/platform/actor.js';

/** Every status an appointment can be in, in lifecycle order. */
export const APPOINTMENT_STATUSES = [
  'requested',
  'tentative',
  'confirmed',
  'checked_in',
  'in_consult',
  'completed',
  'no_show',
  'cancelled',
] as const;
/** One appointment status (stored as-is on the appointment document). */
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Every event the lifecycle understands. */
export const APPOINTMENT_EVENT_TYPES = [
  'HOLD',
  'CONFIRM',
  'CHECK_IN',
  'START_CONSULT',
  'COMPLETE',
  'MARK_NO_SHOW',
  'OVERRIDE_NO_SHOW',
  'CANCEL',
  'EXPIRE_HOLD',
  'REINSTATE',
] as const;
/** One event name. */
export type AppointmentEventType = (typeof APPOINTMENT_EVENT_TYPES)[number];

/** Where a no-show override may return the appointment to. */
export const OVERRIDE_TARGETS = ['confirmed', 'checked_in'] as const;
/** `confirmed` (patient will still come) or `checked_in` (patient is here now). */
export type OverrideTarget = (typeof OVERRIDE_TARGETS)[number];

/** An instant as the API or a persisted snapshot carries it: a Date or an ISO-8601 string. */
export type Instant = Date | string;

/** Who sends an event: the platform Actor minus what the lifecycle does not read, so an Actor fits as is. */
export type EventActor = Pick<Actor, 'type' | 'id' | 'roles' | 'doctorId' | 'patientIds'>;

interface EventBase {
  actor: EventActor;
  /** When the event happens (the service passes "now"); every time rule is judged at this instant. */
  at: Instant;
  /** Free text for the history entry, e.g. why the front desk cancelled. */
  reason?: string;
}

/** An event sent to the appointment lifecycle. */
export type AppointmentEvent =
  | (EventBase & { type: Exclude<AppointmentEventType, 'OVERRIDE_NO_SHOW'> })
  | (EventBase & { type: 'OVERRIDE_NO_SHOW'; to: OverrideTarget });

/**
 * Cancellation and refund rules from the clinic settings. Refund windows apply to a patient
 * cancelling a confirmed appointment; a cancellation by the clinic always refunds in full.
 */
export interface CancellationRules {
  /** A patient may cancel a confirmed appointment until this many hours before it starts. */
  patientCutoffHours: number;
  /** Cancelled at least this many hours before the start: everything paid comes back. */
  fullRefundHours: number;
  /** Cancelled at least this many hours before (but inside the full window): `partialRefundPercent` comes back. */
  partialRefundHours: number;
  /** Whole percent, 0–100, refunded inside the partial window; later cancellations refund nothing. */
  partialRefundPercent: number;
}

/** What the guards need to know about one appointment, loaded by the service before each event. */
export interface AppointmentContext {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  startAt: Instant;
  /** IANA timezone of the clinic: "same day" and "appointment day" are judged on its calendar. */
  timezone: string;
  /** Prepayment the clinic asks for before confirming, in paise; 0 when none is required. */
  prepaymentPaise: number;
  /** What the patient has paid towards this appointment so far, in paise. */
  paidPaise: number;
  /** When the tentative hold lapses; the hold cannot be expired earlier. Absent: it may be released at once. */
  holdExpiresAt?: Instant | null;
  /** Minutes after the start before the system may mark a no-show. */
  noShowGraceMinutes: number;
  cancellation: CancellationRules;
  /** True for a booking cancelled only because its prepayment hold lapsed (not by a person). */
  lapsedHold?: boolean;
}

/** Why a refund is (or is not) due: which rule applied. */
export type RefundReason =
  | 'clinic_cancelled'
  | 'hold_expired'
  | 'not_confirmed'
  | 'full_refund_window'
  | 'partial_refund_window'
  | 'outside_refund_window';

/** The refund a cancellation makes due, possibly 0 (billing issues it; the machine only decides). */
export interface RefundDecision {
  dueAmountPaise: number;
  reason: RefundReason;
}

/**
 * Why an event was refused. `invalid_event`: malformed or unknown event; `illegal_event`: the
 * current status does not accept it; `forbidden`: this actor may not send it for this appointment;
 * the rest name the business rule that said no.
 */
export type DenialReason =
  | 'invalid_event'
  | 'illegal_event'
  | 'forbidden'
  | 'payment_required'
  | 'no_prepayment_due'
  | 'cutoff_passed'
  | 'too_early'
  | 'not_appointment_day'
  | 'not_lapsed_hold'
  | 'appointment_started';

/** What applying an event answers: the transition, or the current status and why nothing changed. */
export type ApplyResult =
  | { ok: true; from: AppointmentStatus; to: AppointmentStatus; refund?: RefundDecision }
  | { ok: false; from: AppointmentStatus; reason: DenialReason };
