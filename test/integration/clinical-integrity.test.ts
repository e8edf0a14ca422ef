import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Types } from 'mongoose';
import { BreakGlassGrant } from '../../src/modules/clinical/break-glass.model.js';
import { DietPlan } from '../../src/modules/clinical/diet-plan.model.js';
import { Prescription } from '../../src/modules/clinical/prescription.model.js';
import { Visit } from '../../src/modules/clinical/visit.model.js';
import { loadVisit } from '../../src/modules/clinical/visit.service.js';
import { noteHash } from '../../src/modules/clinical/note-hash.js';
import type { Actor } from '../../src/platform/actor.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { checkedInAppointment, makeSignedInDoctor, startClinicalApp } from '../helpers/clinical.js';
import type { TestApp } from '../helpers/test-app.js';

async function failure(promise: Promise<unknown>): Promise<{ code?: string; status?: number; reason?: unknown }> {
  try {
    await promise;
  } catch (error) {
    const appError = error as { code?: string; status?: number; details?: { reason?: unknown } };
    return { code: appError.code, status: appError.status, reason: appError.details?.reason };
  }
  throw new Error('expected the write to be refused');
}

describe('clinical integrity at the model and in storage', () => {
  let t: TestApp;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let doctor: SignedInStaff;
  let doctorId: string;

  beforeAll(async () => {
    t = await startClinicalApp('clinicalintegrity');
    system = await testSystemActor();
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    ({ doctorId, login: doctor } = await makeSignedInDoctor(t, system));
  });
  afterAll(async () => {
    await t.close();
  });

  /** A visit signed through the API with `complaint`, optionally with addenda. */
  async function signedVisit(complaint: string, addenda: string[] = []): Promise<string> {
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({
        version: 0,
        chiefComplaint: complaint,
        soap: { assessment: `Assessment of ${complaint}` },
        vitals: { pulseBpm: 88 },
      })
      .expect(200);
    await doctor.agent.post(`/api/v1/visits/${visitId}/sign`).send({ version: 1 }).expect(200);
    for (const text of addenda)
      await doctor.agent.post(`/api/v1/visits/${visitId}/addenda`).send({ text, reason: 'later finding' }).expect(201);
    return visitId;
  }

  const verify = async (visitId: string) =>
    (await doctor.agent.get(`/api/v1/visits/${visitId}/verify`).expect(200)).body;
  const oid = (id: string) => new Types.ObjectId(id);

  it('refuses, at the model, every update of a signed note, and leaves it verifiable', async () => {
    const visitId = await signedVisit('Chest pain on exertion');
    const filter = { _id: visitId };
    const locked = [
      { $set: { chiefComplaint: 'Nothing serious' } },
      { $set: { 'soap.assessment': 'Rewritten' } },
      { $unset: { 'soap.assessment': 1 } },
      { $set: { vitals: { pulseBpm: 70 } } },
      { $set: { diagnoses: [{ text: 'Other' }] } },
      { $set: { followUp: { advice: 'none' } } },
      { $set: { contentHash: '0'.repeat(64) } },
      { $set: { signedAt: new Date() } },
      { $set: { status: 'draft' } },
      { $inc: { version: 1 } },
      { chiefComplaint: 'implicit $set' },
    ];
    for (const update of locked) {
      expect(await failure(Visit.updateOne(filter, update).exec())).toMatchObject({
        status: 409,
        reason: 'record_locked',
      });
    }
    expect(await failure(Visit.findOneAndUpdate(filter, { $set: { chiefComplaint: 'x' } }).exec())).toMatchObject({
      status: 409,
      reason: 'record_locked',
    });
    expect(await failure(Visit.updateMany({ _id: visitId }, { $set: { 'soap.plan': 'x' } }).exec())).toMatchObject({
      status: 409,
    });
    expect(
      await failure(Visit.updateOne({ _id: visitId, status: 'signed' }, { $set: { chiefComplaint: 'x' } }).exec()),
    ).toMatchObject({ code: 'record_locked' });
    for (const update of [
      { $set: { patientId: new Types.ObjectId() } },
      { $set: { doctorId: new Types.ObjectId() } },
      { $pull: { addenda: { seq: 1 } } },
      { $set: { addenda: [] } },
      { $inc: { addendaCount: -1 } },
    ]) {
      expect(await failure(Visit.updateOne(filter, update).exec())).toMatchObject({
        code: 'record_locked',
        status: 500,
      });
    }
    expect(await failure(Visit.updateOne(filter, { $set: { addendaCount: 0 } }).exec())).toMatchObject({
      code: 'record_locked',
    });
    expect(await failure(Visit.replaceOne(filter, { chiefComplaint: 'x' }).exec())).toMatchObject({
      code: 'record_locked',
    });
    expect(await failure(Visit.deleteOne(filter).exec())).toMatchObject({ code: 'record_locked' });
    expect(
      await failure(Visit.updateOne(filter, { $set: { chiefComplaint: 'x' } }, { upsert: true }).exec()),
    ).toMatchObject({ code: 'record_locked' });
    expect(
      await failure(Visit.bulkWrite([{ updateOne: { filter, update: { $set: { chiefComplaint: 'x' } } } }])),
    ).toMatchObject({ code: 'record_locked' });
    const loaded = (await Visit.findById(visitId))!;
    loaded.set('chiefComplaint', 'edited in memory');
    expect(await failure(loaded.save())).toMatchObject({ code: 'record_locked' });

    expect((await Visit.findById(visitId).lean())!.chiefComplaint).toBe('Chest pain on exertion');
    expect(await verify(visitId)).toMatchObject({ ok: true, note: { match: true } });
  });

  it('still lets drafts change through the model (the lock is about signed notes)', async () => {
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    expect((await Visit.updateOne({ _id: visitId }, { $set: { chiefComplaint: 'Cough' } })).modifiedCount).toBe(1);
    expect((await Visit.findById(visitId).lean())!.chiefComplaint).toBe('Cough');
    expect((await verify(visitId)).problem).toBe('not_signed');
  });

  it('detects a stored note altered behind the application: swapped ciphertext, a changed signing time, unreadable ciphertext', async () => {
    const victim = await signedVisit('Severe headache with vomiting');
    const donor = await signedVisit('Mild seasonal rhinitis');
    const raw = Visit.collection;
    const donorDoc = (await raw.findOne({ _id: oid(donor) }))!;
    // A valid ciphertext of the same field from another record opens fine — only the hash can tell.
    await raw.updateOne({ _id: oid(victim) }, { $set: { chiefComplaint: donorDoc.chiefComplaint } });
    expect((await doctor.agent.get(`/api/v1/visits/${victim}`).expect(200)).body.chiefComplaint).toBe(
      'Mild seasonal rhinitis',
    );
    const report = await verify(victim);
    expect(report).toMatchObject({ ok: false, note: { match: false } });
    expect(report.note.computedHash).not.toBe(report.note.storedHash);

    const moved = await signedVisit('Abdominal pain');
    await raw.updateOne({ _id: oid(moved) }, { $set: { signedAt: new Date(Date.now() - 86_400_000) } });
    expect((await verify(moved)).ok).toBe(false);

    const garbled = await signedVisit('Back pain');
    await raw.updateOne({ _id: oid(garbled) }, { $set: { 'soap.assessment': 'plain text written behind its back' } });
    expect(await verify(garbled)).toMatchObject({ ok: false, problem: 'unreadable' });
  });

  it('detects a signed note edited and re-hashed in the database: its hash no longer equals the one its signing audited', async () => {
    const victim = await signedVisit('Suspected appendicitis');
    const donor = await signedVisit('Common cold');
    expect(await verify(victim)).toMatchObject({ ok: true, audit: { match: true } });
    const raw = Visit.collection;
    const donorDoc = (await raw.findOne({ _id: oid(donor) }))!;
    await raw.updateOne({ _id: oid(victim) }, { $set: { chiefComplaint: donorDoc.chiefComplaint } });
    // The note's own hash is unkeyed: a forger recomputes it over the swapped content.
    const edited = await loadVisit(system.clinicId, victim);
    const rehashed = noteHash(edited, edited.signedAt!, edited.signedBy!);
    await raw.updateOne({ _id: oid(victim) }, { $set: { contentHash: rehashed } });
    const report = await verify(victim);
    expect(report).toMatchObject({ ok: false, note: { match: true, storedHash: rehashed }, audit: { match: false } });
    expect(report.audit.recordedHash).not.toBe(rehashed);
  });

  it('detects a prescription and a diet plan re-hashed in the database against their issuing audit events', async () => {
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    const rx = (
      await doctor.agent
        .post(`/api/v1/visits/${visitId}/prescriptions`)
        .send({
          items: [{ medicine: 'Amoxicillin', strength: '500 mg', dose: '1', frequency: '1-1-1', duration: '5 days' }],
        })
        .expect(201)
    ).body;
    expect((await doctor.agent.get(`/api/v1/prescriptions/${rx.id}/verify`).expect(200)).body).toMatchObject({
      ok: true,
      storedHash: rx.contentHash,
      recordedHash: rx.contentHash,
    });
    await Prescription.collection.updateOne({ _id: oid(rx.id) }, { $set: { contentHash: 'e'.repeat(64) } });
    expect((await doctor.agent.get(`/api/v1/prescriptions/${rx.id}/verify`).expect(200)).body).toMatchObject({
      ok: false,
      storedHash: 'e'.repeat(64),
      recordedHash: rx.contentHash,
    });

    const diet = (
      await doctor.agent.post(`/api/v1/visits/${visitId}/diet-plans`).send({ goal: 'Less salt' }).expect(201)
    ).body;
    expect((await doctor.agent.get(`/api/v1/diet-plans/${diet.id}/verify`).expect(200)).body.ok).toBe(true);
    await DietPlan.collection.updateOne({ _id: oid(diet.id) }, { $set: { contentHash: 'd'.repeat(64) } });
    expect((await doctor.agent.get(`/api/v1/diet-plans/${diet.id}/verify`).expect(200)).body).toMatchObject({
      ok: false,
      recordedHash: diet.contentHash,
    });
  });

  it('chains addenda to the note: an altered or removed addendum fails verification', async () => {
    const visitId = await signedVisit('Knee swelling', ['X-ray shows effusion', 'Aspirate was clear']);
    expect(await verify(visitId)).toMatchObject({
      ok: true,
      addenda: [
        { seq: 1, match: true, chained: true },
        { seq: 2, match: true, chained: true },
      ],
    });
    const raw = Visit.collection;
    const stored = (await raw.findOne({ _id: oid(visitId) }))!;
    await raw.updateOne({ _id: oid(visitId) }, { $set: { 'addenda.0.text': stored.addenda[1].text } });
    expect(await verify(visitId)).toMatchObject({
      ok: false,
      note: { match: true },
      addenda: [
        { seq: 1, match: false },
        { seq: 2, match: true },
      ],
    });

    const other = await signedVisit('Wrist pain', ['Splint applied', 'Reviewed']);
    await raw.updateOne({ _id: oid(other) }, { $pop: { addenda: -1 } });
    expect((await verify(other)).ok).toBe(false);
  });

  it('keeps prescriptions and break-glass grants immutable at the model', async () => {
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    const rx = (
      await doctor.agent
        .post(`/api/v1/visits/${visitId}/prescriptions`)
        .send({
          items: [
            { medicine: 'Paracetamol', strength: '500 mg', dose: '1 tablet', frequency: '1-0-1', duration: '3 days' },
          ],
        })
        .expect(201)
    ).body;
    const filter = { _id: rx.id };
    for (const update of [
      { $set: { items: [] } },
      { $set: { advice: 'x' } },
      { $set: { version: 9 } },
      { $set: { status: 'active' } },
      { $set: { issuedAt: new Date() } },
    ]) {
      expect(await failure(Prescription.updateOne(filter, update).exec())).toMatchObject({ code: 'record_locked' });
    }
    expect(await failure(Prescription.deleteOne(filter).exec())).toMatchObject({ code: 'record_locked' });
    expect(
      (await Prescription.updateOne(filter, { $set: { status: 'superseded', supersededByVersion: 2 } })).modifiedCount,
    ).toBe(1);

    const grant = await BreakGlassGrant.create({
      clinicId: system.clinicId,
      patientId: new Types.ObjectId(),
      staffId: 's',
      reason: 'test',
      grantedAt: new Date(),
      expiresAt: new Date(),
    });
    expect(
      await failure(
        BreakGlassGrant.updateOne({ _id: grant._id }, { $set: { expiresAt: new Date(Date.now() + 1e9) } }).exec(),
      ),
    ).toMatchObject({ code: 'record_locked' });
  });
});
