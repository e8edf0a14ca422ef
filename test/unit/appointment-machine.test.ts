import { describe, expect, it } from '@jest/globals';
import { createActor, transition } from 'xstate';
import {
  APPOINTMENT_EVENT_TYPES,
  APPOINTMENT_STATUSES,
  appointmentMachine,
  applyAppointmentEvent,
} from '../../flows/appointment.machine.js';
import type {
  AppointmentContext,
  AppointmentEvent,
  AppointmentStatus,
  EventActor,
} from '../../flows/appointment.machine.js';
import { ACTORS, ACTOR_NAMES, START, atHours, atMinutes, makeContext } from './appointment-fixtures.js';
import type { ActorName } from './appointment-fixtures.js';

// The event × status matrix: each event is sent by a sender allowed to send it, at a moment
// when every time rule passes (30 min after an 11:00 start, hold lapsed the day before), so
// the only thing that can refuse it is the status.
type EventKey =
  | Exclude<AppointmentEvent['type'], 'OVERRIDE_NO_SHOW'>
  | 'OVERRIDE_NO_SHOW→confirmed'
  | 'OVERRIDE_NO_SHOW→checked_in';
const MATRIX_AT = atMinutes(30);
const PERMITTED_EVENTS: Record<EventKey, AppointmentEvent> = {
  HOLD: { type: 'HOLD', actor: ACTORS.admin, at: MATRIX_AT },
  CONFIRM: { type: 'CONFIRM', actor: ACTORS.admin, at: MATRIX_AT },
  CHECK_IN: { type: 'CHECK_IN', actor: ACTORS.frontdesk, at: MATRIX_AT },
  START_CONSULT: { type: 'START_CONSULT', actor: ACTORS.ownDoctor, at: MATRIX_AT },
  COMPLETE: { type: 'COMPLETE', actor: ACTORS.ownDoctor, at: MATRIX_AT },
  MARK_NO_SHOW: { type: 'MARK_NO_SHOW', actor: ACTORS.system, at: MATRIX_AT },
  'OVERRIDE_NO_SHOW→confirmed': { type: 'OVERRIDE_NO_SHOW', to: 'confirmed', actor: ACTORS.frontdesk, at: MATRIX_AT },
  'OVERRIDE_NO_SHOW→checked_in': { type: 'OVERRIDE_NO_SHOW', to: 'checked_in', actor: ACTORS.frontdesk, at: MATRIX_AT },
  CANCEL: { type: 'CANCEL', actor: ACTORS.frontdesk, at: MATRIX_AT },
  EXPIRE_HOLD: { type: 'EXPIRE_HOLD', actor: ACTORS.system, at: MATRIX_AT },
  // Reinstating is judged before the start: a late payment for a past appointment is refunded.
  REINSTATE: { type: 'REINSTATE', actor: ACTORS.system, at: atHours(-2) },
};
// The one event whose rule reads how the appointment was cancelled and what was paid.
const LAPSED_AND_PAID = makeContext({ lapsedHold: true, paidPaise: 50_000 });

// Written out by hand from the brief; anything missing from a row is illegal in that status.
const EXPECTED: Record<AppointmentStatus, Partial<Record<EventKey, AppointmentStatus>>> = {
  requested: { HOLD: 'tentative', CONFIRM: 'confirmed', CANCEL: 'cancelled' },
  tentative: { CONFIRM: 'confirmed', CANCEL: 'cancelled', EXPIRE_HOLD: 'cancelled' },
  confirmed: { CHECK_IN: 'checked_in', MARK_NO_SHOW: 'no_show', CANCEL: 'cancelled' },
  checked_in: { START_CONSULT: 'in_consult' },
  in_consult: { COMPLETE: 'completed' },
  completed: {},
  no_show: { 'OVERRIDE_NO_SHOW→confirmed': 'confirmed', 'OVERRIDE_NO_SHOW→checked_in': 'checked_in' },
  cancelled: { REINSTATE: 'confirmed' },
};

