import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import mongoose from 'mongoose';
import { createLogger, setRootLogger } from '../../src/platform/logger.js';
import type { Actor } from '../../src/platform/actor.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { checkedInAppointment, makeSignedInDoctor, startClinicalApp } from '../helpers/clinical.js';
import type { TestApp } from '../helpers/test-app.js';

// Distinctive clinical text in every encrypted field, so a leak anywhere is unmistakable.
const TEXT = {
  complaint: 'xq-complaint cannot stop hiccuping',
  subjective: 'xq-subjective hiccups for nine days',
  objective: 'xq-objective diaphragm flutter seen',
  assessment: 'xq-assessment intractable singultus',
  plan: 'xq-plan start baclofen trial',
  diagnosis: 'xq-diagnosis persistent hiccups',
  followUp: 'xq-followup return in one week',
  addendum: 'xq-addendum chest film unremarkable',
  addendumReason: 'xq-reason film reported late',
  medicine: 'xq-medicine Baclofen',
  instructions: 'xq-instructions take with warm water',
  advice: 'xq-advice avoid carbonated drinks',
  goal: 'xq-goal smaller meals',
  food: 'xq-food ginger tea',
  dietNote: 'xq-dietnote eat slowly',
  labName: 'xq-lab serum magnesium',
  labValue: 'xq-value 0.42 low',
  labReference: 'xq-reference within limits',
  dispensingNote: 'xq-dispensing strip of ten given',
  breakGlass: 'xq-breakglass colleague on leave needs history',
};
const NEEDLES = Object.values(TEXT);

function leaks(text: string): string[] {
  return NEEDLES.filter((needle) => text.toLowerCase().includes(needle.toLowerCase()));
}

describe('clinical privacy: no clinical text in stored documents or in logs', () => {
  let t: TestApp;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let doctor: SignedInStaff;
  let pharmacy: SignedInStaff;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await startClinicalApp('clinicalprivacy');
    system = await testSystemActor();
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    pharmacy = await createStaffAndLogin(t, ['pharmacy']);
    const { doctorId, login } = await makeSignedInDoctor(t, system);
    doctor = login;
    // Everything from here on is logged at the most verbose level and kept.
    setRootLogger(
      createLogger(
        'trace',
        new Writable({
          write(chunk, _encoding, done) {
            logLines.push(chunk.toString());
            done();
          },
        }),
      ),
    );

    const { appointmentId, patientId } = await checkedInAppointment(frontdesk, system, doctorId);
    const agent = doctor.agent;
    const visitId = (await agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit.id;
    await agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({
        version: 0,
        chiefComplaint: TEXT.complaint,
        soap: { subjective: TEXT.subjective, objective: TEXT.objective, assessment: TEXT.assessment, plan: TEXT.plan },
        diagnoses: [{ text: TEXT.diagnosis, icd10: 'R06.6' }],
        followUp: { advice: TEXT.followUp, inDays: 7 },
        vitals: { pulseBpm: 77, temperatureC: 36.8 },
      })
      .expect(200);
    // A stale save and invalid input go through the error paths too.
    await agent.put(`/api/v1/visits/${visitId}/draft`).send({ version: 0, chiefComplaint: TEXT.complaint }).expect(409);
    await agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 1, diagnoses: [{ text: TEXT.diagnosis, icd10: 'not-a-code' }] })
      .expect(400);
    await agent.post(`/api/v1/visits/${visitId}/sign`).send({ version: 1 }).expect(200);
    await agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 2, soap: { plan: TEXT.plan } })
      .expect(409);
    await agent
      .post(`/api/v1/visits/${visitId}/addenda`)
      .send({ text: TEXT.addendum, reason: TEXT.addendumReason })
      .expect(201);
    const rx = (
      await agent
        .post(`/api/v1/visits/${visitId}/prescriptions`)
        .send({
          items: [
            {
              medicine: TEXT.medicine,
              strength: '10 mg',
              dose: '1 tablet',
              frequency: '1-1-1',
              duration: '5 days',
              instructions: TEXT.instructions,
            },
          ],
          advice: TEXT.advice,
        })
        .expect(201)
    ).body;
    await agent
      .post(`/api/v1/visits/${visitId}/diet-plans`)
      .send({ goal: TEXT.goal, prefer: [TEXT.food], notes: TEXT.dietNote })
      .expect(201);
    const lab = (
      await agent
        .post(`/api/v1/visits/${visitId}/lab-orders`)
        .send({ tests: [{ name: TEXT.labName }] })
        .expect(201)
    ).body.items[0];
    await frontdesk.agent
      .put(`/api/v1/lab-tests/${lab.id}/result`)
      .send({ value: TEXT.labValue, referenceText: TEXT.labReference, version: 0 })
      .expect(200);
    await pharmacy.agent
      .post(`/api/v1/prescriptions/${rx.id}/dispensings`)
      .send({ items: [{ itemId: rx.items[0].id, status: 'partial', quantity: 10 }], note: TEXT.dispensingNote })
      .expect(201);
    const { login: stranger } = await makeSignedInDoctor(t, system);
    await stranger.agent
      .post(`/api/v1/clinical-history/${patientId}/break-glass`)
      .send({ reason: TEXT.breakGlass })
      .expect(201);

    // Every read path, so their logging is covered too.
    for (const path of [
      `/api/v1/visits/${visitId}`,
      `/api/v1/visits/${visitId}/bundle`,
      `/api/v1/clinical-history/${patientId}`,
      `/api/v1/prescriptions/${rx.id}/pdf`,
      `/api/v1/lab-tests/abnormal`,
      `/api/v1/visits/${visitId}/verify`,
    ]) {
      await agent.get(path).expect(200);
    }
    await complete(agent, appointmentId);
  });
  afterAll(async () => {
    await t.close();
  });

  async function complete(agent: SignedInStaff['agent'], appointmentId: string): Promise<void> {
    await agent.post(`/api/v1/consults/${appointmentId}/complete`).send({}).expect(200);
  }

  it('reads the clinical text back through the API (so the needles are really there)', async () => {
    const history = (await doctor.agent.get('/api/v1/lab-tests/abnormal').expect(200)).body;
    expect(leaks(JSON.stringify(history))).toEqual(
      expect.arrayContaining([TEXT.labName, TEXT.labValue, TEXT.labReference]),
    );
  });

  it('stores no clinical text in any collection (native driver, every document)', async () => {
    const db = mongoose.connection.db!;
    const collections = (await db.listCollections().toArray()).map((collection) => collection.name);
    expect(collections).toEqual(
      expect.arrayContaining([
        'visits',
        'prescriptions',
        'diet_plans',
        'lab_tests',
        'dispensings',
        'break_glass_grants',
        'audit_events',
      ]),
    );
    for (const name of collections) {
      const documents = await db.collection(name).find({}).toArray();
      expect({ name, leaks: leaks(JSON.stringify(documents)) }).toEqual({ name, leaks: [] });
    }
    const visit = await db.collection('visits').findOne({ status: 'signed' });
    expect(visit!.soap.assessment).toMatch(/^enc:v1:/);
    expect(visit!.addenda[0].text).toMatch(/^enc:v1:/);
  });

  it('logs no clinical text at trace level', () => {
    expect(logLines.length).toBeGreaterThan(20);
    expect(leaks(logLines.join('\n'))).toEqual([]);
  });
});
