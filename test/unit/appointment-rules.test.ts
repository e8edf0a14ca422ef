import { describe, expect, it } from '@jest/globals';
import { allowedEvents, applyAppointmentEvent, cancellationRefund } from '../../flows/appointment.machine.js';
import type {
  AppointmentContext,
  AppointmentEvent,
  AppointmentStatus,
  EventActor,
} from '../../flows/appointment.machine.js';
import { ACTORS, START, atHours, atMinutes, makeContext } from './appointment-fixtures.js';

const cancel = (actor: EventActor, at: string | Date): AppointmentEvent => ({ type: 'CANCEL', actor, at });
const apply = (status: AppointmentStatus, context: AppointmentContext, event: AppointmentEvent) =>
  applyAppointmentEvent(status, context, event);

describe('patient cancellation cutoff (2 h before an 11:00 IST start)', () => {
  const context = makeContext({ paidPaise: 50_000 });

  it('lets the patient cancel exactly at the cutoff', () => {
    expect(apply('confirmed', context, cancel(ACTORS.ownPatient, atHours(-2)))).toMatchObject({
      ok: true,
      to: 'cancelled',
    });
  });

  it('refuses one millisecond after the cutoff', () => {
    const at = new Date(Date.parse(atHours(-2)) + 1);
    expect(apply('confirmed', context, cancel(ACTORS.ownPatient, at))).toEqual({
      ok: false,
      from: 'confirmed',
      reason: 'cutoff_passed',
    });
  });

  it('refuses a family member on the same number after the cutoff too', () => {
    expect(apply('confirmed', context, cancel(ACTORS.familyPatient, atHours(-1)))).toMatchObject({
      reason: 'cutoff_passed',
    });
  });

  it('still lets the front desk and admin cancel after the cutoff and after the start, before check-in', () => {
    for (const at of [atHours(-1), atMinutes(10)]) {
      expect(apply('confirmed', context, cancel(ACTORS.frontdesk, at))).toMatchObject({ ok: true, to: 'cancelled' });
      expect(apply('confirmed', context, cancel(ACTORS.admin, at))).toMatchObject({ ok: true, to: 'cancelled' });
    }
  });

  it('has no cutoff for a booking that was never confirmed', () => {
    for (const status of ['requested', 'tentative'] as const) {
      expect(apply(status, context, cancel(ACTORS.ownPatient, atMinutes(-5)))).toMatchObject({
        ok: true,
        to: 'cancelled',
      });
    }
  });

  it('refuses everyone once the patient is checked in or later', () => {
    for (const status of ['checked_in', 'in_consult', 'completed', 'no_show', 'cancelled'] as const) {
      expect(apply(status, context, cancel(ACTORS.admin, atHours(-48)))).toMatchObject({
        ok: false,
        reason: 'illegal_event',
      });
    }
  });
});

