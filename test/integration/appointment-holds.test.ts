import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { APPOINTMENT_TIMERS_QUEUE, runTimerJob } from '../../src/modules/appointments/appointment.timers.js';
import { updateSchedulingSettings } from '../../src/modules/clinics/clinic.service.js';
import { SlotModel } from '../../src/modules/scheduling/slot.model.js';
import type { Actor } from '../../src/platform/actor.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { inMinutes, makeDoctor, makePatient, makeSlot } from '../helpers/scheduling.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

describe('prepayment holds', () => {
  let t: TestApp;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let accounts: SignedInStaff;
  let doctorId: string;

  beforeAll(async () => {
    t = await startTestApp('holds', { workers: true });
    system = await testSystemActor();
    await updateSchedulingSettings(system, { prepaymentRequired: true, prepaymentPaise: 50_000, holdMinutes: 15 });
    doctorId = await makeDoctor(system);
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    accounts = await createStaffAndLogin(t, ['accounts']);
  });
  afterAll(async () => {
    await t.close();
  });

  const queue = () => t.runtime.queues.queue(APPOINTMENT_TIMERS_QUEUE);
  const book = async (slotId: string) => {
    const patient = await makePatient(system);
    return frontdesk.agent.post('/api/v1/appointments').send({ patientId: patient.id, slotId });
  };
  const lapse = (id: string) =>
    Appointment.updateOne({ _id: id }, { $set: { holdExpiresAt: new Date(Date.now() - 1000) } });

  it('books tentative with a hold, a held slot and a delayed expiry job', async () => {
    const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(600));
    const res = await (await book(slotId)).body;
    expect(res).toMatchObject({ status: 'tentative', prepaymentPaise: 50_000, paidPaise: 0 });
    const holdMs = new Date(res.holdExpiresAt).getTime() - Date.now();
    expect(holdMs).toBeGreaterThan(14 * 60_000);
    expect(holdMs).toBeLessThanOrEqual(15 * 60_000);
    expect(await SlotModel.findById(slotId).lean()).toMatchObject({ status: 'held' });
    const job = await queue().getJob(`hold-${res.id}`);
    expect(job?.name).toBe('expire-hold');
    expect(job?.data).toEqual({ clinicId: system.clinicId, appointmentId: res.id });
    expect(await job?.getState()).toBe('delayed');
  });

  it('confirms a hold paid at the counter: the slot is booked and a no-show timer replaces the hold timer', async () => {
    const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(700));
    const id = (await book(slotId)).body.id;
    const res = await accounts.agent
      .post(`/api/v1/appointments/${id}/confirm`)
      .send({ reason: 'paid cash at desk' })
      .expect(200);
    expect(res.body.appointment.status).toBe('confirmed');
    expect(await SlotModel.findById(slotId).lean()).toMatchObject({ status: 'booked' });
    expect(await queue().getJob(`hold-${id}`)).toBeUndefined();
    expect(await (await queue().getJob(`noshow-${id}`))?.getState()).toBe('delayed');
    // Accounts may confirm, but the lifecycle does not let accounts cancel.
    await accounts.agent.post(`/api/v1/appointments/${id}/cancel`).send({}).expect(403);
  });

  it('releases a lapsed hold exactly once, through the real worker, and a retried job changes nothing', async () => {
    const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(800));
    const id = (await book(slotId)).body.id;
    await lapse(id);
    await (await queue().getJob(`hold-${id}`))!.changeDelay(0);
    for (let i = 0; i < 100 && (await Appointment.findById(id).lean())!.status !== 'cancelled'; i++)
      await new Promise((r) => setTimeout(r, 100));
    const expired = await Appointment.findById(id).lean();
    expect(expired).toMatchObject({
      status: 'cancelled',
      cancellation: { refundReason: 'hold_expired', refundDuePaise: 0 },
    });
    expect(expired!.history.at(-1)).toMatchObject({ event: 'EXPIRE_HOLD', by: { type: 'system', id: 'worker:holds' } });
    expect(await SlotModel.findById(slotId).lean()).toMatchObject({ status: 'free' });
    expect(await runTimerJob({ name: 'expire-hold', data: { clinicId: system.clinicId, appointmentId: id } })).toBe(
      'skipped:illegal_event',
    );
  });

  it('does not release a hold before it lapses (the job is retried later)', async () => {
    const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(900));
    const id = (await book(slotId)).body.id;
    await expect(
      runTimerJob({ name: 'expire-hold', data: { clinicId: system.clinicId, appointmentId: id } }),
    ).rejects.toMatchObject({ status: 422 });
    expect((await Appointment.findById(id).lean())!.status).toBe('tentative');
  });

  it('never gives one slot to two patients when a hold lapses while someone else books it', async () => {
    for (let round = 0; round < 8; round++) {
      const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(1000 + round * 15));
      const held = (await book(slotId)).body.id;
      await lapse(held);
      const [, second] = await Promise.all([
        runTimerJob({ name: 'expire-hold', data: { clinicId: system.clinicId, appointmentId: held } }),
        book(slotId),
      ]);
      expect([201, 409]).toContain(second.status);
      const active = await Appointment.find({ slotId, status: { $in: ['tentative', 'confirmed'] } }).lean();
      const slot = await SlotModel.findById(slotId).lean();
      expect(active.length).toBeLessThanOrEqual(1);
      if (second.status === 201) {
        expect(active.map((doc) => String(doc._id))).toEqual([second.body.id]);
        expect(slot).toMatchObject({ status: 'held' });
      } else {
        expect(active).toHaveLength(0);
        expect(slot).toMatchObject({ status: 'free' });
      }
    }
  });
});
