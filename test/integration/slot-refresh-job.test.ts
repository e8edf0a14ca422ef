import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Doctor } from '../../src/modules/doctors/doctor.model.js';
import {
  SLOT_REFRESH_CRON,
  SLOT_REFRESH_QUEUE,
  scheduleSlotRefresh,
} from '../../src/modules/doctors/slot-refresh.queue.js';
import { localDateOf } from '../../src/modules/scheduling/slot-generation.js';
import { SlotModel } from '../../src/modules/scheduling/slot.model.js';
import { ensureDefaultClinic } from '../../src/modules/clinics/clinic.service.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the slots-daily job through BullMQ workers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('slotsdaily', { workers: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('installs one daily schedule and one boot run per day, which fills every active doctor’s horizon', async () => {
    const clinic = await ensureDefaultClinic();
    // Written straight to the model, as if slots had never been generated (e.g. data restored from a backup).
    const doctor = await Doctor.create({
      clinicId: clinic.id,
      name: 'Dr. Backfill',
      speciality: 'General Medicine',
      consultationFeePaise: 50_000,
      weeklyAvailability: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '09:00', end: '10:00' })),
    });
    expect(await SlotModel.countDocuments({ doctorId: doctor._id })).toBe(0);

    await Promise.all([scheduleSlotRefresh(t.runtime), scheduleSlotRefresh(t.runtime)]);
    await waitFor(async () => (await SlotModel.countDocuments({ doctorId: doctor._id })) === 14 * 4);

    const queue = t.runtime.queues.queue(SLOT_REFRESH_QUEUE);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: SLOT_REFRESH_QUEUE, pattern: SLOT_REFRESH_CRON, tz: 'Asia/Kolkata' });
    const bootJob = await queue.getJob(`slots-boot-${localDateOf(new Date(), 'Asia/Kolkata')}`);
    await waitFor(async () => (await bootJob!.getState()) === 'completed');
    expect((await queue.getJobCounts('completed')).completed).toBe(1);

    // A restart the same day queues nothing new.
    await scheduleSlotRefresh(t.runtime);
    expect((await queue.getJobCounts('waiting', 'active', 'completed')).completed).toBe(1);
    expect(await SlotModel.countDocuments({ doctorId: doctor._id })).toBe(14 * 4);
  });
});