const matrix = APPOINTMENT_STATUSES.flatMap((status) =>
  (Object.keys(PERMITTED_EVENTS) as EventKey[]).map((key) => ({
    status,
    key,
    expected: EXPECTED[status][key] ?? null,
  })),
);

describe('appointment lifecycle: every event in every status', () => {
  const context = makeContext();
  const contextFor = (key: EventKey) => (key === 'REINSTATE' ? LAPSED_AND_PAID : context);

  it('covers all 8 statuses × 11 events (10 event types, the override with both targets)', () => {
    expect(APPOINTMENT_STATUSES).toHaveLength(8);
    expect(APPOINTMENT_EVENT_TYPES).toHaveLength(10);
    expect(matrix).toHaveLength(88);
    expect(matrix.filter((cell) => cell.expected !== null)).toHaveLength(14);
  });

  it.each(matrix.filter((cell) => cell.expected !== null))(
    '$status + $key → $expected',
    ({ status, key, expected }) => {
      expect(applyAppointmentEvent(status, contextFor(key), PERMITTED_EVENTS[key])).toMatchObject({
        ok: true,
        from: status,
        to: expected,
      });
    },
  );

  it.each(matrix.filter((cell) => cell.expected === null))(
    '$status + $key is illegal (409 with the current status)',
    ({ status, key }) => {
      expect(applyAppointmentEvent(status, contextFor(key), PERMITTED_EVENTS[key])).toEqual({
        ok: false,
        from: status,
        reason: 'illegal_event',
      });
    },
  );

  it.each(matrix)('the raw machine agrees: $status + $key', ({ status, key, expected }) => {
    const snapshot = appointmentMachine.resolveState({ value: status, context: contextFor(key) });
    const [next] = transition(appointmentMachine, snapshot, PERMITTED_EVENTS[key]);
    expect(next.value).toBe(expected ?? status);
  });

  it('reports an illegal event before asking who sent it', () => {
    const event: AppointmentEvent = { type: 'START_CONSULT', actor: ACTORS.otherPatient, at: MATRIX_AT };
    expect(applyAppointmentEvent('requested', context, event)).toEqual({
      ok: false,
      from: 'requested',
      reason: 'illegal_event',
    });
  });

  it('only attaches a refund to moves into cancelled', () => {
    for (const cell of matrix.filter((c) => c.expected !== null)) {
      const result = applyAppointmentEvent(cell.status, contextFor(cell.key), PERMITTED_EVENTS[cell.key]);
      expect(result.ok && 'refund' in result).toBe(cell.expected === 'cancelled');
    }
  });

  it('runs as a live actor through the happy path with prepayment', () => {
    const actor = createActor(appointmentMachine, { input: makeContext() }).start();
    actor.send({ type: 'HOLD', actor: ACTORS.ownPatient, at: atHours(-48) });
    expect(actor.getSnapshot().value).toBe('tentative');
    actor.send({ type: 'CONFIRM', actor: ACTORS.accounts, at: atHours(-47) });
    actor.send({ type: 'CHECK_IN', actor: ACTORS.frontdesk, at: atMinutes(-10) });
    actor.send({ type: 'START_CONSULT', actor: ACTORS.ownDoctor, at: atMinutes(5) });
    actor.send({ type: 'COMPLETE', actor: ACTORS.ownDoctor, at: atMinutes(20) });
    expect(actor.getSnapshot().value).toBe('completed');
    expect(actor.getSnapshot().status).toBe('done');
    actor.stop();
  });

  it('ignores a refused event in a live actor (guards are the same as applyAppointmentEvent)', () => {
    const actor = createActor(appointmentMachine, { input: makeContext({ prepaymentPaise: 0 }) }).start();
    actor.send({ type: 'CONFIRM', actor: ACTORS.otherPatient, at: atHours(-48) });
    expect(actor.getSnapshot().value).toBe('requested');
    actor.send({ type: 'CONFIRM', actor: ACTORS.ownPatient, at: atHours(-48) });
    expect(actor.getSnapshot().value).toBe('confirmed');
    actor.stop();
  });

  it('accepts a machine snapshot as well as a stored status', () => {
    const snapshot = appointmentMachine.resolveState({ value: 'confirmed', context });
    expect(applyAppointmentEvent(snapshot, context, PERMITTED_EVENTS.CHECK_IN)).toEqual({
      ok: true,
      from: 'confirmed',
      to: 'checked_in',
    });
  });
});

