import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createStaffAndLogin } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

const UNKNOWN_ID = '0123456789abcdef01234567';
const everyDay = (start: string, end: string) => [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start, end }));

function problem(res: supertest.Response): Record<string, unknown> {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return JSON.parse(res.text) as Record<string, unknown>;
}

const newDoctor = (overrides: Record<string, unknown> = {}) => ({
  name: 'Dr. Meera Iyer',
  speciality: 'Dermatology',
  qualifications: 'MBBS, MD (Dermatology)',
  registrationNumber: 'KMC-55120',
  consultationFeePaise: 70_000,
  weeklyAvailability: [{ weekday: 1, start: '09:00', end: '12:00' }],
  ...overrides,
});

describe('doctors API on the real app', () => {
  let t: TestApp;
  let admin: SignedInStaff;
  let frontdesk: SignedInStaff;
  let pharmacy: SignedInStaff;
  beforeAll(async () => {
    t = await startTestApp('doctorsapi');
    [admin, frontdesk, pharmacy] = await Promise.all([
      createStaffAndLogin(t, ['admin']),
      createStaffAndLogin(t, ['frontdesk']),
      createStaffAndLogin(t, ['pharmacy']),
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 401 problem+json to anonymous callers on every doctor and slot route', async () => {
    const routes = [
      ['get', '/api/v1/doctors'],
      ['post', '/api/v1/doctors'],
      ['get', `/api/v1/doctors/${UNKNOWN_ID}`],
      ['patch', `/api/v1/doctors/${UNKNOWN_ID}`],
      ['put', `/api/v1/doctors/${UNKNOWN_ID}/availability`],
      ['post', `/api/v1/doctors/${UNKNOWN_ID}/leaves`],
      ['delete', `/api/v1/doctors/${UNKNOWN_ID}/leaves/${UNKNOWN_ID}`],
      ['get', `/api/v1/doctors/${UNKNOWN_ID}/slots`],
      ['get', '/api/v1/specialities'],
      ['get', '/api/v1/slots'],
    ] as const;
    for (const [method, path] of routes) {
      const res = await supertest(t.app)[method](path).send({});
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(problem(res)).toMatchObject({ code: 'unauthenticated' });
    }
  });

  it('lets an admin create, read, list and update doctors, with validation and audit', async () => {
    const created = await admin.agent.post('/api/v1/doctors').send(newDoctor());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Dr. Meera Iyer',
      speciality: 'Dermatology',
      consultationFeePaise: 70_000,
      active: true,
      leaves: [],
    });
    const id = created.body.id as string;
    expect(await AuditEvent.countDocuments({ action: 'doctor.created', 'entity.id': id })).toBe(1);

    // The same speciality in another letter case joins the existing one.
    const second = await admin.agent
      .post('/api/v1/doctors')
      .send(newDoctor({ name: 'Dr. Rahul Bhat', speciality: '  dermatology ' }));
    expect(second.body.speciality).toBe('Dermatology');

    expect((await frontdesk.agent.get(`/api/v1/doctors/${id}`)).body).toMatchObject({
      id,
      registrationNumber: 'KMC-55120',
    });
    const list = await pharmacy.agent.get('/api/v1/doctors').query({ speciality: 'DERMATOLOGY', active: 'true' });
    expect(list.status).toBe(200);
    expect(list.body.doctors.map((doctor: { name: string }) => doctor.name)).toEqual([
      'Dr. Meera Iyer',
      'Dr. Rahul Bhat',
    ]);
    expect((await admin.agent.get('/api/v1/doctors').query({ speciality: 'Cardiology' })).body.doctors).toEqual([]);

    const updated = await admin.agent
      .patch(`/api/v1/doctors/${second.body.id}`)
      .send({ consultationFeePaise: 45_000, active: false, qualifications: null });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ consultationFeePaise: 45_000, active: false });
    expect(updated.body.qualifications).toBeUndefined();
    const audit = await AuditEvent.findOne({ action: 'doctor.updated', 'entity.id': second.body.id }).lean();
    expect(audit!.diff.map((entry) => entry.field)).toEqual(['active', 'consultationFeePaise', 'qualifications']);
    expect(
      (await admin.agent.get('/api/v1/doctors').query({ active: 'false' })).body.doctors.map(
        (d: { id: string }) => d.id,
      ),
    ).toEqual([second.body.id]);

    const specialities = await pharmacy.agent.get('/api/v1/specialities');
    expect(specialities.status).toBe(200);
    expect(specialities.body.specialities).toEqual(expect.arrayContaining([{ name: 'Dermatology', doctors: 1 }]));
  });

  it('answers 400 with readable problems for invalid profiles and availability', async () => {
    const overlapping = await admin.agent.post('/api/v1/doctors').send(
      newDoctor({
        weeklyAvailability: [
          { weekday: 1, start: '09:00', end: '12:00' },
          { weekday: 1, start: '11:00', end: '13:00' },
          { weekday: 2, start: '14:00', end: '10:00' },
          { weekday: 9, start: '09:00', end: '10:00' },
        ],
      }),
    );
    expect(overlapping.status).toBe(400);
    const messages = (problem(overlapping).errors as { message: string }[]).map((error) => error.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'weekday 1 11:00–13:00: overlaps weekday 1 09:00–12:00',
        'weekday 2 14:00–10:00: end must be after start on the same day',
        'weekday 9 09:00–10:00: weekday must be 0 (Sunday) to 6 (Saturday)',
      ]),
    );
    expect((await admin.agent.post('/api/v1/doctors').send(newDoctor({ consultationFeePaise: 499.5 }))).status).toBe(
      400,
    );
    expect((await admin.agent.post('/api/v1/doctors').send(newDoctor({ speciality: undefined }))).status).toBe(400);
    expect((await admin.agent.post('/api/v1/doctors').send(newDoctor({ surprise: true }))).status).toBe(400);
    expect((await admin.agent.get('/api/v1/doctors').query({ active: 'maybe' })).status).toBe(400);
    expect((await admin.agent.get('/api/v1/doctors/not-an-id')).status).toBe(400);

    const doctor = (await admin.agent.post('/api/v1/doctors').send(newDoctor({ name: 'Dr. Valid' }))).body;
    expect((await admin.agent.patch(`/api/v1/doctors/${doctor.id}`).send({})).status).toBe(400);
    const badRange = await frontdesk.agent
      .put(`/api/v1/doctors/${doctor.id}/availability`)
      .send({ weeklyAvailability: [{ weekday: 3, start: '25:00', end: '26:00' }] });
    expect(badRange.status).toBe(400);
    expect(JSON.stringify(problem(badRange).errors)).toContain('Invalid local time');
    const backwards = await frontdesk.agent
      .post(`/api/v1/doctors/${doctor.id}/leaves`)
      .send({ startAt: '2030-01-08T09:00:00+05:30', endAt: '2030-01-07T09:00:00+05:30' });
    expect(backwards.status).toBe(400);
    expect(problem(backwards).errors).toEqual([{ path: 'endAt', message: 'endAt must be after startAt' }]);
    expect(
      (
        await frontdesk.agent
          .post(`/api/v1/doctors/${doctor.id}/leaves`)
          .send({ startAt: 'tomorrow', endAt: '2030-01-07T09:00:00Z' })
      ).status,
    ).toBe(400);
    expect(
      (
        await frontdesk.agent
          .post(`/api/v1/doctors/${doctor.id}/leaves`)
          .send({ startAt: '2030-01-07T09:00:00Z', endAt: '2031-06-07T09:00:00Z' })
      ).status,
    ).toBe(400);
    expect((await frontdesk.agent.delete(`/api/v1/doctors/${doctor.id}/leaves/nope`)).status).toBe(400);
    for (const weeklyAvailability of [
      [null],
      [{}],
      'mornings',
      [{ weekday: 1, start: 9, end: 12 }],
      [{ weekday: 1.5, start: '09:00', end: '10:00' }],
    ]) {
      const res = await frontdesk.agent.put(`/api/v1/doctors/${doctor.id}/availability`).send({ weeklyAvailability });
      expect({ weeklyAvailability, status: res.status }).toEqual({ weeklyAvailability, status: 400 });
    }
  });

  it('answers 403 to roles the policy does not allow and 404 for unknown doctors and leaves', async () => {
    const doctor = (await admin.agent.post('/api/v1/doctors').send(newDoctor({ name: 'Dr. Policy' }))).body;
    const forbiddenFor = async (
      agent: SignedInStaff,
      method: 'get' | 'post' | 'patch' | 'put' | 'delete',
      path: string,
      body?: object,
    ) => {
      const res = await agent.agent[method](path).send(body);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(problem(res)).toMatchObject({ code: 'forbidden' });
    };
    await forbiddenFor(frontdesk, 'post', '/api/v1/doctors', newDoctor());
    await forbiddenFor(frontdesk, 'patch', `/api/v1/doctors/${doctor.id}`, { consultationFeePaise: 1 });
    await forbiddenFor(pharmacy, 'put', `/api/v1/doctors/${doctor.id}/availability`, { weeklyAvailability: [] });
    await forbiddenFor(pharmacy, 'post', `/api/v1/doctors/${doctor.id}/leaves`, {
      startAt: '2030-01-07T09:00:00Z',
      endAt: '2030-01-08T09:00:00Z',
    });
    await forbiddenFor(pharmacy, 'delete', `/api/v1/doctors/${doctor.id}/leaves/${UNKNOWN_ID}`);
    await forbiddenFor(pharmacy, 'get', `/api/v1/doctors/${doctor.id}/slots`);
    await forbiddenFor(pharmacy, 'get', '/api/v1/slots');

    const notFound: [string, Promise<supertest.Response>][] = [
      ['get doctor', admin.agent.get(`/api/v1/doctors/${UNKNOWN_ID}`)],
      ['patch doctor', admin.agent.patch(`/api/v1/doctors/${UNKNOWN_ID}`).send({ name: 'Dr. Nobody' })],
      [
        'put availability',
        frontdesk.agent.put(`/api/v1/doctors/${UNKNOWN_ID}/availability`).send({ weeklyAvailability: [] }),
      ],
      [
        'post leave',
        frontdesk.agent
          .post(`/api/v1/doctors/${UNKNOWN_ID}/leaves`)
          .send({ startAt: '2030-01-07T09:00:00Z', endAt: '2030-01-08T09:00:00Z' }),
      ],
      ['delete leave of unknown doctor', frontdesk.agent.delete(`/api/v1/doctors/${UNKNOWN_ID}/leaves/${UNKNOWN_ID}`)],
      ['delete unknown leave', frontdesk.agent.delete(`/api/v1/doctors/${doctor.id}/leaves/${UNKNOWN_ID}`)],
      ['doctor slots', frontdesk.agent.get(`/api/v1/doctors/${UNKNOWN_ID}/slots`)],
      ['slot search', frontdesk.agent.get('/api/v1/slots').query({ doctorId: UNKNOWN_ID })],
      ['link unknown staff', admin.agent.post('/api/v1/doctors').send(newDoctor({ staffId: UNKNOWN_ID }))],
    ];
    for (const [label, request] of notFound) {
      const res = await request;
      expect({ label, status: res.status }).toEqual({ label, status: 404 });
      expect(problem(res)).toMatchObject({ code: 'not_found' });
    }
  });

  it('links a staff doctor: the signed-in Actor carries doctorId, edits only its own profile fields and availability', async () => {
    const signedIn = await createStaffAndLogin(t, ['doctor']);
    const own = await admin.agent
      .post('/api/v1/doctors')
      .send(newDoctor({ name: 'Dr. Own', staffId: signedIn.staff.id }));
    expect(own.status).toBe(201);
    expect(own.body.staffId).toBe(signedIn.staff.id);
    const other = (await admin.agent.post('/api/v1/doctors').send(newDoctor({ name: 'Dr. Other' }))).body;
    expect(await AuditEvent.countDocuments({ action: 'staff.updated', 'entity.id': signedIn.staff.id })).toBe(1);

    // Sessions re-read the account per request: the link applies at once.
    const me = await signedIn.agent.get('/api/v1/auth/me');
    expect(me.body.staff.doctorId).toBe(own.body.id);

    const ownHours = await signedIn.agent
      .put(`/api/v1/doctors/${own.body.id}/availability`)
      .send({ weeklyAvailability: everyDay('10:00', '11:00') });
    expect(ownHours.status).toBe(200);
    expect(ownHours.body.doctor.weeklyAvailability).toHaveLength(7);
    expect(await AuditEvent.countDocuments({ action: 'doctor.availability_changed', 'entity.id': own.body.id })).toBe(
      1,
    );
    const othersHours = await signedIn.agent
      .put(`/api/v1/doctors/${other.id}/availability`)
      .send({ weeklyAvailability: everyDay('10:00', '11:00') });
    expect(othersHours.status).toBe(403);
    expect(problem(othersHours)).toMatchObject({ code: 'forbidden', reason: 'record_rule' });
    expect(
      (
        await signedIn.agent
          .post(`/api/v1/doctors/${other.id}/leaves`)
          .send({ startAt: '2030-01-07T09:00:00Z', endAt: '2030-01-08T09:00:00Z' })
      ).status,
    ).toBe(403);

    expect(
      (await signedIn.agent.patch(`/api/v1/doctors/${own.body.id}`).send({ qualifications: 'MBBS, MD, DNB' })).body
        .qualifications,
    ).toBe('MBBS, MD, DNB');
    const fee = await signedIn.agent.patch(`/api/v1/doctors/${own.body.id}`).send({ consultationFeePaise: 1 });
    expect(fee.status).toBe(403);
    expect(problem(fee)).toMatchObject({ fields: ['consultationFeePaise'] });
    expect((await signedIn.agent.patch(`/api/v1/doctors/${other.id}`).send({ qualifications: 'MBBS' })).status).toBe(
      403,
    );
    expect((await signedIn.agent.post('/api/v1/doctors').send(newDoctor())).status).toBe(403);

    // One account, one profile; only accounts with the doctor role.
    const taken = await admin.agent.patch(`/api/v1/doctors/${other.id}`).send({ staffId: signedIn.staff.id });
    expect(taken.status).toBe(409);
    expect(problem(taken)).toMatchObject({ reason: 'staff_linked' });
    const notDoctor = await admin.agent.post('/api/v1/doctors').send(newDoctor({ staffId: frontdesk.staff.id }));
    expect(notDoctor.status).toBe(409);
    expect(problem(notDoctor)).toMatchObject({ reason: 'staff_not_doctor' });
    expect(
      (await admin.agent.get('/api/v1/doctors')).body.doctors.filter(
        (d: { name: string }) => d.name === 'Dr. Meera Iyer',
      ),
    ).toHaveLength(1);

    // Unlinking takes the doctor's own-record rights away at the next request.
    expect(
      (await admin.agent.patch(`/api/v1/doctors/${own.body.id}`).send({ staffId: null })).body.staffId,
    ).toBeUndefined();
    expect((await signedIn.agent.get('/api/v1/auth/me')).body.staff.doctorId).toBeUndefined();
    expect(
      (await signedIn.agent.put(`/api/v1/doctors/${own.body.id}/availability`).send({ weeklyAvailability: [] })).status,
    ).toBe(403);
    // …and the account is free for another profile.
    expect((await admin.agent.patch(`/api/v1/doctors/${other.id}`).send({ staffId: signedIn.staff.id })).status).toBe(
      200,
    );
    expect((await signedIn.agent.get('/api/v1/auth/me')).body.staff.doctorId).toBe(other.id);
  });

  it('adds and removes leaves with audit, and is documented in OpenAPI', async () => {
    const doctor = (await admin.agent.post('/api/v1/doctors').send(newDoctor({ name: 'Dr. Leave' }))).body;
    const added = await frontdesk.agent.post(`/api/v1/doctors/${doctor.id}/leaves`).send({
      kind: 'blocked',
      startAt: '2030-01-07T09:00:00+05:30',
      endAt: '2030-01-09T18:00:00+05:30',
      reason: 'Conference',
    });
    expect(added.status).toBe(201);
    expect(added.body.leave).toMatchObject({
      kind: 'blocked',
      startAt: '2030-01-07T03:30:00.000Z',
      endAt: '2030-01-09T12:30:00.000Z',
      reason: 'Conference',
    });
    expect(added.body.doctor.leaves).toHaveLength(1);
    const event = await AuditEvent.findOne({ action: 'doctor.leave_added', 'entity.id': doctor.id }).lean();
    expect(JSON.stringify(event!.diff)).not.toContain('Conference');

    const removed = await frontdesk.agent.delete(`/api/v1/doctors/${doctor.id}/leaves/${added.body.leave.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.doctor.leaves).toEqual([]);
    expect(await AuditEvent.countDocuments({ action: 'doctor.leave_removed', 'entity.id': doctor.id })).toBe(1);
    expect((await frontdesk.agent.delete(`/api/v1/doctors/${doctor.id}/leaves/${added.body.leave.id}`)).status).toBe(
      404,
    );

    const spec = (await supertest(t.app).get('/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(spec.paths['/api/v1/doctors']!)).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(spec.paths['/api/v1/doctors/{id}']!)).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(spec.paths['/api/v1/doctors/{id}/availability']).toHaveProperty('put');
    expect(spec.paths['/api/v1/doctors/{id}/leaves']).toHaveProperty('post');
    expect(spec.paths['/api/v1/doctors/{id}/leaves/{leaveId}']).toHaveProperty('delete');
    expect(spec.paths['/api/v1/doctors/{id}/slots']).toHaveProperty('get');
    expect(spec.paths['/api/v1/slots']).toHaveProperty('get');
    expect(spec.paths['/api/v1/specialities']).toHaveProperty('get');
  });
});
