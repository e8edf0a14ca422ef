import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Types } from 'mongoose';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { SlotModel } from '../../src/modules/scheduling/slot.model.js';
import type { Actor } from '../../src/platform/actor.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { inMinutes, makeDoctor, makePatient, makeSlot } from '../helpers/scheduling.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('appointments API against the real database', () => {
  let t: TestApp;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let doctorId: string;
  let otherDoctorId: string;
  let doctor: SignedInStaff;
  let otherDoctor: SignedInStaff;
  let pharmacy: SignedInStaff;

  beforeAll(async () => {
    t = await startTestApp('appointments');
    system = await testSystemActor();
    doctorId = await makeDoctor(system, 'Dr Meera Rao');
    otherDoctorId = await makeDoctor(system, 'Dr Arjun Nair');
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    doctor = await createStaffAndLogin(t, ['doctor'], { doctorId });
    otherDoctor = await createStaffAndLogin(t, ['doctor'], { doctorId: otherDoctorId });
    pharmacy = await createStaffAndLogin(t, ['pharmacy']);
  });
  afterAll(async () => {
    await t.close();
  });

  const book = (patientId: string, slotId: string, agent = frontdesk.agent) =>
    agent.post('/api/v1/appointments').send({ patientId, slotId });

  it('books a slot straight to confirmed, with history, timestamps, a booked slot and an audit event', async () => {
    const patient = await makePatient(system);
    const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(120));
    const res = await book(patient.id, slotId).expect(201);
    expect(res.body).toMatchObject({
      status: 'confirmed',
      patientId: patient.id,
      doctorId,
      slotId,
      source: 'frontdesk',
      version: 0,
    });
    expect(res.body.history.map((entry: { event: string }) => entry.event)).toEqual(['REQUEST', 'CONFIRM']);
    expect(res.body.timestamps.requested).toBeDefined();
    expect(res.body.timestamps.confirmed).toBeDefined();
    expect(await SlotModel.findById(slotId).lean()).toMatchObject({ status: 'booked' });
    expect(await AuditEvent.countDocuments({ action: 'appointment.booked', 'entity.id': res.body.id })).toBe(1);
    expect((await frontdesk.agent.get(`/api/v1/appointments/${res.body.id}`).expect(200)).body.id).toBe(res.body.id);
  });

  it('lets exactly one of 50 parallel bookings of one slot succeed; the rest get 409', async () => {
    const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(180));
    const patients = await Promise.all(Array.from({ length: 50 }, (_, i) => makePatient(system, `Racer ${i}`)));
    const results = await Promise.all(patients.map((patient) => book(patient.id, slotId)));
    expect(results.filter((res) => res.status === 201)).toHaveLength(1);
    expect(results.filter((res) => res.status === 409)).toHaveLength(49);
    expect(results.find((res) => res.status === 409)!.body).toMatchObject({ code: 'conflict', reason: 'slot_taken' });
    expect(await Appointment.countDocuments({ slotId })).toBe(1);
  }, 120_000);

  it('books 200 parallel attempts across 20 slots into exactly 20 appointments, no slot twice', async () => {
    const base = inMinutes(24 * 60);
    const slots = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        makeSlot(system.clinicId, otherDoctorId, new Date(base.getTime() + i * 15 * 60_000)),
      ),
    );
    const patients = await Promise.all(Array.from({ length: 200 }, (_, i) => makePatient(system, `Crowd ${i}`)));
    const results = await Promise.all(patients.map((patient, i) => book(patient.id, slots[i % 20]!)));
    expect(results.filter((res) => res.status === 201)).toHaveLength(20);
    const booked = await Appointment.find({ slotId: { $in: slots } }).lean();
    expect(new Set(booked.map((doc) => String(doc.slotId))).size).toBe(20);
    // Hundreds of audited registrations and bookings contend for one audit chain: slow on a loaded machine.
  }, 180_000);

  it('refuses a second appointment for one patient at the same time and leaves the other slot free', async () => {
    const patient = await makePatient(system);
    const at = inMinutes(300);
    const first = await makeSlot(system.clinicId, doctorId, at);
    const second = await makeSlot(system.clinicId, otherDoctorId, at);
    await book(patient.id, first).expect(201);
    const res = await book(patient.id, second).expect(409);
    expect(res.body.reason).toBe('patient_double_booked');
    expect(await SlotModel.findById(second).lean()).toMatchObject({ status: 'free' });
  });

  it('runs the day: check-in with tokens, the queue, the own doctor consults and completes', async () => {
    const [a, b] = [await makePatient(system, 'Queue One'), await makePatient(system, 'Queue Two')];
    const [slotA, slotB] = [
      await makeSlot(system.clinicId, doctorId, inMinutes(0.5)),
      await makeSlot(system.clinicId, doctorId, new Date(inMinutes(0.5).getTime() + 60_000)),
    ];
    const appointmentA = (await book(a.id, slotA).expect(201)).body.id;
    const appointmentB = (await book(b.id, slotB).expect(201)).body.id;

    const illegal = await doctor.agent.post(`/api/v1/appointments/${appointmentA}/start-consult`).send({}).expect(409);
    expect(illegal.body).toMatchObject({
      status: 409,
      currentStatus: 'confirmed',
      reason: 'illegal_event',
      event: 'START_CONSULT',
    });

    const checkedA = await frontdesk.agent.post(`/api/v1/appointments/${appointmentA}/check-in`).send({}).expect(200);
    const checkedB = await frontdesk.agent.post(`/api/v1/appointments/${appointmentB}/check-in`).send({}).expect(200);
    expect(checkedA.body.appointment.tokenNumber).toBe(1);
    expect(checkedB.body.appointment.tokenNumber).toBe(2);

    await otherDoctor.agent.post(`/api/v1/appointments/${appointmentA}/start-consult`).send({}).expect(403);
    await doctor.agent.post(`/api/v1/appointments/${appointmentA}/start-consult`).send({}).expect(200);
    const queue = await frontdesk.agent.get(`/api/v1/queue?doctorId=${doctorId}`).expect(200);
    expect(
      queue.body.entries.map((entry: { tokenNumber: number; status: string; position?: number }) => [
        entry.tokenNumber,
        entry.status,
        entry.position,
      ]),
    ).toEqual([
      [1, 'in_consult', 0],
      [2, 'checked_in', 1],
    ]);

    // Completing needs the signed note, whichever route the doctor uses.
    const unsigned = await doctor.agent.post(`/api/v1/appointments/${appointmentA}/complete`).send({}).expect(422);
    expect(unsigned.body.reason).toBe('note_not_signed');
    const visit = (await doctor.agent.get(`/api/v1/consults/${appointmentA}`).expect(200)).body.visit;
    const saved = await doctor.agent
      .put(`/api/v1/visits/${visit.id}/draft`)
      .send({ version: visit.version, chiefComplaint: 'Fever for two days' })
      .expect(200);
    await doctor.agent.post(`/api/v1/visits/${visit.id}/sign`).send({ version: saved.body.version }).expect(200);
    const done = await doctor.agent.post(`/api/v1/appointments/${appointmentA}/complete`).send({}).expect(200);
    expect(done.body.appointment).toMatchObject({ status: 'completed' });
    expect(Object.keys(done.body.appointment.timestamps)).toEqual([
      'requested',
      'confirmed',
      'checked_in',
      'in_consult',
      'completed',
    ]);
  });

  it('cancels with a refund decision and frees the slot exactly once; a second cancel is 409', async () => {
    const patient = await makePatient(system);
    const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(48 * 60));
    const id = (await book(patient.id, slotId).expect(201)).body.id;
    const res = await frontdesk.agent
      .post(`/api/v1/appointments/${id}/cancel`)
      .send({ reason: 'patient called' })
      .expect(200);
    expect(res.body.appointment).toMatchObject({
      status: 'cancelled',
      cancellation: { by: 'frontdesk', reason: 'patient called', refundDuePaise: 0, refundReason: 'clinic_cancelled' },
    });
    expect(res.body.refund).toEqual({ dueAmountPaise: 0, reason: 'clinic_cancelled' });
    expect(await SlotModel.findById(slotId).lean()).toMatchObject({ status: 'free' });
    const again = await frontdesk.agent.post(`/api/v1/appointments/${id}/cancel`).send({}).expect(409);
    expect(again.body).toMatchObject({ status: 409, currentStatus: 'cancelled' });
    // The freed slot and the patient's time can be booked again.
    await book(patient.id, slotId).expect(201);
  });

  it('reschedules atomically: the new slot is won before the old one is freed', async () => {
    const patient = await makePatient(system);
    const oldSlot = await makeSlot(system.clinicId, doctorId, inMinutes(60 * 30));
    const newSlot = await makeSlot(system.clinicId, doctorId, inMinutes(60 * 31));
    const takenSlot = await makeSlot(system.clinicId, doctorId, inMinutes(60 * 32));
    await book((await makePatient(system)).id, takenSlot).expect(201);
    const id = (await book(patient.id, oldSlot).expect(201)).body.id;

    const refused = await frontdesk.agent
      .post(`/api/v1/appointments/${id}/reschedule`)
      .send({ slotId: takenSlot })
      .expect(409);
    expect(refused.body.reason).toBe('slot_taken');
    expect(await SlotModel.findById(oldSlot).lean()).toMatchObject({ status: 'booked' });

    const moved = await frontdesk.agent
      .post(`/api/v1/appointments/${id}/reschedule`)
      .send({ slotId: newSlot })
      .expect(200);
    expect(moved.body).toMatchObject({ slotId: newSlot, status: 'confirmed', version: 1 });
    expect(await SlotModel.findById(oldSlot).lean()).toMatchObject({ status: 'free' });
    expect(await SlotModel.findById(newSlot).lean()).toMatchObject({
      status: 'booked',
      appointmentId: new Types.ObjectId(id),
    });
  });

  it('marks a no-show after the start, frees the slot, and the same-day override takes it back', async () => {
    const patient = await makePatient(system);
    const slotId = await makeSlot(system.clinicId, otherDoctorId, new Date(Date.now() + 2500));
    const id = (await book(patient.id, slotId).expect(201)).body.id;
    await frontdesk.agent.post(`/api/v1/appointments/${id}/no-show`).send({}).expect(422);
    await sleep(3000);
    await frontdesk.agent.post(`/api/v1/appointments/${id}/no-show`).send({}).expect(200);
    expect(await SlotModel.findById(slotId).lean()).toMatchObject({ status: 'free' });
    const back = await frontdesk.agent
      .post(`/api/v1/appointments/${id}/transition`)
      .send({ event: 'OVERRIDE_NO_SHOW', to: 'checked_in', reason: 'arrived late' })
      .expect(200);
    expect(back.body.appointment).toMatchObject({ status: 'checked_in', overbooked: false });
    expect(back.body.appointment.tokenNumber).toBeGreaterThanOrEqual(1);
    expect(await SlotModel.findById(slotId).lean()).toMatchObject({ status: 'booked' });
  });

  it('adds walk-ins to the next free slot today, then as an overbooking when the day is full', async () => {
    const walkInDoctor = await makeDoctor(system, 'Dr Walk In');
    const slotId = await makeSlot(system.clinicId, walkInDoctor, inMinutes(1));
    const first = await frontdesk.agent
      .post('/api/v1/walk-ins')
      .send({ patientId: (await makePatient(system)).id, doctorId: walkInDoctor })
      .expect(201);
    expect(first.body).toMatchObject({ status: 'checked_in', walkIn: true, overbooked: false, slotId, tokenNumber: 1 });

    const full = await frontdesk.agent
      .post('/api/v1/walk-ins')
      .send({ patientId: (await makePatient(system)).id, doctorId: walkInDoctor })
      .expect(409);
    expect(full.body).toMatchObject({ reason: 'day_full', overbookRoles: ['admin', 'frontdesk'] });
    const squeezed = await frontdesk.agent
      .post('/api/v1/walk-ins')
      .send({ patientId: (await makePatient(system)).id, doctorId: walkInDoctor, overbook: true })
      .expect(201);
    expect(squeezed.body).toMatchObject({ overbooked: true, tokenNumber: 2 });
    expect(squeezed.body.slotId).toBeUndefined();
  });

  it('answers 400, 401, 403 and 404 on bad requests', async () => {
    const patient = await makePatient(system);
    const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(600));
    await t.http.post('/api/v1/appointments').send({ patientId: patient.id, slotId }).expect(401);
    await pharmacy.agent.post('/api/v1/appointments').send({ patientId: patient.id, slotId }).expect(403);
    const invalid = await frontdesk.agent.post('/api/v1/appointments').send({ patientId: 'nope', slotId }).expect(400);
    expect(invalid.body.code).toBe('validation_failed');
    await frontdesk.agent
      .post('/api/v1/appointments')
      .send({ patientId: new Types.ObjectId().toString(), slotId })
      .expect(404);
    await frontdesk.agent
      .post('/api/v1/appointments')
      .send({ patientId: patient.id, slotId: new Types.ObjectId().toString() })
      .expect(404);
    await frontdesk.agent.get(`/api/v1/appointments/${new Types.ObjectId().toString()}`).expect(404);
    await frontdesk.agent
      .post(`/api/v1/appointments/${new Types.ObjectId().toString()}/transition`)
      .send({ event: 'FLY' })
      .expect(400);
    await frontdesk.agent
      .post(`/api/v1/appointments/${new Types.ObjectId().toString()}/transition`)
      .send({ event: 'OVERRIDE_NO_SHOW' })
      .expect(400);
    expect(
      (await t.http.get('/api/openapi.json')).body.paths['/api/v1/appointments/{id}/reschedule'].post,
    ).toBeDefined();
  });
});