// Who may send each transition, written out independently of the rule table. Each row's
// context and instant satisfy every time and payment rule, so only the sender decides.
interface RoleRow {
  from: AppointmentStatus;
  event: EventKey;
  at: string;
  context: AppointmentContext;
  allowed: ActorName[];
}
const ROLE_ROWS: RoleRow[] = [
  {
    from: 'requested',
    event: 'HOLD',
    at: atHours(-48),
    context: makeContext(),
    allowed: ['ownPatient', 'familyPatient', 'frontdesk', 'admin', 'system'],
  },
  {
    from: 'requested',
    event: 'CONFIRM',
    at: atHours(-48),
    context: makeContext({ prepaymentPaise: 0 }),
    allowed: ['ownPatient', 'familyPatient', 'frontdesk', 'admin', 'system'],
  },
  {
    from: 'requested',
    event: 'CANCEL',
    at: atHours(-48),
    context: makeContext(),
    allowed: ['ownPatient', 'familyPatient', 'frontdesk', 'admin'],
  },
  {
    from: 'tentative',
    event: 'CONFIRM',
    at: atHours(-48),
    context: makeContext({ paidPaise: 50_000, holdExpiresAt: atHours(-47) }),
    allowed: ['frontdesk', 'accounts', 'admin', 'system'],
  },
  {
    from: 'tentative',
    event: 'CANCEL',
    at: atHours(-48),
    context: makeContext({ holdExpiresAt: atHours(-49) }),
    allowed: ['ownPatient', 'familyPatient', 'frontdesk', 'admin', 'system'],
  },
  {
    from: 'tentative',
    event: 'EXPIRE_HOLD',
    at: atHours(-48),
    context: makeContext({ holdExpiresAt: atHours(-49) }),
    allowed: ['system'],
  },
  {
    from: 'confirmed',
    event: 'CHECK_IN',
    at: atMinutes(-15),
    context: makeContext(),
    allowed: ['ownDoctor', 'frontdesk', 'admin'],
  },
  {
    from: 'confirmed',
    event: 'MARK_NO_SHOW',
    at: atMinutes(30),
    context: makeContext(),
    allowed: ['frontdesk', 'admin', 'system'],
  },
  {
    from: 'confirmed',
    event: 'CANCEL',
    at: atHours(-48),
    context: makeContext(),
    allowed: ['ownPatient', 'familyPatient', 'frontdesk', 'admin'],
  },
  { from: 'checked_in', event: 'START_CONSULT', at: atMinutes(5), context: makeContext(), allowed: ['ownDoctor'] },
  { from: 'in_consult', event: 'COMPLETE', at: atMinutes(20), context: makeContext(), allowed: ['ownDoctor'] },
  {
    from: 'no_show',
    event: 'OVERRIDE_NO_SHOW→confirmed',
    at: atMinutes(40),
    context: makeContext(),
    allowed: ['frontdesk', 'admin'],
  },
  {
    from: 'no_show',
    event: 'OVERRIDE_NO_SHOW→checked_in',
    at: atMinutes(40),
    context: makeContext(),
    allowed: ['frontdesk', 'admin'],
  },
  { from: 'cancelled', event: 'REINSTATE', at: atHours(-2), context: LAPSED_AND_PAID, allowed: ['system'] },
];

function eventFor(row: RoleRow, actor: EventActor): AppointmentEvent {
  if (row.event === 'OVERRIDE_NO_SHOW→confirmed')
    return { type: 'OVERRIDE_NO_SHOW', to: 'confirmed', actor, at: row.at };
  if (row.event === 'OVERRIDE_NO_SHOW→checked_in')
    return { type: 'OVERRIDE_NO_SHOW', to: 'checked_in', actor, at: row.at };
  return { type: row.event, actor, at: row.at };
}

