import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { Staff } from '../../src/modules/auth/staff.model.js';
import { getClinic } from '../../src/modules/clinics/clinic.service.js';
import { seedDemoClinic } from '../../src/modules/doctors/demo-seed.js';
import type { DemoAccount, DemoSeedResult } from '../../src/modules/doctors/demo-seed.js';
import { Doctor } from '../../src/modules/doctors/doctor.model.js';
import { SlotModel } from '../../src/modules/scheduling/slot.model.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

async function seedOnce(t: TestApp): Promise<{ result: DemoSeedResult; output: string }> {
  const out = new PassThrough();
  let output = '';
  out.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const result = await seedDemoClinic(t.runtime, out);
  return { result, output };
}

describe('the sandbox demo clinic seed', () => {
  let t: TestApp;
  let printed: DemoAccount[] = [];
  beforeAll(async () => {
    t = await startTestApp('demoseed');
  });
  afterAll(async () => {
    await t.close();
  });

  it('does nothing outside sandbox mode', async () => {
    const production = { ...t.runtime, config: { ...t.runtime.config, sandbox: false } };
    expect(await seedDemoClinic(production, new PassThrough())).toEqual({
      seeded: false,
      reason: 'not_sandbox',
      accounts: [],
    });
    expect(await Doctor.countDocuments({})).toBe(0);
  });

  it('seeds three doctors in two specialities with accounts and slots once, even when two runs race', async () => {
    const [first, second] = await Promise.all([seedOnce(t), seedOnce(t)]);
    const accounts = [...first.result.accounts, ...second.result.accounts];
    printed = accounts;
    expect(accounts.map((account) => account.email).sort()).toEqual([
      'ananya.rao@demo.cinic.local',
      'frontdesk@demo.cinic.local',
      'priya.menon@demo.cinic.local',
      'vikram.shetty@demo.cinic.local',
    ]);
    const clinicId = (first.result.clinicId ?? second.result.clinicId)!;
    const doctors = await Doctor.find({ clinicId }).sort({ name: 1 }).lean();
    expect(doctors.map((doctor) => [doctor.name, doctor.speciality, doctor.consultationFeePaise])).toEqual([
      ['Dr. Ananya Rao', 'General Medicine', 50_000],
      ['Dr. Priya Menon', 'Paediatrics', 60_000],
      ['Dr. Vikram Shetty', 'General Medicine', 40_000],
    ]);
    // Each doctor signs in through their own account, linked both ways; Sundays are off.
    for (const doctor of doctors) {
      const staff = await Staff.findOne({ _id: doctor.staffId, clinicId }).lean();
      expect({ roles: staff!.roles, doctorId: String(staff!.doctorId) }).toEqual({
        roles: ['doctor'],
        doctorId: String(doctor._id),
      });
      expect(doctor.weeklyAvailability.some((range) => range.weekday === 0)).toBe(false);
      expect(await SlotModel.countDocuments({ doctorId: doctor._id, status: 'free' })).toBeGreaterThan(50);
    }
    const clinic = await getClinic(clinicId);
    expect(clinic).toMatchObject({
      name: 'CINIC Demo Clinic, Bengaluru',
      stateCode: '29',
      gstin: '29AAHCC1234E1ZZ',
      address: { city: 'Bengaluru', pincode: '560025' },
    });
    // A prepayment clinic, so the sandbox shows the whole money flow.
    expect(clinic.scheduling).toMatchObject({ prepaymentRequired: true, prepaymentPaise: 20_000 });

    // Every password is printed exactly once, in one `role email password name` line.
    const output = first.output + second.output;
    for (const account of accounts) {
      expect(output.split(account.password)).toHaveLength(2);
      expect(output).toMatch(
        new RegExp(
          `^  ${account.role} +${account.email.replace(/\./g, '\\.')} +${account.password.replace(/[-]/g, '\\-')}  `,
          'm',
        ),
      );
    }

    const slots = await SlotModel.countDocuments({ clinicId });
    const again = await seedOnce(t);
    expect(again.result).toEqual({ seeded: false, reason: 'has_doctors', clinicId, accounts: [] });
    expect(again.output).toBe('');
    expect(await Doctor.countDocuments({ clinicId })).toBe(3);
    expect(await SlotModel.countDocuments({ clinicId })).toBe(slots);
  });

  it('lets a demo doctor sign in at once with a doctorId and a demo front desk find slots by speciality', async () => {
    // The demo accounts' first device is trusted: no admin approval needed in the sandbox.
    const signIn = async (email: string) => {
      const account = printed.find((candidate) => candidate.email === email)!;
      const agent = supertest.agent(t.app);
      const res = await agent.post('/api/v1/auth/login').send({ email, password: account.password });
      expect(res.body.session.state).toBe('active');
      return { agent, me: (await agent.get('/api/v1/auth/me')).body };
    };
    const doctor = await signIn('priya.menon@demo.cinic.local');
    const menon = await Doctor.findOne({ name: 'Dr. Priya Menon' }).lean();
    expect(doctor.me.staff.doctorId).toBe(String(menon!._id));
    expect(
      (
        await doctor.agent.put(`/api/v1/doctors/${String(menon!._id)}/availability`).send({
          weeklyAvailability: menon!.weeklyAvailability.map(({ weekday, start, end }) => ({ weekday, start, end })),
        })
      ).status,
    ).toBe(200);

    const frontdesk = await signIn('frontdesk@demo.cinic.local');
    const specialities = await frontdesk.agent.get('/api/v1/specialities');
    expect(specialities.body.specialities).toEqual([
      { name: 'General Medicine', doctors: 2 },
      { name: 'Paediatrics', doctors: 1 },
    ]);
    const slots = await frontdesk.agent.get('/api/v1/slots').query({ speciality: 'Paediatrics', limit: 3 });
    expect(slots.body.slots).toHaveLength(3);
    expect(slots.body.slots[0]).toMatchObject({ doctorName: 'Dr. Priya Menon', speciality: 'Paediatrics' });
  });
});
