/**
 * The appointment lifecycle as a pure XState v5 machine, plus the helpers the scheduling service
 * and the UIs use. Nothing here does I/O: the service loads the appointment, asks
 * `applyAppointmentEvent` for the next status, writes it conditionally on the old one, then runs
 * the effects (history, audit, slot release, jobs, refund).
 *
 * The machine carries no timers and no assigns: time arrives on each event (`at`), the context is
 * reloaded from the database for every event, and the status string is all that is persisted.
 */
import { setup, transition } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import { assertAppointmentContext, instantMs, isWellFormedEvent } from './appointment.context.js';
import { cancellationRefund } from './appointment.refund.js';
import { judge } from './appointment.rules.js';
import { APPOINTMENT_EVENT_TYPES, APPOINTMENT_STATUSES, OVERRIDE_TARGETS } from './appointment.types.js';
import type {
  AppointmentContext,
  AppointmentEvent,
  AppointmentEventType,
  AppointmentStatus,
  ApplyResult,
  EventActor,
  Instant,
} from './appointment.types.js';

/** The lifecycle vocabulary, rule table and refund rule, so callers import from this one module. */
export * from './appointment.types.js';
export { APPOINTMENT_TRANSITIONS, CONDITIONS, PARTIES } from './appointment.rules.js';
export type { Condition, ConditionName, Party, TransitionRule } from './appointment.rules.js';
export { cancellationRefund } from './appointment.refund.js';

/** Guard reference for the edge `from` → `to`; the rule table decides who may take it and when. */
const permitted = (from: AppointmentStatus, to: AppointmentStatus) => ({
  type: 'permitted' as const,
  params: { from, to },
});

/** The lifecycle machine; its input is the appointment's context. */
export const appointmentMachine = setup({
  types: {
    context: {} as AppointmentContext,
    events: {} as AppointmentEvent,
    input: {} as AppointmentContext,
  },
  guards: {
    // Guards cannot see the current state, so each edge names its own `from` and `to`.
    permitted: ({ context, event }, edge: { from: AppointmentStatus; to: AppointmentStatus }) => {
      const verdict = judge(edge.from, context, event);
      return 'rule' in verdict && verdict.rule.to === edge.to;
    },
  },
}).createMachine({
  id: 'appointment',
  initial: 'requested',
  context: ({ input }) => input,
  states: {
    requested: {
      on: {
        HOLD: { target: 'tentative', guard: permitted('requested', 'tentative') },
        CONFIRM: { target: 'confirmed', guard: permitted('requested', 'confirmed') },
        CANCEL: { target: 'cancelled', guard: permitted('requested', 'cancelled') },
      },
    },
    tentative: {
      on: {
        CONFIRM: { target: 'confirmed', guard: permitted('tentative', 'confirmed') },
        CANCEL: { target: 'cancelled', guard: permitted('tentative', 'cancelled') },
        EXPIRE_HOLD: { target: 'cancelled', guard: permitted('tentative', 'cancelled') },
      },
    },
    confirmed: {
      on: {
        CHECK_IN: { target: 'checked_in', guard: permitted('confirmed', 'checked_in') },
        MARK_NO_SHOW: { target: 'no_show', guard: permitted('confirmed', 'no_show') },
        CANCEL: { target: 'cancelled', guard: permitted('confirmed', 'cancelled') },
      },
    },
    checked_in: {
      on: { START_CONSULT: { target: 'in_consult', guard: permitted('checked_in', 'in_consult') } },
    },
    in_consult: {
      on: { COMPLETE: { target: 'completed', guard: permitted('in_consult', 'completed') } },
    },
    completed: { type: 'final' },
    no_show: {
      on: {
        OVERRIDE_NO_SHOW: [
          { target: 'confirmed', guard: permitted('no_show', 'confirmed') },
          { target: 'checked_in', guard: permitted('no_show', 'checked_in') },
        ],
      },
    },
    // Not final: a lapsed hold paid late is reinstated (system only, slot permitting).
    cancelled: {
      on: { REINSTATE: { target: 'confirmed', guard: permitted('cancelled', 'confirmed') } },
    },
  },
});

/** A snapshot of the lifecycle machine. */
export type AppointmentSnapshot = SnapshotFrom<typeof appointmentMachine>;

/** An event an actor may send now and the status it leads to, for buttons and bot menus. */
export interface AllowedEvent {
  type: AppointmentEventType;
  to: AppointmentStatus;
}

function statusOf(current: AppointmentStatus | AppointmentSnapshot): AppointmentStatus {
  const value: unknown = typeof current === 'string' ? current : current.value;
  if (!(APPOINTMENT_STATUSES as readonly unknown[]).includes(value)) {
    throw new TypeError(`Unknown appointment status ${JSON.stringify(value)}`);
  }
  return value as AppointmentStatus;
}

/**
 * Computes what `event` does to an appointment in `current` (a stored status or a snapshot),
 * judged against `context` as loaded now. Pure: the caller persists `to` on the condition that
 * the status is still `from`, and on `ok: false` answers with `from` and `reason` (409 for
 * `illegal_event`). A move to `cancelled` always carries the refund decision.
 * Throws TypeError only for an unknown status or a context the rules cannot read (our bug).
 */
export function applyAppointmentEvent(
  current: AppointmentStatus | AppointmentSnapshot,
  context: AppointmentContext,
  event: AppointmentEvent,
): ApplyResult {
  const from = statusOf(current);
  assertAppointmentContext(context);
  if (!isWellFormedEvent(event)) return { ok: false, from, reason: 'invalid_event' };

  const snapshot = appointmentMachine.resolveState({ value: from, context });
  const [next] = transition(appointmentMachine, snapshot, event);
  const to = next.value as AppointmentStatus;
  const verdict = judge(from, context, event);
  if (to === from || !('party' in verdict)) {
    return { ok: false, from, reason: 'denial' in verdict ? verdict.denial : 'illegal_event' };
  }
  if (to !== 'cancelled') return { ok: true, from, to };
  return { ok: true, from, to, refund: cancellationRefund(from, verdict.party, context, instantMs(event.at)) };
}

/** The events `actor` may send to an appointment in `status` at instant `at` (default: now), in event order. */
export function allowedEvents(
  status: AppointmentStatus,
  context: AppointmentContext,
  actor: EventActor,
  at: Instant = new Date(),
): AllowedEvent[] {
  const allowed: AllowedEvent[] = [];
  for (const type of APPOINTMENT_EVENT_TYPES) {
    const probes: AppointmentEvent[] =
      type === 'OVERRIDE_NO_SHOW' ? OVERRIDE_TARGETS.map((to) => ({ type, to, actor, at })) : [{ type, actor, at }];
    for (const probe of probes) {
      const result = applyAppointmentEvent(status, context, probe);
      if (result.ok) allowed.push({ type, to: result.to });
    }
  }
  return allowed;
}