const roleCases = ROLE_ROWS.flatMap((row) =>
  ACTOR_NAMES.map((actorName) => ({ ...row, actorName, permitted: row.allowed.includes(actorName) })),
);

describe('appointment lifecycle: reinstating a lapsed hold paid late', () => {
  const reinstate = (context: AppointmentContext, at = atHours(-2)) =>
    applyAppointmentEvent('cancelled', context, { type: 'REINSTATE', actor: ACTORS.system, at });

  it('reinstates only a hold the system released, once paid in full, before the start', () => {
    expect(reinstate(LAPSED_AND_PAID)).toEqual({ ok: true, from: 'cancelled', to: 'confirmed' });
    expect(reinstate({ ...LAPSED_AND_PAID, lapsedHold: false })).toEqual({
      ok: false,
      from: 'cancelled',
      reason: 'not_lapsed_hold',
    });
    expect(reinstate({ ...LAPSED_AND_PAID, paidPaise: 49_999 })).toEqual({
      ok: false,
      from: 'cancelled',
      reason: 'payment_required',
    });
    expect(reinstate(LAPSED_AND_PAID, START)).toEqual({ ok: false, from: 'cancelled', reason: 'appointment_started' });
  });
});

describe('appointment lifecycle: who may send each transition', () => {
  it('tries every sender on every transition', () => {
    expect(roleCases).toHaveLength(14 * ACTOR_NAMES.length);
  });

  it.each(roleCases.filter((c) => c.permitted))('$from + $event by $actorName is allowed', (row) => {
    expect(applyAppointmentEvent(row.from, row.context, eventFor(row, ACTORS[row.actorName]))).toMatchObject({
      ok: true,
      from: row.from,
    });
  });

  it.each(roleCases.filter((c) => !c.permitted))('$from + $event by $actorName is forbidden', (row) => {
    expect(applyAppointmentEvent(row.from, row.context, eventFor(row, ACTORS[row.actorName]))).toEqual({
      ok: false,
      from: row.from,
      reason: 'forbidden',
    });
  });

  it('lets a doctor who is also admin use admin rights, but only consult their own patients', () => {
    const doctorAdmin: EventActor = {
      type: 'staff',
      id: 'user-doc-2',
      roles: ['doctor', 'admin'],
      doctorId: 'doctor-2',
    };
    const context = makeContext();
    expect(
      applyAppointmentEvent('confirmed', context, { type: 'CHECK_IN', actor: doctorAdmin, at: START }),
    ).toMatchObject({ ok: true });
    expect(
      applyAppointmentEvent('checked_in', context, { type: 'START_CONSULT', actor: doctorAdmin, at: START }),
    ).toMatchObject({
      ok: false,
      reason: 'forbidden',
    });
  });

  it('grants staff roles only to staff actors and ownership only to the matching kind', () => {
    const context = makeContext();
    const forged: EventActor[] = [
      { type: 'patient', id: 'patient-1', roles: ['patient', 'admin'], patientIds: ['patient-1'] },
      { type: 'system', id: 'worker:x', roles: ['frontdesk'] },
      { type: 'staff', id: 'user-x', roles: ['doctor'] },
      { type: 'staff', id: 'user-y', roles: ['frontdesk'], patientIds: ['patient-1'], doctorId: 'doctor-1' },
      { type: 'staff', id: 'user-z', roles: [] },
    ];
    for (const actor of forged) {
      expect(applyAppointmentEvent('checked_in', context, { type: 'START_CONSULT', actor, at: START })).toMatchObject({
        reason: 'forbidden',
      });
      expect(
        applyAppointmentEvent('no_show', context, { type: 'OVERRIDE_NO_SHOW', to: 'confirmed', actor, at: START }),
      ).toMatchObject({
        ok: actor.type === 'staff' && actor.roles.includes('frontdesk'),
      });
    }
    const patientWithoutRole: EventActor = { type: 'patient', id: 'patient-1', roles: [], patientIds: ['patient-1'] };
    expect(
      applyAppointmentEvent('requested', context, { type: 'CANCEL', actor: patientWithoutRole, at: START }),
    ).toMatchObject({
      reason: 'forbidden',
    });
  });
});
