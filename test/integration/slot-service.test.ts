import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Types } from 'mongoose';
import { SlotModel } from '../../src/modules/scheduling/slot.model.js';
import { findFreeSlots, regenerateSlots, releaseSlot, takeSlot } from '../../src/modules/scheduling/slot.service.js';
import type { SlotRules } from '../../src/modules/scheduling/slot.service.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

const clinicId = new Types.ObjectId().toString();

function rulesFor(doctorId: string, overrides: Partial<SlotRules> = {}): SlotRules {
  return {
    clinicId,
    doctorId,
    timezone: 'Asia/Kolkata',
    slotMinutes: 15,
    // Mondays and Tuesdays 10:00–12:00 IST: 8 slots a day.
    availability: [
      { weekday: 1, start: '10:00', end: '12:00' },
      { weekday: 2, start: '10:00', end: '12:00' },
    ],
    leaves: [],
    holidays: [],
    ...overrides,
  };
}

describe('slot service against the real database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('slots');
  });
  afterAll(async () => {
    await t.close();
  });

  it('generates idempotently and keeps booked slots when the rules change', async () => {
    const doctorId = new Types.ObjectId().toString();
    // 2030-01-07 is a Monday.
    expect(await regenerateSlots(rulesFor(doctorId), '2030-01-07', 7)).toEqual({ created: 16, removed: 0, kept: 0 });
    expect(await regenerateSlots(rulesFor(doctorId), '2030-01-07', 7)).toEqual({ created: 0, removed: 0, kept: 16 });

    const [first] = await findFreeSlots({
      clinicId,
      doctorIds: [doctorId],
      after: new Date('2030-01-01'),
      localDate: '2030-01-07',
    });
    expect(first!.startAt.toISOString()).toBe('2030-01-07T04:30:00.000Z');
    const appointmentId = new Types.ObjectId();
    await takeSlot(clinicId, first!.id, appointmentId, 'booked');

    // The doctor stops working Mondays: Monday's free slots go, the booked one stays.
    const tuesdaysOnly = rulesFor(doctorId, { availability: [{ weekday: 2, start: '10:00', end: '12:00' }] });
    expect(await regenerateSlots(tuesdaysOnly, '2030-01-07', 7)).toEqual({ created: 0, removed: 7, kept: 9 });
    const monday = await SlotModel.find({ doctorId, localDate: '2030-01-07' }).lean();
    expect(monday.map((slot) => slot.status)).toEqual(['booked']);
  });

  it('lets exactly one of 50 parallel takers win a slot, and frees it exactly once', async () => {
    const doctorId = new Types.ObjectId().toString();
    await regenerateSlots(rulesFor(doctorId), '2030-01-07', 1);
    const [slot] = await findFreeSlots({ clinicId, doctorIds: [doctorId], after: new Date('2030-01-01') });
    const racers = Array.from({ length: 50 }, () => new Types.ObjectId());
    const results = await Promise.allSettled(racers.map((id) => takeSlot(clinicId, slot!.id, id, 'held')));
    const winners = results.filter((result) => result.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const losers = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(losers.every((loser) => loser.reason.status === 409)).toBe(true);

    const winner = (winners[0] as PromiseFulfilledResult<{ appointmentId?: string }>).value.appointmentId!;
    const loser = racers.find((id) => String(id) !== winner)!;
    expect(await releaseSlot(clinicId, slot!.id, loser)).toBe(false);
    const releases = await Promise.all([
      releaseSlot(clinicId, slot!.id, winner),
      releaseSlot(clinicId, slot!.id, winner),
    ]);
    expect(releases.filter(Boolean)).toHaveLength(1);
  });

  it('books 20 slots exactly once under 200 parallel attempts', async () => {
    const doctorId = new Types.ObjectId().toString();
    await regenerateSlots(rulesFor(doctorId, { slotMinutes: 6 }), '2030-01-07', 1);
    const slots = await findFreeSlots({ clinicId, doctorIds: [doctorId], after: new Date('2030-01-01') });
    expect(slots).toHaveLength(20);
    const attempts = Array.from({ length: 200 }, (_, i) =>
      takeSlot(clinicId, slots[i % 20]!.id, new Types.ObjectId(), 'booked'),
    );
    const results = await Promise.allSettled(attempts);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(20);
    const booked = await SlotModel.find({ doctorId, status: 'booked' }).lean();
    expect(new Set(booked.map((slot) => String(slot._id))).size).toBe(20);
  });
});