describe('refunds on cancellation (full ≥ 24 h, 50 % ≥ 4 h, none later)', () => {
  const paid = 50_001; // odd, so the partial refund has to round
  const context = makeContext({ paidPaise: paid });
  const refundAt = (
    at: string | Date,
    actor: EventActor = ACTORS.ownPatient,
    status: AppointmentStatus = 'confirmed',
  ) => {
    const result = apply(status, context, cancel(actor, at));
    if (!result.ok) throw new Error(`expected a cancellation, got ${result.reason}`);
    return result.refund;
  };
  const justAfter = (iso: string) => new Date(Date.parse(iso) + 1);

  it.each([
    ['a week before', atHours(-168), paid, 'full_refund_window'],
    ['exactly 24 h before', atHours(-24), paid, 'full_refund_window'],
    ['1 ms inside 24 h', justAfter(atHours(-24)), 25_000, 'partial_refund_window'],
    ['exactly 4 h before', atHours(-4), 25_000, 'partial_refund_window'],
    ['1 ms inside 4 h', justAfter(atHours(-4)), 0, 'outside_refund_window'],
    ['exactly at the 2 h cutoff', atHours(-2), 0, 'outside_refund_window'],
  ] as const)('patient cancelling %s gets %i paise back', (_label, at, due, reason) => {
    expect(refundAt(at)).toEqual({ dueAmountPaise: due, reason });
  });

  it('always refunds in full when the clinic cancels, however late', () => {
    expect(refundAt(atMinutes(-5), ACTORS.frontdesk)).toEqual({ dueAmountPaise: paid, reason: 'clinic_cancelled' });
    expect(refundAt(atMinutes(10), ACTORS.admin)).toEqual({ dueAmountPaise: paid, reason: 'clinic_cancelled' });
    expect(refundAt(atHours(-1), ACTORS.frontdesk, 'tentative')).toEqual({
      dueAmountPaise: paid,
      reason: 'clinic_cancelled',
    });
  });

  it('refunds whatever was paid for a booking the patient drops before it was confirmed', () => {
    expect(refundAt(atMinutes(-30), ACTORS.ownPatient, 'tentative')).toEqual({
      dueAmountPaise: paid,
      reason: 'not_confirmed',
    });
    expect(refundAt(atMinutes(-30), ACTORS.ownPatient, 'requested')).toEqual({
      dueAmountPaise: paid,
      reason: 'not_confirmed',
    });
  });

  it('is 0 when nothing was paid, and still names the rule', () => {
    const result = apply('confirmed', makeContext({ paidPaise: 0 }), cancel(ACTORS.ownPatient, atHours(-30)));
    expect(result).toEqual({
      ok: true,
      from: 'confirmed',
      to: 'cancelled',
      refund: { dueAmountPaise: 0, reason: 'full_refund_window' },
    });
  });

  it('handles 0 % and 100 % partial refunds and a window with no partial band', () => {
    const rules = makeContext().cancellation;
    const withRules = (overrides: Partial<AppointmentContext['cancellation']>) =>
      makeContext({ paidPaise: 1_000, cancellation: { ...rules, ...overrides } });
    expect(
      cancellationRefund('confirmed', 'patient', withRules({ partialRefundPercent: 0 }), Date.parse(atHours(-5))),
    ).toEqual({
      dueAmountPaise: 0,
      reason: 'partial_refund_window',
    });
    expect(
      cancellationRefund('confirmed', 'patient', withRules({ partialRefundPercent: 100 }), Date.parse(atHours(-5))),
    ).toEqual({
      dueAmountPaise: 1_000,
      reason: 'partial_refund_window',
    });
    const noPartial = withRules({ fullRefundHours: 12, partialRefundHours: 12 });
    expect(cancellationRefund('confirmed', 'patient', noPartial, Date.parse(atHours(-12)))).toMatchObject({
      reason: 'full_refund_window',
    });
    expect(cancellationRefund('confirmed', 'patient', noPartial, Date.parse(atHours(-11)))).toMatchObject({
      reason: 'outside_refund_window',
    });
  });

  it('rounds a partial refund down to the paisa', () => {
    const context33 = makeContext({
      paidPaise: 100,
      cancellation: { ...makeContext().cancellation, partialRefundPercent: 33 },
    });
    expect(cancellationRefund('confirmed', 'patient', context33, Date.parse(atHours(-5))).dueAmountPaise).toBe(33);
    const context67 = makeContext({
      paidPaise: 99_999,
      cancellation: { ...makeContext().cancellation, partialRefundPercent: 67 },
    });
    expect(cancellationRefund('confirmed', 'patient', context67, Date.parse(atHours(-5))).dueAmountPaise).toBe(66_999);
  });
});

