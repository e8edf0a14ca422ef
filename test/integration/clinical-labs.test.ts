import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/platform/actor.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { captureEvents, checkedInAppointment, makeSignedInDoctor, startClinicalApp } from '../helpers/clinical.js';
import type { TestApp } from '../helpers/test-app.js';

interface Test {
  id: string;
  name: string;
  version: number;
}

describe('lab tests: orders, results, abnormal flags and the doctor’s list', () => {
  let t: TestApp;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let doctor: SignedInStaff;
  let otherDoctor: SignedInStaff;
  let doctorId: string;
  let visitId: string;
  let patientId: string;
  let tests: Record<string, Test>;
  const abnormalEvents = captureEvents('lab.abnormal');

  beforeAll(async () => {
    t = await startClinicalApp('clinicallabs');
    system = await testSystemActor();
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    ({ doctorId, login: doctor } = await makeSignedInDoctor(t, system));
    ({ login: otherDoctor } = await makeSignedInDoctor(t, system));
    const appointment = await checkedInAppointment(frontdesk, system, doctorId);
    patientId = appointment.patientId;
    visitId = (await doctor.agent.post(`/api/v1/consults/${appointment.appointmentId}/start`).send({}).expect(200)).body
      .visit.id;
    const ordered = await doctor.agent
      .post(`/api/v1/visits/${visitId}/lab-orders`)
      .send({
        tests: [
          { name: 'Haemoglobin', code: '718-7' },
          { name: 'HbA1c' },
          { name: 'HIV 1/2 antibodies' },
          { name: 'Serum creatinine' },
        ],
      })
      .expect(201);
    tests = Object.fromEntries((ordered.body.items as Test[]).map((test) => [test.name, test]));
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets only the visit’s doctor order tests', async () => {
    await otherDoctor.agent
      .post(`/api/v1/visits/${visitId}/lab-orders`)
      .send({ tests: [{ name: 'TSH' }] })
      .expect(403);
    await frontdesk.agent
      .post(`/api/v1/visits/${visitId}/lab-orders`)
      .send({ tests: [{ name: 'TSH' }] })
      .expect(403);
    expect(Object.values(tests).every((test) => test.version === 0)).toBe(true);
  });

  it('lets the front desk find pending tests and enter results without seeing what they mean', async () => {
    const pending = (await frontdesk.agent.get(`/api/v1/lab-tests/pending?patientId=${patientId}`).expect(200)).body
      .items;
    expect(pending.map((test: { name: string }) => test.name).sort()).toEqual([
      'HIV 1/2 antibodies',
      'Haemoglobin',
      'HbA1c',
      'Serum creatinine',
    ]);
    const receipt = await frontdesk.agent
      .put(`/api/v1/lab-tests/${tests.Haemoglobin!.id}/result`)
      .send({ value: '9.1', unit: 'g/dL', referenceLow: 12, referenceHigh: 15.5, version: 0 })
      .expect(200);
    expect(receipt.body).toEqual({
      id: tests.Haemoglobin!.id,
      status: 'resulted',
      resultedAt: expect.any(String),
      version: 1,
    });
    // Front desk cannot read results back, nor correct them.
    await frontdesk.agent.get(`/api/v1/visits/${visitId}/lab-tests`).expect(403);
    await frontdesk.agent
      .put(`/api/v1/lab-tests/${tests.Haemoglobin!.id}/result`)
      .send({ value: '12.1', version: 1, correctionReason: 'typo' })
      .expect(403);
    // The same entry sent again (a retry after a lost answer) is answered with the same receipt.
    const again = await frontdesk.agent
      .put(`/api/v1/lab-tests/${tests.Haemoglobin!.id}/result`)
      .send({ value: '9.1', unit: 'g/dL', referenceLow: 12, referenceHigh: 15.5, version: 0 })
      .expect(200);
    expect(again.body).toEqual(receipt.body);
    // A change based on the old version is a conflict, not an overwrite.
    const stale = await doctor.agent
      .put(`/api/v1/lab-tests/${tests.Haemoglobin!.id}/result`)
      .send({ value: '9.8', version: 0, correctionReason: 'retyped' })
      .expect(409);
    expect(stale.body).toMatchObject({ reason: 'stale_version', currentVersion: 1 });
  });

  it('flags out-of-range values, records the event and audits it; in-range values raise nothing', async () => {
    expect(abnormalEvents).toEqual([
      { clinicId: system.clinicId, labTestId: tests.Haemoglobin!.id, visitId, patientId, doctorId, flag: 'low' },
    ]);
    expect(
      await AuditEvent.countDocuments({ action: 'lab.abnormal_flagged', 'entity.id': tests.Haemoglobin!.id }),
    ).toBe(1);

    const normal = await doctor.agent
      .put(`/api/v1/lab-tests/${tests.HbA1c!.id}/result`)
      .send({ value: '5.4', unit: '%', referenceHigh: 5.7, version: 0 })
      .expect(200);
    expect(normal.body).toMatchObject({ abnormal: false, result: { value: '5.4', flag: 'normal' } });
    const text = await frontdesk.agent
      .put(`/api/v1/lab-tests/${tests['HIV 1/2 antibodies']!.id}/result`)
      .send({ value: 'Reactive', referenceText: 'Non-reactive', version: 0 })
      .expect(200);
    expect(text.body.status).toBe('resulted');
    const high = await frontdesk.agent
      .put(`/api/v1/lab-tests/${tests['Serum creatinine']!.id}/result`)
      .send({ value: '2.4', unit: 'mg/dL', referenceLow: 0.6, referenceHigh: 1.2, version: 0 })
      .expect(200);
    expect(high.body.version).toBe(1);
    expect(abnormalEvents.map((event) => event.flag)).toEqual(['low', 'abnormal', 'high']);

    const visitTests = (await doctor.agent.get(`/api/v1/visits/${visitId}/lab-tests`).expect(200)).body.items;
    expect(visitTests.find((test: Test) => test.id === tests.Haemoglobin!.id)).toMatchObject({
      abnormal: true,
      result: { value: '9.1', unit: 'g/dL', referenceLow: 12, referenceHigh: 15.5, flag: 'low' },
    });
    const invalid = await doctor.agent
      .put(`/api/v1/lab-tests/${tests.HbA1c!.id}/result`)
      .send({ value: '5', referenceLow: 6, referenceHigh: 4, version: 1, correctionReason: 'x' })
      .expect(400);
    expect(invalid.body.errors).toContainEqual({
      path: 'referenceLow',
      message: 'the reference range low must not be above high',
    });
  });

  it('lists the doctor’s abnormal results unacknowledged first, and acknowledges them', async () => {
    const list = async () =>
      (await doctor.agent.get('/api/v1/lab-tests/abnormal').expect(200)).body.items as (Test & {
        acknowledgedAt?: string;
      })[];
    expect((await list()).map((test) => test.name)).toEqual(['Serum creatinine', 'HIV 1/2 antibodies', 'Haemoglobin']);
    expect((await otherDoctor.agent.get('/api/v1/lab-tests/abnormal').expect(200)).body.items).toEqual([]);
    await frontdesk.agent.get('/api/v1/lab-tests/abnormal').expect(403);

    await otherDoctor.agent.post(`/api/v1/lab-tests/${tests.Haemoglobin!.id}/acknowledge`).expect(403);
    const acknowledged = await doctor.agent.post(`/api/v1/lab-tests/${tests.Haemoglobin!.id}/acknowledge`).expect(200);
    expect(acknowledged.body.acknowledgedAt).toEqual(expect.any(String));
    await doctor.agent.post(`/api/v1/lab-tests/${tests.Haemoglobin!.id}/acknowledge`).expect(200);
    expect(
      await AuditEvent.countDocuments({ action: 'lab.abnormal_acknowledged', 'entity.id': tests.Haemoglobin!.id }),
    ).toBe(1);
    expect((await doctor.agent.post(`/api/v1/lab-tests/${tests.HbA1c!.id}/acknowledge`).expect(409)).body.reason).toBe(
      'not_abnormal',
    );

    const after = await list();
    expect(after.map((test) => [test.name, Boolean(test.acknowledgedAt)])).toEqual([
      ['Serum creatinine', false],
      ['HIV 1/2 antibodies', false],
      ['Haemoglobin', true],
    ]);
    expect(
      (await doctor.agent.get('/api/v1/lab-tests/abnormal?acknowledged=exclude').expect(200)).body.items,
    ).toHaveLength(2);
    expect(await AuditEvent.countDocuments({ action: 'lab.abnormal_listed', 'actor.id': doctor.staff.id })).toBe(3);
  });

  it('lets the ordering doctor correct a result with a reason, keeping the earlier one', async () => {
    const id = tests['Serum creatinine']!.id;
    expect(
      (
        await doctor.agent
          .put(`/api/v1/lab-tests/${id}/result`)
          .send({ value: '1.0', referenceLow: 0.6, referenceHigh: 1.2, version: 1 })
          .expect(422)
      ).body.reason,
    ).toBe('correction_reason_required');
    await otherDoctor.agent
      .put(`/api/v1/lab-tests/${id}/result`)
      .send({ value: '1.0', version: 1, correctionReason: 'wrong patient' })
      .expect(403);
    const corrected = await doctor.agent
      .put(`/api/v1/lab-tests/${id}/result`)
      .send({
        value: '1.0',
        unit: 'mg/dL',
        referenceLow: 0.6,
        referenceHigh: 1.2,
        version: 1,
        correctionReason: 'Report was for another patient',
      })
      .expect(200);
    expect(corrected.body).toMatchObject({
      abnormal: false,
      corrections: 1,
      version: 2,
      result: { value: '1.0', flag: 'normal' },
    });
    expect(await AuditEvent.countDocuments({ action: 'lab.result_corrected', 'entity.id': id })).toBe(1);
    expect(
      (await doctor.agent.get('/api/v1/lab-tests/abnormal?acknowledged=exclude').expect(200)).body.items.map(
        (test: Test) => test.name,
      ),
    ).toEqual(['HIV 1/2 antibodies']);
  });
});
