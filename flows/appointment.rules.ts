/**
 * Who may move an appointment from which status to which, and under what condition. This table
 * is the single source for the machine's guards, `allowedEvents` and the README diagram.
 */
import { localDateOf } from '../src/modules/scheduling/clinic-time.js';
import { instantMs } from './appointment.context.js';
import type {
  AppointmentContext,
  AppointmentEvent,
  AppointmentEventType,
  AppointmentStatus,
  DenialReason,
  EventActor,
} from './appointment.types.js';

/** Who can send events. `patient` and `doctor` always mean this appointment's own patient and doctor. */
export const PARTIES = ['patient', 'doctor', 'frontdesk', 'accounts', 'admin', 'system'] as const;
/** One kind of sender. */
export type Party = (typeof PARTIES)[number];

/** A named rule on time or payment, judged at the event's `at`. */
export interface Condition {
  /** How the README phrases it after the party: "the patient (until the cutoff)". */
  describe: string;
  check: (context: AppointmentContext, at: number) => DenialReason | null;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const startMs = (context: AppointmentContext) => instantMs(context.startAt);

/** The conditions transitions may require; `always` imposes none. */
export const CONDITIONS = {
  always: { describe: '', check: () => null },
  prepaymentOutstanding: {
    describe: 'while prepayment is outstanding',
    check: (context) => (context.paidPaise < context.prepaymentPaise ? null : 'no_prepayment_due'),
  },
  paidInFull: {
    describe: 'once prepaid',
    check: (context) => (context.paidPaise >= context.prepaymentPaise ? null : 'payment_required'),
  },
  holdExpired: {
    describe: 'once the hold lapses',
    check: (context, at) =>
      context.holdExpiresAt == null || at >= instantMs(context.holdExpiresAt) ? null : 'too_early',
  },
  beforeCutoff: {
    describe: 'until the cutoff',
    check: (context, at) =>
      at <= startMs(context) - context.cancellation.patientCutoffHours * HOUR_MS ? null : 'cutoff_passed',
  },
  appointmentDay: {
    // Calendar days of the clinic, not 24-hour windows: 23:30 and 00:30 IST are different days.
    describe: 'on the appointment day',
    check: (context, at) =>
      localDateOf(new Date(at), context.timezone) === localDateOf(new Date(startMs(context)), context.timezone)
        ? null
        : 'not_appointment_day',
  },
  afterStart: {
    describe: 'after the start time',
    check: (context, at) => (at >= startMs(context) ? null : 'too_early'),
  },
  paidAfterLapse: {
    // Money that reaches us after the hold was released revives the booking, if still ahead.
    describe: 'when a lapsed hold is paid before the start',
    check: (context, at) =>
      !context.lapsedHold
        ? 'not_lapsed_hold'
        : context.paidPaise < context.prepaymentPaise
          ? 'payment_required'
          : at >= startMs(context)
            ? 'appointment_started'
            : null,
  },
  afterGrace: {
    describe: 'after the grace period',
    check: (context, at) => (at >= startMs(context) + context.noShowGraceMinutes * MINUTE_MS ? null : 'too_early'),
  },
} satisfies Record<string, Condition>;
/** The name of one condition. */
export type ConditionName = keyof typeof CONDITIONS;

/** One edge of the lifecycle and, per party allowed to take it, the condition it must meet. */
export interface TransitionRule {
  from: AppointmentStatus;
  event: AppointmentEventType;
  to: AppointmentStatus;
  allow: Partial<Record<Party, ConditionName>>;
}

/**
 * The lifecycle. Choices the brief left open: a doctor may check in their own patient (clinics
 * without a front desk); staff may confirm without prepayment (the patient pays at the desk);
 * the cutoff and refund windows bind only confirmed appointments (an unconfirmed booking can be
 * dropped at any time and gets back what was paid); the system's CANCEL of a hold is the same as
 * EXPIRE_HOLD; check-in and no-show overrides happen on the appointment's clinic-local day; a
 * hold that lapsed and is then paid (the payment was in flight) is reinstated by the system.
 */
export const APPOINTMENT_TRANSITIONS: readonly TransitionRule[] = [
  {
    from: 'requested',
    event: 'HOLD',
    to: 'tentative',
    allow: {
      patient: 'prepaymentOutstanding',
      frontdesk: 'prepaymentOutstanding',
      admin: 'prepaymentOutstanding',
      system: 'prepaymentOutstanding',
    },
  },
  {
    from: 'requested',
    event: 'CONFIRM',
    to: 'confirmed',
    allow: { patient: 'paidInFull', frontdesk: 'always', admin: 'always', system: 'paidInFull' },
  },
  {
    from: 'requested',
    event: 'CANCEL',
    to: 'cancelled',
    allow: { patient: 'always', frontdesk: 'always', admin: 'always' },
  },
  {
    from: 'tentative',
    event: 'CONFIRM',
    to: 'confirmed',
    allow: { frontdesk: 'always', accounts: 'always', admin: 'always', system: 'paidInFull' },
  },
  {
    from: 'tentative',
    event: 'CANCEL',
    to: 'cancelled',
    allow: { patient: 'always', frontdesk: 'always', admin: 'always', system: 'holdExpired' },
  },
  { from: 'tentative', event: 'EXPIRE_HOLD', to: 'cancelled', allow: { system: 'holdExpired' } },
  {
    from: 'confirmed',
    event: 'CHECK_IN',
    to: 'checked_in',
    allow: { doctor: 'appointmentDay', frontdesk: 'appointmentDay', admin: 'appointmentDay' },
  },
  {
    from: 'confirmed',
    event: 'MARK_NO_SHOW',
    to: 'no_show',
    allow: { frontdesk: 'afterStart', admin: 'afterStart', system: 'afterGrace' },
  },
  {
    from: 'confirmed',
    event: 'CANCEL',
    to: 'cancelled',
    allow: { patient: 'beforeCutoff', frontdesk: 'always', admin: 'always' },
  },
  { from: 'checked_in', event: 'START_CONSULT', to: 'in_consult', allow: { doctor: 'always' } },
  { from: 'in_consult', event: 'COMPLETE', to: 'completed', allow: { doctor: 'always' } },
  {
    from: 'no_show',
    event: 'OVERRIDE_NO_SHOW',
    to: 'confirmed',
    allow: { frontdesk: 'appointmentDay', admin: 'appointmentDay' },
  },
  {
    from: 'no_show',
    event: 'OVERRIDE_NO_SHOW',
    to: 'checked_in',
    allow: { frontdesk: 'appointmentDay', admin: 'appointmentDay' },
  },
  { from: 'cancelled', event: 'REINSTATE', to: 'confirmed', allow: { system: 'paidAfterLapse' } },
];

/** Whether `actor` counts as `party` for this appointment (staff roles only count for staff actors). */
export function actsAs(party: Party, actor: EventActor, context: AppointmentContext): boolean {
  switch (party) {
    case 'system':
      return actor.type === 'system';
    case 'patient':
      return (
        actor.type === 'patient' &&
        actor.roles.includes('patient') &&
        (actor.patientIds ?? []).includes(context.patientId)
      );
    case 'doctor':
      return (
        actor.type === 'staff' &&
        actor.roles.includes('doctor') &&
        actor.doctorId !== undefined &&
        actor.doctorId === context.doctorId
      );
    default:
      return actor.type === 'staff' && actor.roles.includes(party);
  }
}

/** The rule `event` would follow from `from`, if the status accepts it (overrides pick theirs by `to`). */
export function ruleFor(from: AppointmentStatus, event: AppointmentEvent): TransitionRule | undefined {
  return APPOINTMENT_TRANSITIONS.find(
    (rule) =>
      rule.from === from && rule.event === event.type && (event.type !== 'OVERRIDE_NO_SHOW' || rule.to === event.to),
  );
}

/**
 * The party whose permission lets this event through, or why it is refused. An actor holding
 * several roles (a doctor who is also admin) passes if any of them passes; otherwise the first
 * refusal is reported.
 */
export function judge(
  from: AppointmentStatus,
  context: AppointmentContext,
  event: AppointmentEvent,
): { party: Party; rule: TransitionRule } | { denial: DenialReason } {
  const rule = ruleFor(from, event);
  if (!rule) return { denial: 'illegal_event' };
  const at = instantMs(event.at);
  let denial: DenialReason = 'forbidden';
  for (const party of PARTIES) {
    const condition = rule.allow[party];
    if (condition === undefined || !actsAs(party, event.actor, context)) continue;
    const refusal = CONDITIONS[condition].check(context, at);
    if (refusal === null) return { party, rule };
    if (denial === 'forbidden') denial = refusal;
  }
  return { denial };
}