describe('no-show and its same-day override', () => {
  it('lets the system mark a no-show only after the grace period', () => {
    const event = (at: string): AppointmentEvent => ({ type: 'MARK_NO_SHOW', actor: ACTORS.system, at });
    expect(apply('confirmed', makeContext(), event(atMinutes(14)))).toEqual({
      ok: false,
      from: 'confirmed',
      reason: 'too_early',
    });
    expect(apply('confirmed', makeContext(), event(atMinutes(15)))).toMatchObject({ ok: true, to: 'no_show' });
    expect(apply('confirmed', makeContext({ noShowGraceMinutes: 0 }), event(START))).toMatchObject({ ok: true });
  });

  it('lets the front desk mark a no-show from the start time, not before', () => {
    const event = (at: string): AppointmentEvent => ({ type: 'MARK_NO_SHOW', actor: ACTORS.frontdesk, at });
    expect(apply('confirmed', makeContext(), event(atMinutes(-1)))).toMatchObject({ ok: false, reason: 'too_early' });
    expect(apply('confirmed', makeContext(), event(START))).toMatchObject({ ok: true, to: 'no_show' });
  });

  // 04:00 IST on 10 March is 22:30 UTC on 9 March: UTC days and clinic days disagree here.
  const early = makeContext({ startAt: '2025-03-09T22:30:00Z' });
  const override = (at: string, to: 'confirmed' | 'checked_in' = 'checked_in'): AppointmentEvent => ({
    type: 'OVERRIDE_NO_SHOW',
    to,
    actor: ACTORS.frontdesk,
    at,
  });

  it('allows the override later on the same clinic-local day even when the UTC date differs', () => {
    expect(apply('no_show', early, override('2025-03-10T18:29:59Z'))).toEqual({
      ok: true,
      from: 'no_show',
      to: 'checked_in',
    });
    expect(apply('no_show', early, override('2025-03-10T04:30:00Z', 'confirmed'))).toEqual({
      ok: true,
      from: 'no_show',
      to: 'confirmed',
    });
  });

  it('refuses the override from clinic-local midnight on', () => {
    expect(apply('no_show', early, override('2025-03-10T18:30:00Z'))).toEqual({
      ok: false,
      from: 'no_show',
      reason: 'not_appointment_day',
    });
    expect(apply('no_show', early, override('2025-03-12T06:00:00Z'))).toMatchObject({ reason: 'not_appointment_day' });
  });

  it('judges the day in the clinic timezone (Europe/London in summer)', () => {
    const london = makeContext({ timezone: 'Europe/London', startAt: '2025-07-01T08:00:00Z' }); // 09:00 BST
    expect(apply('no_show', london, override('2025-07-01T22:59:00Z'))).toMatchObject({ ok: true }); // 23:59 BST
    expect(apply('no_show', london, override('2025-07-01T23:00:00Z'))).toMatchObject({ reason: 'not_appointment_day' }); // 00:00 BST
  });

  it('does not let the patient, the doctor or accounts override', () => {
    for (const actor of [ACTORS.ownPatient, ACTORS.ownDoctor, ACTORS.accounts]) {
      expect(apply('no_show', early, { ...override('2025-03-10T04:30:00Z'), actor })).toMatchObject({
        reason: 'forbidden',
      });
    }
  });
});

describe('check-in happens on the appointment day', () => {
  const checkIn = (at: string, actor: EventActor = ACTORS.frontdesk): AppointmentEvent => ({
    type: 'CHECK_IN',
    actor,
    at,
  });

  it('accepts an early arrival the same morning and a late one the same evening', () => {
    expect(apply('confirmed', makeContext(), checkIn('2025-03-09T18:30:00Z'))).toMatchObject({ ok: true }); // 00:00 IST
    expect(apply('confirmed', makeContext(), checkIn(atHours(8), ACTORS.ownDoctor))).toMatchObject({ ok: true });
  });

  it('refuses the day before and the day after', () => {
    expect(apply('confirmed', makeContext(), checkIn('2025-03-09T18:29:59Z'))).toMatchObject({
      reason: 'not_appointment_day',
    });
    expect(apply('confirmed', makeContext(), checkIn('2025-03-10T18:30:00Z'))).toMatchObject({
      reason: 'not_appointment_day',
    });
  });
});

