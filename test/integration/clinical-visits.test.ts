import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { Visit } from '../../src/modules/clinical/visit.model.js';
import type { Actor } from '../../src/platform/actor.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { captureEvents, checkedInAppointment, makeSignedInDoctor, startClinicalApp } from '../helpers/clinical.js';
import type { TestApp } from '../helpers/test-app.js';

const NOTE = {
  chiefComplaint: 'Fever and sore throat for three days',
  soap: {
    subjective: 'Fever up to 101 F, odynophagia, no cough',
    objective: 'Tonsils enlarged with exudate, tender anterior cervical nodes',
    assessment: 'Acute tonsillopharyngitis, likely streptococcal',
    plan: 'Amoxicillin for 10 days, warm saline gargles, review if not better in 3 days',
  },
  diagnoses: [{ text: 'Streptococcal tonsillitis', icd10: 'j03.0' }],
  followUp: { advice: 'Return if breathing difficulty or drooling', inDays: 3 },
};

describe('visits: from check-in to completion through the API', () => {
  let t: TestApp;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let doctor: SignedInStaff;
  let doctorId: string;
  const completed = captureEvents('visit.completed');
  const signedEvents = captureEvents('visit.signed');

  beforeAll(async () => {
    t = await startClinicalApp('clinicalvisits');
    system = await testSystemActor();
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    ({ doctorId, login: doctor } = await makeSignedInDoctor(t, system, 'Dr Kavya Menon'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs checked_in → in_consult → completed with a draft, vitals, sign-off, an addendum and the completion event', async () => {
    const { appointmentId, patientId } = await checkedInAppointment(frontdesk, system, doctorId);
    // The check-in opened the visit (once, however often it is asked for).
    expect(await Visit.countDocuments({ appointmentId })).toBe(1);
    const shell = await frontdesk.agent.post('/api/v1/visits').send({ appointmentId }).expect(200);
    expect(shell.body).toEqual(expect.objectContaining({ appointmentId, patientId, doctorId, status: 'draft' }));
    expect(shell.body.soap).toBeUndefined();
    expect(await Visit.countDocuments({ appointmentId })).toBe(1);

    const started = await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200);
    expect(started.body.appointment.status).toBe('in_consult');
    expect(started.body.visit).toMatchObject({ id: shell.body.id, status: 'draft', version: 0 });
    expect(started.body.patient).toMatchObject({ id: patientId, allergies: [], conditions: [] });
    // Starting again (a double tap on a tablet) is answered, not refused.
    await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200);
    const visitId = started.body.visit.id as string;

    const vitals = await doctor.agent
      .put(`/api/v1/visits/${visitId}/vitals`)
      .send({
        version: 0,
        vitals: {
          heightCm: 170,
          weightKg: 72.5,
          temperatureC: 38.4,
          pulseBpm: 104,
          bpSystolic: 118,
          bpDiastolic: 76,
          spo2Percent: 98,
          respiratoryRate: 18,
        },
      })
      .expect(200);
    expect(vitals.body).toMatchObject({ version: 1, vitals: { bmi: 25.1, temperatureC: 38.4 } });

    const draft = await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 1, ...NOTE })
      .expect(200);
    expect(draft.body.version).toBe(2);

    // Cannot complete before sign-off: the note must be finished first.
    const early = await doctor.agent.post(`/api/v1/consults/${appointmentId}/complete`).send({}).expect(422);
    expect(early.body.reason).toBe('note_not_signed');

    const signed = await doctor.agent.post(`/api/v1/visits/${visitId}/sign`).send({ version: 2 }).expect(200);
    expect(signed.body).toMatchObject({
      status: 'signed',
      version: 3,
      chiefComplaint: NOTE.chiefComplaint,
      diagnoses: [{ text: 'Streptococcal tonsillitis', icd10: 'J03.0' }],
      signature: {
        signer: { doctorId, name: 'Dr Kavya Menon', registrationNumber: expect.stringMatching(/^KMC-/) },
        contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        hashVersion: 1,
      },
    });
    expect(signedEvents.some((event) => event.visitId === visitId)).toBe(true);

    const addition = {
      text: 'Throat swab culture grew group A streptococcus',
      reason: 'Culture result arrived after sign-off',
    };
    const addendum = await doctor.agent.post(`/api/v1/visits/${visitId}/addenda`).send(addition).expect(201);
    expect(addendum.body).toMatchObject({
      seq: 1,
      author: { doctorId },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // A double submit is answered with the addendum already made, not appended twice.
    expect((await doctor.agent.post(`/api/v1/visits/${visitId}/addenda`).send(addition).expect(201)).body).toEqual(
      addendum.body,
    );

    const done = await doctor.agent.post(`/api/v1/consults/${appointmentId}/complete`).send({}).expect(200);
    expect(done.body).toMatchObject({ appointment: { status: 'completed' }, visitId });
    expect(completed).toContainEqual({ clinicId: system.clinicId, appointmentId, visitId, doctorId, patientId });
    expect((await Appointment.findById(appointmentId).lean())!.status).toBe('completed');

    const verified = await doctor.agent.get(`/api/v1/visits/${visitId}/verify`).expect(200);
    expect(verified.body).toMatchObject({
      ok: true,
      note: { match: true },
      addenda: [{ seq: 1, match: true, chained: true }],
    });

    const read = await doctor.agent.get(`/api/v1/visits/${visitId}`).expect(200);
    expect(read.body.addenda).toHaveLength(1);
    expect(read.body.soap).toEqual(NOTE.soap);
  });

  it('documents the clinical API in the OpenAPI document', async () => {
    const paths = (await t.http.get('/api/openapi.json').expect(200)).body.paths;
    for (const [path, method] of [
      ['/api/v1/consults/{appointmentId}/start', 'post'],
      ['/api/v1/consults/{appointmentId}/complete', 'post'],
      ['/api/v1/visits/{visitId}/draft', 'put'],
      ['/api/v1/visits/{visitId}/vitals', 'put'],
      ['/api/v1/visits/{visitId}/sign', 'post'],
      ['/api/v1/visits/{visitId}/addenda', 'post'],
      ['/api/v1/visits/{visitId}/verify', 'get'],
      ['/api/v1/clinical-history/{patientId}', 'get'],
      ['/api/v1/clinical-history/{patientId}/break-glass', 'post'],
      ['/api/v1/visits/{visitId}/prescriptions', 'post'],
      ['/api/v1/prescriptions/{prescriptionId}/pdf', 'get'],
      ['/api/v1/prescriptions/{prescriptionId}/dispensings', 'post'],
      ['/api/v1/visits/{visitId}/diet-plans', 'post'],
      ['/api/v1/visits/{visitId}/lab-orders', 'post'],
      ['/api/v1/lab-tests/{labTestId}/result', 'put'],
      ['/api/v1/lab-tests/abnormal', 'get'],
      ['/api/v1/lab-tests/{labTestId}/acknowledge', 'post'],
    ] as const) {
      expect({ path, method, documented: Boolean(paths[path]?.[method]) }).toEqual({ path, method, documented: true });
    }
    expect(
      paths['/api/v1/visits/{visitId}/draft'].put.requestBody.content['application/json'].schema.properties.version,
    ).toMatchObject({ type: 'integer' });
  });

  it('opens the visit on demand when the doctor opens an appointment whose visit is missing', async () => {
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId);
    // As if the check-in handler had failed: the native driver bypasses the model's refusal to delete.
    await Visit.collection.deleteOne({ appointmentId: new (await import('mongoose')).Types.ObjectId(appointmentId) });
    const bundle = await doctor.agent.get(`/api/v1/consults/${appointmentId}`).expect(200);
    expect(bundle.body.visit).toMatchObject({ appointmentId, status: 'draft' });
    expect(await Visit.countDocuments({ appointmentId })).toBe(1);
  });

  it('saves drafts optimistically: stale versions get 409 with the current one, a replayed save is answered, a no-op writes nothing', async () => {
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    const first = { version: 0, chiefComplaint: 'Headache', soap: { subjective: 'Frontal headache since morning' } };
    expect((await doctor.agent.put(`/api/v1/visits/${visitId}/draft`).send(first).expect(200)).body.version).toBe(1);
    // The same request again (a retry after a lost answer): same answer, no second write.
    expect((await doctor.agent.put(`/api/v1/visits/${visitId}/draft`).send(first).expect(200)).body.version).toBe(1);
    // A second tab still on version 0 with other content: refused with the current version.
    const stale = await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 0, chiefComplaint: 'Migraine' })
      .expect(409);
    expect(stale.body).toMatchObject({ reason: 'stale_version', currentVersion: 1 });
    // Saving what is already stored does not bump the version.
    expect(
      (
        await doctor.agent
          .put(`/api/v1/visits/${visitId}/draft`)
          .send({ version: 1, chiefComplaint: 'Headache' })
          .expect(200)
      ).body.version,
    ).toBe(1);
    // Partial saves keep the rest; null clears a part.
    await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 1, soap: { assessment: 'Tension-type headache' }, chiefComplaint: null })
      .expect(200);
    const visit = (await doctor.agent.get(`/api/v1/visits/${visitId}`).expect(200)).body;
    expect(visit).toMatchObject({
      version: 2,
      chiefComplaint: null,
      soap: { subjective: 'Frontal headache since morning', assessment: 'Tension-type headache' },
    });
    expect(await AuditEvent.countDocuments({ action: 'visit.draft_saved', 'entity.id': visitId })).toBe(2);
  });

  it('refuses implausible vitals and malformed diagnoses with readable messages', async () => {
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    const bad = await doctor.agent
      .put(`/api/v1/visits/${visitId}/vitals`)
      .send({
        version: 0,
        vitals: { temperatureC: 98.6, pulseBpm: 400, bpSystolic: 80, bpDiastolic: 90, spo2Percent: 101, heightCm: 1.7 },
      })
      .expect(400);
    const messages = (bad.body.errors as { path: string; message: string }[]).map(
      (error) => `${error.path}: ${error.message}`,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        'vitals.temperatureC: temperature looks like °F; enter it in °C (98.6 °F is 37 °C)',
        'vitals.pulseBpm: pulse must be at most 250 beats/min',
        'vitals.spo2Percent: SpO2 must be at most 100%',
        'vitals.heightCm: height must be at least 30 cm',
      ]),
    );
    const bp = await doctor.agent
      .put(`/api/v1/visits/${visitId}/vitals`)
      .send({ version: 0, vitals: { bpSystolic: 80, bpDiastolic: 90 } })
      .expect(400);
    expect(bp.body.errors).toContainEqual({
      path: 'vitals.bpDiastolic',
      message: 'diastolic blood pressure must be lower than systolic',
    });
    const icd = await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 0, diagnoses: [{ text: 'Asthma', icd10: 'asthma' }] })
      .expect(400);
    expect(icd.body.errors).toContainEqual({
      path: 'diagnoses.0.icd10',
      message: 'must be an ICD-10 code such as J06.9 or E11',
    });
    await doctor.agent
      .put(`/api/v1/visits/${visitId}/vitals`)
      .send({ version: 0, vitals: { bmi: 22 } })
      .expect(400);
    // Nothing was stored.
    expect((await doctor.agent.get(`/api/v1/visits/${visitId}`).expect(200)).body).toMatchObject({
      version: 0,
      vitals: null,
    });
  });

  it('refuses every change to a signed note through the API', async () => {
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 0, ...NOTE })
      .expect(200);
    await doctor.agent.post(`/api/v1/visits/${visitId}/sign`).send({ version: 0 }).expect(409);
    const signed = await doctor.agent.post(`/api/v1/visits/${visitId}/sign`).send({ version: 1 }).expect(200);
    const hash = signed.body.signature.contentHash as string;
    // A retried sign-off is answered with the signed note; signing again later is a conflict.
    expect(
      (await doctor.agent.post(`/api/v1/visits/${visitId}/sign`).send({ version: 1 }).expect(200)).body.signature
        .contentHash,
    ).toBe(hash);
    expect(
      (await doctor.agent.post(`/api/v1/visits/${visitId}/sign`).send({ version: 2 }).expect(409)).body.reason,
    ).toBe('already_signed');

    for (const version of [1, 2]) {
      const res = await doctor.agent
        .put(`/api/v1/visits/${visitId}/draft`)
        .send({ version, soap: { assessment: 'Changed my mind' } })
        .expect(409);
      expect(res.body.reason).toBe('record_locked');
    }
    expect(
      (
        await doctor.agent
          .put(`/api/v1/visits/${visitId}/vitals`)
          .send({ version: 2, vitals: { pulseBpm: 80 } })
          .expect(409)
      ).body.reason,
    ).toBe('record_locked');
    await doctor.agent.put(`/api/v1/visits/${visitId}/draft`).send({ version: 2, chiefComplaint: null }).expect(409);
    await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 2, signedAt: new Date().toISOString() })
      .expect(400);
    await doctor.agent.put(`/api/v1/visits/${visitId}/draft`).send({ version: 2, status: 'draft' }).expect(400);

    const after = (await doctor.agent.get(`/api/v1/visits/${visitId}`).expect(200)).body;
    expect(after).toMatchObject({ status: 'signed', version: 2, soap: NOTE.soap, signature: { contentHash: hash } });
    expect((await doctor.agent.get(`/api/v1/visits/${visitId}/verify`).expect(200)).body.ok).toBe(true);
  });

  it('refuses an addendum on a draft, an empty sign-off and completion by another doctor', async () => {
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    expect(
      (await doctor.agent.post(`/api/v1/visits/${visitId}/addenda`).send({ text: 'x', reason: 'y' }).expect(409)).body
        .reason,
    ).toBe('not_signed');
    expect(
      (await doctor.agent.post(`/api/v1/visits/${visitId}/sign`).send({ version: 0 }).expect(422)).body.reason,
    ).toBe('empty_note');
    const { login: other } = await makeSignedInDoctor(t, system);
    await other.agent.post(`/api/v1/consults/${appointmentId}/complete`).send({}).expect(403);
    await other.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(403);
  });
});
