import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Types } from 'mongoose';
import { refreshDoctorSlots } from '../../src/modules/doctors/doctor-slots.service.js';
import { searchFreeSlots } from '../../src/modules/scheduling/slot-search.service.js';
import { addLocalDays, localDateOf, zonedTimeToUtc } from '../../src/modules/scheduling/slot-generation.js';
import { SlotModel } from '../../src/modules/scheduling/slot.model.js';
import { takeSlot } from '../../src/modules/scheduling/slot.service.js';
import { createStaffAndLogin } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

const TZ = 'Asia/Kolkata';
const DAY_MS = 86_400_000;
const everyDay = (start: string, end: string) => [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start, end }));
const day = (offset: number) => addLocalDays(localDateOf(new Date(), TZ), offset);
const at = (offset: number, time: string) => zonedTimeToUtc(day(offset), time, TZ);

interface SlotJson {
  id: string;
  doctorId: string;
  doctorName: string;
  speciality: string;
  startAt: string;
  endAt: string;
  localDate: string;
  localTime: string;
}

describe('free-slot search by doctor, date and speciality', () => {
  let t: TestApp;
  let admin: SignedInStaff;
  let frontdesk: SignedInStaff;
  const ids: Record<'rao' | 'early' | 'menon' | 'retired', string> = { rao: '', early: '', menon: '', retired: '' };

  const search = async (query: Record<string, string | number>) => {
    const res = await frontdesk.agent.get('/api/v1/slots').query(query);
    expect({ query, status: res.status }).toEqual({ query, status: 200 });
    return res.body.slots as SlotJson[];
  };

  beforeAll(async () => {
    t = await startTestApp('slotsearch');
    [admin, frontdesk] = await Promise.all([createStaffAndLogin(t, ['admin']), createStaffAndLogin(t, ['frontdesk'])]);
    const create = async (name: string, speciality: string, weeklyAvailability: object[]) =>
      (
        await admin.agent
          .post('/api/v1/doctors')
          .send({ name, speciality, consultationFeePaise: 50_000, weeklyAvailability })
      ).body.id as string;
    ids.rao = await create('Dr. Ananya Rao', 'General Medicine', everyDay('09:00', '12:00'));
    // 05:00–06:00 IST is 23:30–00:30 UTC: the range crosses midnight UTC.
    ids.early = await create('Dr. Early Bird', 'General Medicine', everyDay('05:00', '06:00'));
    ids.menon = await create('Dr. Priya Menon', 'Paediatrics', everyDay('16:00', '17:00'));
    ids.retired = await create('Dr. Retired', 'General Medicine', everyDay('09:00', '12:00'));
    await admin.agent.patch(`/api/v1/doctors/${ids.retired}`).send({ active: false });
    // Yesterday's slots exist (as they would after a day passes): search must never offer them.
    await refreshDoctorSlots(admin.actor.clinicId, ids.rao, new Date(Date.now() - DAY_MS));
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds a doctor’s free slots for a clinic-local date, sorted, with names and local times', async () => {
    const slots = await search({ doctorId: ids.rao, date: day(1) });
    expect(slots).toHaveLength(12);
    expect(slots[0]).toMatchObject({
      doctorId: ids.rao,
      doctorName: 'Dr. Ananya Rao',
      speciality: 'General Medicine',
      localDate: day(1),
      localTime: '09:00',
      startAt: at(1, '09:00').toISOString(),
    });
    expect(slots.map((slot) => slot.startAt)).toEqual([...slots.map((slot) => slot.startAt)].sort());
    const viaDoctor = await frontdesk.agent.get(`/api/v1/doctors/${ids.rao}/slots`).query({ date: day(1) });
    expect(viaDoctor.body).toEqual({ timezone: TZ, slots });
  });

  it('never offers past slots and skips taken ones', async () => {
    expect(await SlotModel.countDocuments({ doctorId: ids.rao, localDate: day(-1) })).toBe(12);
    expect(await search({ doctorId: ids.rao, date: day(-1) })).toEqual([]);
    const now = Date.now();
    for (const slot of await search({ doctorId: ids.rao, date: day(0) }))
      expect(Date.parse(slot.startAt)).toBeGreaterThanOrEqual(now - 5_000);
    // A fixed clock: at 10:20 on day 1, only 10:30 onwards is offered.
    const later = await searchFreeSlots(frontdesk.actor, { doctorId: ids.rao, date: day(1) }, at(1, '10:20'));
    expect(later.slots.map((slot) => slot.localTime)).toEqual(['10:30', '10:45', '11:00', '11:15', '11:30', '11:45']);

    const [first] = await search({ doctorId: ids.rao, date: day(2) });
    await takeSlot(admin.actor.clinicId, first!.id, new Types.ObjectId(), 'held');
    const after = await search({ doctorId: ids.rao, date: day(2) });
    expect(after).toHaveLength(11);
    expect(after.map((slot) => slot.id)).not.toContain(first!.id);
  });

  it('resolves a speciality (any letter case) to its active doctors and handles a range crossing midnight UTC', async () => {
    const general = await search({ speciality: 'general medicine', date: day(3) });
    expect(general).toHaveLength(4 + 12);
    expect(new Set(general.map((slot) => slot.doctorId))).toEqual(new Set([ids.early, ids.rao]));
    expect(general.slice(0, 4).map((slot) => slot.localTime)).toEqual(['05:00', '05:15', '05:30', '05:45']);
    // Day 3 05:00 IST is 23:30 UTC on the day before, yet it belongs to local day 3.
    expect(general[0]!.startAt).toBe(`${day(2)}T23:30:00.000Z`);
    expect(general[0]!.localDate).toBe(day(3));
    expect(general[3]!.startAt).toBe(`${day(3)}T00:15:00.000Z`);

    const paediatrics = await search({ speciality: 'PAEDIATRICS', date: day(3) });
    expect(paediatrics.map((slot) => slot.doctorName)).toEqual([
      'Dr. Priya Menon',
      'Dr. Priya Menon',
      'Dr. Priya Menon',
      'Dr. Priya Menon',
    ]);
    expect(await search({ speciality: 'Cardiology' })).toEqual([]);
    expect(await search({ doctorId: ids.menon, speciality: 'General Medicine' })).toEqual([]);
    // An inactive doctor offers nothing, even asked for by id.
    expect(await search({ doctorId: ids.retired })).toEqual([]);
  });

  it('takes windows as instants or local days, and a limit', async () => {
    expect(await search({ doctorId: ids.rao, from: day(4), to: day(5) })).toHaveLength(24);
    const hour = await search({ doctorId: ids.rao, from: `${day(4)}T10:00:00+05:30`, to: `${day(4)}T11:00:00+05:30` });
    expect(hour.map((slot) => slot.localTime)).toEqual(['10:00', '10:15', '10:30', '10:45']);
    const limited = await search({ speciality: 'Paediatrics', limit: 5 });
    expect(limited).toHaveLength(5);
    expect(Date.parse(limited[0]!.startAt)).toBeGreaterThanOrEqual(Date.now() - 5_000);
  });

  it('answers 400 for invalid dates, windows and filters', async () => {
    for (const query of [
      { date: '2030-02-30' },
      { date: 'tomorrow' },
      { from: day(5), to: day(4) },
      { from: 'soon' },
      { limit: 0 },
      { limit: 501 },
      { doctorId: 'dr-rao' },
    ]) {
      const res = await frontdesk.agent.get('/api/v1/slots').query(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await frontdesk.agent.get(`/api/v1/doctors/${ids.rao}/slots`).query({ date: '2030-13-01' })).status).toBe(
      400,
    );
    expect((await frontdesk.agent.get('/api/v1/doctors/nope/slots')).status).toBe(400);
  });
});