describe('holds and prepayment', () => {
  const holdExpiresAt = atHours(-20);
  const tentative = makeContext({ holdExpiresAt });
  const expire = (at: string, actor: EventActor = ACTORS.system): AppointmentEvent => ({
    type: 'EXPIRE_HOLD',
    actor,
    at,
  });

  it('expires a hold from its expiry instant on, with a full refund of anything paid', () => {
    expect(apply('tentative', tentative, expire(new Date(Date.parse(holdExpiresAt) - 1).toISOString()))).toEqual({
      ok: false,
      from: 'tentative',
      reason: 'too_early',
    });
    expect(apply('tentative', tentative, expire(holdExpiresAt))).toEqual({
      ok: true,
      from: 'tentative',
      to: 'cancelled',
      refund: { dueAmountPaise: 0, reason: 'hold_expired' },
    });
    expect(apply('tentative', makeContext({ holdExpiresAt, paidPaise: 20_000 }), expire(atHours(-19)))).toMatchObject({
      refund: { dueAmountPaise: 20_000, reason: 'hold_expired' },
    });
  });

  it('treats the system cancelling a lapsed hold exactly like EXPIRE_HOLD', () => {
    expect(apply('tentative', tentative, cancel(ACTORS.system, holdExpiresAt))).toEqual(
      apply('tentative', tentative, expire(holdExpiresAt)),
    );
    expect(apply('tentative', tentative, cancel(ACTORS.system, atHours(-21)))).toMatchObject({
      ok: false,
      reason: 'too_early',
    });
  });

  it('releases a hold with no recorded expiry at once', () => {
    expect(apply('tentative', makeContext({ holdExpiresAt: null }), expire(atHours(-48)))).toMatchObject({ ok: true });
    expect(apply('tentative', makeContext({ holdExpiresAt: undefined }), expire(atHours(-48)))).toMatchObject({
      ok: true,
    });
  });

  it('lets only the system expire a hold, and only while it is tentative', () => {
    expect(apply('tentative', tentative, expire(atHours(-1), ACTORS.admin))).toMatchObject({ reason: 'forbidden' });
    // Payment won the race: the stale expiry job finds the appointment confirmed.
    expect(apply('confirmed', tentative, expire(atHours(-1)))).toEqual({
      ok: false,
      from: 'confirmed',
      reason: 'illegal_event',
    });
  });

  it('confirms a hold from the payment webhook only when paid in full', () => {
    const confirm: AppointmentEvent = { type: 'CONFIRM', actor: ACTORS.system, at: atHours(-21) };
    expect(apply('tentative', makeContext({ paidPaise: 49_999 }), confirm)).toMatchObject({
      ok: false,
      reason: 'payment_required',
    });
    expect(apply('tentative', makeContext({ paidPaise: 50_000 }), confirm)).toEqual({
      ok: true,
      from: 'tentative',
      to: 'confirmed',
    });
    // A late payment still confirms if the hold was not released yet; the conditional write settles the race.
    expect(apply('tentative', makeContext({ paidPaise: 50_000, holdExpiresAt: atHours(-22) }), confirm)).toMatchObject({
      ok: true,
    });
  });

  it('lets staff confirm without prepayment (paid at the desk) but not the patient', () => {
    const confirm = (actor: EventActor): AppointmentEvent => ({ type: 'CONFIRM', actor, at: atHours(-30) });
    expect(apply('requested', makeContext(), confirm(ACTORS.ownPatient))).toMatchObject({
      ok: false,
      reason: 'payment_required',
    });
    expect(apply('requested', makeContext(), confirm(ACTORS.system))).toMatchObject({
      ok: false,
      reason: 'payment_required',
    });
    expect(apply('requested', makeContext(), confirm(ACTORS.frontdesk))).toMatchObject({ ok: true, to: 'confirmed' });
    expect(apply('tentative', makeContext(), confirm(ACTORS.accounts))).toMatchObject({ ok: true, to: 'confirmed' });
  });

  it('holds only while prepayment is outstanding', () => {
    const hold: AppointmentEvent = { type: 'HOLD', actor: ACTORS.ownPatient, at: atHours(-30) };
    expect(apply('requested', makeContext({ prepaymentPaise: 0 }), hold)).toMatchObject({
      ok: false,
      reason: 'no_prepayment_due',
    });
    expect(apply('requested', makeContext({ paidPaise: 50_000 }), hold)).toMatchObject({
      ok: false,
      reason: 'no_prepayment_due',
    });
    expect(apply('requested', makeContext({ paidPaise: 10_000 }), hold)).toMatchObject({ ok: true, to: 'tentative' });
  });
});

