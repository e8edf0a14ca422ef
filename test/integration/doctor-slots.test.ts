import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Types } from 'mongoose';
import { processSlotRefresh } from '../../src/modules/doctors/slot-refresh.queue.js';
import { addLocalDays, localDateOf, zonedTimeToUtc } from '../../src/modules/scheduling/slot-generation.js';
import { SlotModel } from '../../src/modules/scheduling/slot.model.js';
import { takeSlot } from '../../src/modules/scheduling/slot.service.js';
import { createStaffAndLogin } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

const TZ = 'Asia/Kolkata';
const everyDay = (start: string, end: string) => [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start, end }));
const today = () => localDateOf(new Date(), TZ);
const day = (offset: number) => addLocalDays(today(), offset);
const at = (offset: number, time: string) => zonedTimeToUtc(day(offset), time, TZ);

describe('slot regeneration when doctor rules and clinic settings change', () => {
  let t: TestApp;
  let admin: SignedInStaff;
  let frontdesk: SignedInStaff;
  let clinicId: string;

  /** A doctor working 09:00–12:00 every day: 12 slots of 15 minutes a day. */
  async function createDoctor(name: string): Promise<string> {
    const res = await admin.agent.post('/api/v1/doctors').send({
      name,
      speciality: 'General Medicine',
      consultationFeePaise: 50_000,
      weeklyAvailability: everyDay('09:00', '12:00'),
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  const free = (doctorId: string, offset: number) =>
    SlotModel.countDocuments({ clinicId, doctorId, localDate: day(offset), status: 'free' });
  const allSlots = (doctorId: string) => SlotModel.countDocuments({ clinicId, doctorId });
  async function book(doctorId: string, offset: number, time: string): Promise<string> {
    const slot = await SlotModel.findOne({ clinicId, doctorId, startAt: at(offset, time) }).lean();
    await takeSlot(clinicId, slot!._id, new Types.ObjectId(), 'booked');
    return String(slot!._id);
  }
  const statusOf = async (slotId: string) => (await SlotModel.findById(slotId).lean())?.status;

  beforeAll(async () => {
    t = await startTestApp('doctorslots');
    [admin, frontdesk] = await Promise.all([createStaffAndLogin(t, ['admin']), createStaffAndLogin(t, ['frontdesk'])]);
    clinicId = admin.actor.clinicId;
  });
  afterAll(async () => {
    await t.close();
  });

  it('generates the booking horizon for a new doctor', async () => {
    const doctorId = await createDoctor('Dr. Horizon');
    // Default horizon: today and the next 13 local days.
    expect(await allSlots(doctorId)).toBe(14 * 12);
    expect(await free(doctorId, 13)).toBe(12);
    expect(await free(doctorId, 14)).toBe(0);
  });

  it('a leave spanning several days removes exactly the overlapping free slots and keeps a booked one', async () => {
    const doctorId = await createDoctor('Dr. Leave');
    const booked = await book(doctorId, 2, '10:00');
    const added = await frontdesk.agent
      .post(`/api/v1/doctors/${doctorId}/leaves`)
      .send({ startAt: at(1, '10:30').toISOString(), endAt: at(3, '11:00').toISOString(), reason: 'Family function' });
    expect(added.status).toBe(201);
    // Day 1 loses 10:30–11:45 (6), day 2 everything free (11), day 3 09:00–10:45 (8).
    expect(added.body.slots).toMatchObject({ created: 0, removed: 25 });
    expect(added.body.takenSlots).toEqual([expect.objectContaining({ id: booked, status: 'booked' })]);
    expect([
      await free(doctorId, 0),
      await free(doctorId, 1),
      await free(doctorId, 2),
      await free(doctorId, 3),
      await free(doctorId, 4),
    ]).toEqual([12, 6, 0, 4, 12]);
    // Half-open: the slot ending exactly when the leave starts stays, and so does the one starting when it ends.
    expect(await SlotModel.exists({ doctorId, startAt: at(1, '10:15'), status: 'free' })).not.toBeNull();
    expect(await SlotModel.exists({ doctorId, startAt: at(3, '11:00'), status: 'free' })).not.toBeNull();
    expect(await statusOf(booked)).toBe('booked');

    const removed = await frontdesk.agent.delete(`/api/v1/doctors/${doctorId}/leaves/${added.body.leave.id}`);
    expect(removed.body.slots).toMatchObject({ created: 25, removed: 0 });
    expect([await free(doctorId, 1), await free(doctorId, 2), await free(doctorId, 3)]).toEqual([12, 11, 12]);
    expect(await statusOf(booked)).toBe('booked');
  });

  it('a weekly availability change regenerates free slots and keeps booked ones', async () => {
    const doctorId = await createDoctor('Dr. Rules');
    const booked = await book(doctorId, 2, '11:00');
    const res = await frontdesk.agent
      .put(`/api/v1/doctors/${doctorId}/availability`)
      .send({ weeklyAvailability: everyDay('09:00', '10:00') });
    expect(res.status).toBe(200);
    expect(res.body.slots.removed).toBe(14 * 8 - 1);
    expect([await free(doctorId, 1), await free(doctorId, 2)]).toEqual([4, 4]);
    expect(await statusOf(booked)).toBe('booked');
    // The same rules again change nothing.
    expect(
      (
        await frontdesk.agent
          .put(`/api/v1/doctors/${doctorId}/availability`)
          .send({ weeklyAvailability: everyDay('09:00', '10:00') })
      ).body.slots,
    ).toEqual({
      created: 0,
      removed: 0,
      kept: 14 * 4 + 1,
    });
  });

  it('clinic holidays, slot length and horizon changes regenerate every doctor, keeping booked slots', async () => {
    const doctorId = await createDoctor('Dr. Settings');
    const onHoliday = await book(doctorId, 4, '09:15');
    const settings = (patch: object) => admin.agent.patch('/api/v1/clinic/settings/scheduling').send(patch);

    expect((await settings({ holidays: [{ date: day(4), name: 'Ugadi' }] })).status).toBe(200);
    expect(await free(doctorId, 4)).toBe(0);
    expect(await statusOf(onHoliday)).toBe('booked');
    expect((await settings({ holidays: [] })).status).toBe(200);
    expect(await free(doctorId, 4)).toBe(11);

    expect((await settings({ slotMinutes: 20 })).status).toBe(200);
    // 09:00–12:00 in 20-minute slots: 9. Day 4 keeps its booked 09:15–09:30 slot and gets no free
    // slot over it: 09:00–09:20 and 09:20–09:40 are left out.
    expect(await free(doctorId, 5)).toBe(9);
    expect(await free(doctorId, 4)).toBe(7);
    expect(await SlotModel.exists({ doctorId, startAt: at(4, '09:00') })).toBeNull();
    expect(await statusOf(onHoliday)).toBe('booked');
    expect((await settings({ slotMinutes: 15 })).status).toBe(200);
    expect(await free(doctorId, 5)).toBe(12);

    const late = await book(doctorId, 10, '09:00');
    expect((await settings({ bookingHorizonDays: 3 })).status).toBe(200);
    expect([await free(doctorId, 2), await free(doctorId, 3), await free(doctorId, 10)]).toEqual([12, 0, 0]);
    expect(await statusOf(late)).toBe('booked');
    expect((await settings({ bookingHorizonDays: 14 })).status).toBe(200);
    expect([await free(doctorId, 3), await free(doctorId, 10), await free(doctorId, 13)]).toEqual([12, 11, 12]);
  });

  it('deactivating a doctor removes their future free slots; reactivating brings them back', async () => {
    const doctorId = await createDoctor('Dr. Sabbatical');
    const booked = await book(doctorId, 1, '09:00');
    expect((await admin.agent.patch(`/api/v1/doctors/${doctorId}`).send({ active: false })).status).toBe(200);
    expect(await SlotModel.countDocuments({ doctorId, status: 'free', startAt: { $gte: new Date() } })).toBe(0);
    expect(await statusOf(booked)).toBe('booked');
    expect((await admin.agent.patch(`/api/v1/doctors/${doctorId}`).send({ active: true })).status).toBe(200);
    expect(await free(doctorId, 2)).toBe(12);
  });

  it('the daily job processor is idempotent and fills what is missing', async () => {
    const doctorId = await createDoctor('Dr. Daily');
    await processSlotRefresh({ data: {} });
    const before = await SlotModel.countDocuments({ clinicId });
    const again = await processSlotRefresh({ data: {} });
    expect(again).toMatchObject({ created: 0, removed: 0 });
    expect(again.doctors).toBeGreaterThanOrEqual(5);
    expect(await SlotModel.countDocuments({ clinicId })).toBe(before);

    await SlotModel.deleteMany({ doctorId, localDate: day(6), status: 'free' });
    expect(await processSlotRefresh({ data: { clinicId } })).toMatchObject({ created: 12, removed: 0 });
    expect(await processSlotRefresh({ data: { clinicId } })).toMatchObject({ created: 0, removed: 0 });
    expect(await free(doctorId, 6)).toBe(12);
  });
});