describe('the consultation belongs to the appointment doctor', () => {
  it('refuses another doctor starting or completing it', () => {
    expect(
      apply('checked_in', makeContext(), { type: 'START_CONSULT', actor: ACTORS.otherDoctor, at: START }),
    ).toMatchObject({
      reason: 'forbidden',
    });
    expect(
      apply('in_consult', makeContext(), { type: 'COMPLETE', actor: ACTORS.otherDoctor, at: START }),
    ).toMatchObject({
      reason: 'forbidden',
    });
  });
});

describe('malformed input', () => {
  const context = makeContext();
  const base = { actor: ACTORS.frontdesk, at: START };

  it.each([
    ['an unknown event type', { ...base, type: 'TELEPORT' }],
    ['an instant without an offset', { ...base, type: 'CHECK_IN', at: '2025-03-10T11:00:00' }],
    ['an unparseable instant', { ...base, type: 'CHECK_IN', at: 'tomorrow' }],
    ['an invalid Date', { ...base, type: 'CHECK_IN', at: new Date(Number.NaN) }],
    ['no actor', { type: 'CHECK_IN', at: START }],
    ['an actor of unknown type', { ...base, type: 'CHECK_IN', actor: { type: 'robot', id: 'r', roles: [] } }],
    [
      'patientIds given as a string',
      { ...base, type: 'CHECK_IN', actor: { type: 'patient', id: 'p', roles: ['patient'], patientIds: 'patient-10' } },
    ],
    [
      'a numeric doctorId',
      { ...base, type: 'CHECK_IN', actor: { type: 'staff', id: 'd', roles: ['doctor'], doctorId: 1 } },
    ],
    [
      'roles that are not strings',
      { ...base, type: 'CHECK_IN', actor: { type: 'staff', id: 'd', roles: [{ role: 'admin' }] } },
    ],
    ['an override without a target', { ...base, type: 'OVERRIDE_NO_SHOW' }],
    ['an override to a status it cannot reach', { ...base, type: 'OVERRIDE_NO_SHOW', to: 'completed' }],
  ])('answers invalid_event for %s', (_label, event) => {
    expect(apply('confirmed', context, event as unknown as AppointmentEvent)).toEqual({
      ok: false,
      from: 'confirmed',
      reason: 'invalid_event',
    });
  });

  it('accepts a Date and an ISO string with an offset for the same instant', () => {
    expect(
      apply('confirmed', context, { type: 'CHECK_IN', actor: ACTORS.frontdesk, at: new Date(START) }),
    ).toMatchObject({ ok: true });
    expect(
      apply('confirmed', context, { type: 'CHECK_IN', actor: ACTORS.frontdesk, at: '2025-03-10T11:00:00+05:30' }),
    ).toMatchObject({ ok: true });
  });

  it.each([
    ['an unknown timezone', { timezone: 'Mars/Olympus' }, /timezone/],
    ['an unreadable start', { startAt: 'soon' }, /startAt/],
    ['a negative payment', { paidPaise: -1 }, /paidPaise/],
    ['fractional paise', { prepaymentPaise: 10.5 }, /prepaymentPaise/],
    [
      'a partial window wider than the full one',
      { cancellation: { ...context.cancellation, partialRefundHours: 48 } },
      /partialRefundHours/,
    ],
    [
      'a refund percent over 100',
      { cancellation: { ...context.cancellation, partialRefundPercent: 101 } },
      /partialRefundPercent/,
    ],
    ['a missing doctor', { doctorId: '' }, /doctorId/],
  ])('throws for a context with %s (a bug in the caller, not a user error)', (_label, overrides, message) => {
    const event: AppointmentEvent = { type: 'CHECK_IN', actor: ACTORS.frontdesk, at: START };
    expect(() => apply('confirmed', makeContext(overrides as Partial<AppointmentContext>), event)).toThrow(message);
  });

  it('throws for a status the lifecycle does not know', () => {
    const event: AppointmentEvent = { type: 'CHECK_IN', actor: ACTORS.frontdesk, at: START };
    expect(() => apply('archived' as AppointmentStatus, context, event)).toThrow(TypeError);
  });
});

describe('allowedEvents', () => {
  const context = makeContext({ paidPaise: 50_000 });

  it('offers the patient a cancel before the cutoff and nothing after it', () => {
    expect(allowedEvents('confirmed', context, ACTORS.ownPatient, atHours(-3))).toEqual([
      { type: 'CANCEL', to: 'cancelled' },
    ]);
    expect(allowedEvents('confirmed', context, ACTORS.ownPatient, atHours(-1))).toEqual([]);
    expect(allowedEvents('confirmed', context, ACTORS.otherPatient, atHours(-3))).toEqual([]);
  });

  it('offers the front desk check-in, no-show and cancel once the appointment has started', () => {
    expect(allowedEvents('confirmed', context, ACTORS.frontdesk, atMinutes(5))).toEqual([
      { type: 'CHECK_IN', to: 'checked_in' },
      { type: 'MARK_NO_SHOW', to: 'no_show' },
      { type: 'CANCEL', to: 'cancelled' },
    ]);
    expect(allowedEvents('confirmed', context, ACTORS.frontdesk, atHours(-48))).toEqual([
      { type: 'CANCEL', to: 'cancelled' },
    ]);
  });

  it('offers both override targets on the day and none the next day', () => {
    expect(allowedEvents('no_show', context, ACTORS.admin, atHours(2))).toEqual([
      { type: 'OVERRIDE_NO_SHOW', to: 'confirmed' },
      { type: 'OVERRIDE_NO_SHOW', to: 'checked_in' },
    ]);
    expect(allowedEvents('no_show', context, ACTORS.admin, atHours(24))).toEqual([]);
  });

  it('offers the doctor only their own consultation steps', () => {
    expect(allowedEvents('checked_in', context, ACTORS.ownDoctor, START)).toEqual([
      { type: 'START_CONSULT', to: 'in_consult' },
    ]);
    expect(allowedEvents('in_consult', context, ACTORS.ownDoctor, START)).toEqual([
      { type: 'COMPLETE', to: 'completed' },
    ]);
    expect(allowedEvents('checked_in', context, ACTORS.otherDoctor, START)).toEqual([]);
  });

  it('offers the system confirm and both ways to release a paid, lapsed hold', () => {
    expect(allowedEvents('tentative', context, ACTORS.system, atHours(-1))).toEqual([
      { type: 'CONFIRM', to: 'confirmed' },
      { type: 'CANCEL', to: 'cancelled' },
      { type: 'EXPIRE_HOLD', to: 'cancelled' },
    ]);
  });

  it('offers nothing in a final status and defaults the instant to now', () => {
    expect(allowedEvents('completed', context, ACTORS.admin)).toEqual([]);
    expect(allowedEvents('cancelled', context, ACTORS.admin)).toEqual([]);
    expect(allowedEvents('requested', context, ACTORS.admin)).toEqual([
      { type: 'CONFIRM', to: 'confirmed' },
      { type: 'CANCEL', to: 'cancelled' },
    ]);
  });
});
