import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { Clinic } from '../../src/modules/clinics/clinic.model.js';
import { registerPatient } from '../../src/modules/patients/patient.service.js';
import { systemActor } from '../../src/platform/actor.js';
import { createStaffAndLogin } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

function problem(res: supertest.Response): Record<string, unknown> {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return JSON.parse(res.text) as Record<string, unknown>;
}

const MISSING_ID = '0123456789abcdef01234567';

describe('patients API: every route, its success and its 400/401/403/404/409 answers', () => {
  let t: TestApp;
  let frontdesk: SignedInStaff;
  let doctor: SignedInStaff;
  let pharmacy: SignedInStaff;
  let accounts: SignedInStaff;
  let admin: SignedInStaff;
  let otherClinicPatientId: string;

  beforeAll(async () => {
    t = await startTestApp('patientsapi');
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    doctor = await createStaffAndLogin(t, ['doctor']);
    pharmacy = await createStaffAndLogin(t, ['pharmacy']);
    accounts = await createStaffAndLogin(t, ['accounts']);
    admin = await createStaffAndLogin(t, ['admin']);
    const other = await Clinic.create({ slug: 'other-clinic', name: 'Other Clinic' });
    const registered = await registerPatient(systemActor(String(other._id), 'test:setup'), {
      phone: '9811100001',
      name: 'Elsewhere Person',
      relationToContact: 'self',
      ageYears: 40,
      source: 'frontdesk',
    });
    otherClinicPatientId = registered.patient.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const routes = (id: string) =>
    [
      ['post', '/api/v1/patients', { phone: '9800000000', name: 'Anon', relationToContact: 'self', ageYears: 30 }],
      ['get', '/api/v1/patients?name=an', undefined],
      ['get', `/api/v1/patients/${id}`, undefined],
      ['patch', `/api/v1/patients/${id}`, { version: 0, sex: 'female' }],
      ['get', '/api/v1/contacts/lookup?phone=9800000000', undefined],
      ['post', `/api/v1/patients/${id}/consents`, { purpose: 'care', noticeVersion: '2025-01', givenBy: 'self' }],
      ['post', `/api/v1/patients/${id}/consents/${MISSING_ID}/withdraw`, {}],
      ['get', `/api/v1/patients/${id}/consents`, undefined],
    ] as const;

  it('answers 401 problem+json to anonymous callers on every route', async () => {
    for (const [method, path, body] of routes(MISSING_ID)) {
      const res = await supertest(t.app)[method](path).send(body);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(problem(res)).toMatchObject({ code: 'unauthenticated' });
    }
  });

  it('documents every route in the OpenAPI document', async () => {
    const paths = (await t.http.get('/api/openapi.json')).body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/v1/patients']!)).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(paths['/api/v1/patients/{id}']!)).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(Object.keys(paths['/api/v1/patients/{id}/consents']!)).toEqual(expect.arrayContaining(['get', 'post']));
    expect(paths['/api/v1/patients/{id}/consents/{consentId}/withdraw']).toHaveProperty('post');
    expect(paths['/api/v1/contacts/lookup']).toHaveProperty('get');
  });

  describe('POST /api/v1/patients', () => {
    it('registers a patient and a new contact (201), making the first profile the account holder', async () => {
      const res = await frontdesk.agent.post('/api/v1/patients').send({
        phone: '+91 98111 00002',
        name: 'Meera Iyer',
        relationToContact: 'self',
        dateOfBirth: '1985-04-12',
        sex: 'female',
        emergencyContact: { name: 'Arun Iyer', phone: '98111 00003', relation: 'husband' },
        medicalFlags: { allergies: ['penicillin'], conditions: ['asthma'] },
        preferredLanguage: 'hi',
      });
      expect(res.status).toBe(201);
      expect(res.body.patient).toMatchObject({
        code: expect.stringMatching(/^CN-[0-9A-Z]{5}$/),
        name: 'Meera Iyer',
        relationToContact: 'self',
        isAccountHolder: true,
        isMinor: false,
        ageExact: true,
        phone: '+919811100002',
        dateOfBirth: '1985-04-12',
        birthYear: 1985,
        sex: 'female',
        emergencyContact: { name: 'Arun Iyer', phone: '+919811100003', relation: 'husband' },
        medicalFlags: { allergies: ['penicillin'], conditions: ['asthma'] },
        source: 'frontdesk',
        active: true,
        version: 0,
      });
      expect(res.body.contact).toMatchObject({
        phone: '+919811100002',
        preferredLanguage: 'hi',
        created: true,
        accountHolderId: res.body.patient.id,
      });
    });

    it('lets an admin register too, reusing the contact of a known number', async () => {
      const res = await admin.agent
        .post('/api/v1/patients')
        .send({ phone: '09811100002', name: 'Kavya Iyer', relationToContact: 'child', dateOfBirth: '2016-09-01' });
      expect(res.status).toBe(201);
      expect(res.body.patient).toMatchObject({ isAccountHolder: false, isMinor: true, relationToContact: 'child' });
      expect(res.body.contact).toMatchObject({ created: false, preferredLanguage: 'hi' });
    });

    it.each(['doctor', 'pharmacy', 'accounts'] as const)('answers 403 to %s', async (role) => {
      const user = { doctor, pharmacy, accounts }[role];
      const res = await user.agent
        .post('/api/v1/patients')
        .send({ phone: '9811100009', name: 'Nope', relationToContact: 'self', ageYears: 30 });
      expect(res.status).toBe(403);
      expect(problem(res)).toMatchObject({ code: 'forbidden' });
    });

    it.each([
      ['a missing name', { phone: '9811100010', relationToContact: 'self', ageYears: 30 }],
      ['a bad phone number', { phone: '12345', name: 'Bad Phone', relationToContact: 'self', ageYears: 30 }],
      ['no date of birth or age', { phone: '9811100010', name: 'No Age', relationToContact: 'self' }],
      [
        'both date of birth and age',
        { phone: '9811100010', name: 'Both', relationToContact: 'self', ageYears: 3, dateOfBirth: '2020-01-01' },
      ],
      [
        'a future date of birth',
        { phone: '9811100010', name: 'Future', relationToContact: 'self', dateOfBirth: '2999-01-01' },
      ],
      [
        'an impossible date',
        { phone: '9811100010', name: 'Feb', relationToContact: 'self', dateOfBirth: '2001-02-30' },
      ],
      ['an unknown relation', { phone: '9811100010', name: 'Cousin', relationToContact: 'cousin', ageYears: 30 }],
      [
        'an unknown field',
        { phone: '9811100010', name: 'Extra', relationToContact: 'self', ageYears: 30, source: 'whatsapp' },
      ],
      [
        'a bad emergency phone',
        {
          phone: '9811100010',
          name: 'Em',
          relationToContact: 'self',
          ageYears: 30,
          emergencyContact: { name: 'X', phone: '1', relation: 'y' },
        },
      ],
    ])('answers 400 to %s, without echoing values', async (_label, body) => {
      const res = await frontdesk.agent.post('/api/v1/patients').send(body);
      expect(res.status).toBe(400);
      expect(problem(res)).toMatchObject({ code: 'validation_failed' });
      expect(res.text).not.toContain('12345');
    });

    it('answers 409 to the same name on the same number, and to a second "self"', async () => {
      const body = { phone: '9811100011', name: 'Suresh Rao', relationToContact: 'self', ageYears: 50 };
      const first = await frontdesk.agent.post('/api/v1/patients').send(body);
      expect(first.status).toBe(201);
      const again = await frontdesk.agent.post('/api/v1/patients').send({ ...body, name: ' suresh  RAO ' });
      expect(again.status).toBe(409);
      expect(problem(again)).toMatchObject({ code: 'patient_exists', patientId: first.body.patient.id });
      const secondSelf = await frontdesk.agent.post('/api/v1/patients').send({ ...body, name: 'Someone Else' });
      expect(secondSelf.status).toBe(409);
      expect(problem(secondSelf)).toMatchObject({ code: 'self_profile_exists', patientId: first.body.patient.id });
      // The refused registrations left the number as it was: one profile.
      const lookup = await frontdesk.agent.get('/api/v1/contacts/lookup').query({ phone: '9811100011' });
      expect(lookup.body.profiles).toHaveLength(1);
    });
  });

  describe('GET /api/v1/patients', () => {
    let code: string;
    beforeAll(async () => {
      const res = await frontdesk.agent
        .post('/api/v1/patients')
        .send({ phone: '9811100020', name: 'Harpreet Kaur', relationToContact: 'self', ageYears: 33 });
      code = res.body.patient.code;
    });

    it.each(['frontdesk', 'doctor', 'pharmacy', 'accounts', 'admin'] as const)(
      'lets %s search by phone, code and name',
      async (role) => {
        const user = { frontdesk, doctor, pharmacy, accounts, admin }[role];
        const byPhone = await user.agent.get('/api/v1/patients').query({ phone: '+91-98111-00020' });
        expect(byPhone.status).toBe(200);
        expect(byPhone.body.patients.map((p: { name: string }) => p.name)).toEqual(['Harpreet Kaur']);
        const byCode = await user.agent.get('/api/v1/patients').query({ code: code.toLowerCase() });
        expect(byCode.body.patients.map((p: { code: string }) => p.code)).toEqual([code]);
        const byName = await user.agent.get('/api/v1/patients').query({ name: 'harp ka' });
        expect(byName.body.patients.map((p: { code: string }) => p.code)).toEqual([code]);
        // Lists carry a summary only.
        expect(byName.body.patients[0]).not.toHaveProperty('medicalFlags');
        expect(byName.body.patients[0]).not.toHaveProperty('emergencyContact');
      },
    );

    it('finds nothing for an unknown number, a mistyped code or an unknown name', async () => {
      for (const query of [
        { phone: '9811199999' },
        { code: `${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}` },
        { name: 'zzyzx' },
      ]) {
        const res = await frontdesk.agent.get('/api/v1/patients').query(query);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ patients: [] });
      }
    });

    it.each([
      ['two filters at once', { phone: '9811100020', name: 'harpreet' }],
      ['a bad phone', { phone: 'abc' }],
      ['a one-letter name', { name: 'h' }],
      ['a limit over 50', { limit: '500' }],
      ['a bad cursor', { cursor: 'nope' }],
    ])('answers 400 to %s', async (_label, query) => {
      const res = await frontdesk.agent.get('/api/v1/patients').query(query);
      expect(res.status).toBe(400);
      expect(problem(res)).toMatchObject({ code: 'validation_failed' });
    });

    it('pages the latest registrations with a cursor', async () => {
      const first = await frontdesk.agent.get('/api/v1/patients').query({ limit: 2 });
      expect(first.status).toBe(200);
      expect(first.body.patients).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(first.body.patients[1].id);
      const second = await frontdesk.agent.get('/api/v1/patients').query({ limit: 2, cursor: first.body.nextCursor });
      expect(second.body.patients.length).toBeGreaterThan(0);
      const ids = [...first.body.patients, ...second.body.patients].map((p: { id: string }) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      // The other clinic's patient never appears.
      const all = await frontdesk.agent.get('/api/v1/patients').query({ limit: 50 });
      expect(all.body.patients.map((p: { id: string }) => p.id)).not.toContain(otherClinicPatientId);
      expect(all.body).not.toHaveProperty('nextCursor');
    });
  });

  describe('GET and PATCH /api/v1/patients/:id', () => {
    let patient: { id: string; version: number };
    beforeAll(async () => {
      const res = await frontdesk.agent
        .post('/api/v1/patients')
        .send({ phone: '9811100030', name: 'Farah Khan', relationToContact: 'self', ageYears: 29 });
      patient = res.body.patient;
    });

    it('shows one patient to every staff role', async () => {
      for (const user of [frontdesk, doctor, pharmacy, accounts, admin]) {
        const res = await user.agent.get(`/api/v1/patients/${patient.id}`);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          id: patient.id,
          name: 'Farah Khan',
          phone: '+919811100030',
          statedAge: { years: 29 },
          ageExact: false,
        });
      }
    });

    it('answers 400 to a bad id, 404 to an unknown one and to a patient of another clinic', async () => {
      expect((await frontdesk.agent.get('/api/v1/patients/not-an-id')).status).toBe(400);
      const missing = await frontdesk.agent.get(`/api/v1/patients/${MISSING_ID}`);
      expect(missing.status).toBe(404);
      expect(problem(missing)).toMatchObject({ code: 'not_found' });
      expect((await admin.agent.get(`/api/v1/patients/${otherClinicPatientId}`)).status).toBe(404);
      expect(
        (await admin.agent.patch(`/api/v1/patients/${otherClinicPatientId}`).send({ version: 0, sex: 'male' })).status,
      ).toBe(404);
    });

    it('updates baseline details with the current version and answers 409 to a stale one', async () => {
      const res = await frontdesk.agent.patch(`/api/v1/patients/${patient.id}`).send({
        version: patient.version,
        dateOfBirth: '1996-02-10',
        medicalFlags: { allergies: ['sulfa'], notes: 'carries an inhaler' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        version: 1,
        dateOfBirth: '1996-02-10',
        ageExact: true,
        medicalFlags: { allergies: ['sulfa'], conditions: [], notes: 'carries an inhaler' },
      });
      expect(res.body).not.toHaveProperty('statedAge');

      const stale = await doctor.agent.patch(`/api/v1/patients/${patient.id}`).send({ version: 0, sex: 'female' });
      expect(stale.status).toBe(409);
      expect(problem(stale)).toMatchObject({ code: 'conflict', reason: 'stale_version', currentVersion: 1 });

      const byDoctor = await doctor.agent
        .patch(`/api/v1/patients/${patient.id}`)
        .send({ version: 1, medicalFlags: null });
      expect(byDoctor.status).toBe(200);
      expect(byDoctor.body).toMatchObject({ version: 2 });
      expect(byDoctor.body).not.toHaveProperty('medicalFlags');
    });

    it.each(['pharmacy', 'accounts'] as const)('answers 403 to %s updating', async (role) => {
      const user = { pharmacy, accounts }[role];
      const res = await user.agent.patch(`/api/v1/patients/${patient.id}`).send({ version: 2, sex: 'female' });
      expect(res.status).toBe(403);
      expect(problem(res)).toMatchObject({ code: 'forbidden' });
    });

    it('answers 400 to an empty change, a missing version and an unknown field', async () => {
      for (const body of [
        { version: 2 },
        { sex: 'female' },
        { version: 2, code: 'CN-00000' },
        { version: 2, sex: 'unknown' },
      ]) {
        const res = await frontdesk.agent.patch(`/api/v1/patients/${patient.id}`).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
    });

    it('answers 409 when a rename would duplicate another profile on the number', async () => {
      const sibling = await frontdesk.agent
        .post('/api/v1/patients')
        .send({ phone: '9811100030', name: 'Zoya Khan', relationToContact: 'sibling', ageYears: 25 });
      const res = await frontdesk.agent
        .patch(`/api/v1/patients/${sibling.body.patient.id}`)
        .send({ version: 0, name: 'farah khan' });
      expect(res.status).toBe(409);
      expect(problem(res)).toMatchObject({ code: 'patient_exists', patientId: patient.id });
    });
  });

  describe('GET /api/v1/contacts/lookup', () => {
    it('finds the contact and its profiles, account holder first', async () => {
      const res = await doctor.agent.get('/api/v1/contacts/lookup').query({ phone: '98111 00002' });
      expect(res.status).toBe(200);
      expect(res.body.contact).toMatchObject({ phone: '+919811100002', preferredLanguage: 'hi' });
      expect(
        res.body.profiles.map((p: { name: string; isAccountHolder: boolean }) => [p.name, p.isAccountHolder]),
      ).toEqual([
        ['Meera Iyer', true],
        ['Kavya Iyer', false],
      ]);
    });

    it('answers 404 to an unknown number and 400 to a missing or bad one', async () => {
      expect((await frontdesk.agent.get('/api/v1/contacts/lookup').query({ phone: '9811177777' })).status).toBe(404);
      expect((await frontdesk.agent.get('/api/v1/contacts/lookup')).status).toBe(400);
      expect((await frontdesk.agent.get('/api/v1/contacts/lookup').query({ phone: '555' })).status).toBe(400);
    });

    it('does not find a number registered only at another clinic', async () => {
      expect((await admin.agent.get('/api/v1/contacts/lookup').query({ phone: '9811100001' })).status).toBe(404);
    });
  });

  describe('consents', () => {
    let adult: string;
    let child: string;
    beforeAll(async () => {
      const parent = await frontdesk.agent
        .post('/api/v1/patients')
        .send({ phone: '9811100040', name: 'Lata Menon', relationToContact: 'self', ageYears: 38 });
      const kid = await frontdesk.agent
        .post('/api/v1/patients')
        .send({ phone: '9811100040', name: 'Rohan Menon', relationToContact: 'child', ageYears: 7 });
      adult = parent.body.patient.id;
      child = kid.body.patient.id;
    });

    it('records consent (201), returns the same consent again (200) and lists it for doctors', async () => {
      const body = { purpose: 'care', noticeVersion: '2025-01', givenBy: 'self' };
      const first = await frontdesk.agent.post(`/api/v1/patients/${adult}/consents`).send(body);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        purpose: 'care',
        status: 'granted',
        channel: 'frontdesk',
        givenBy: 'self',
        recordedBy: { type: 'staff', id: frontdesk.staff.id },
      });
      const again = await admin.agent.post(`/api/v1/patients/${adult}/consents`).send(body);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      const list = await doctor.agent.get(`/api/v1/patients/${adult}/consents`);
      expect(list.status).toBe(200);
      expect(list.body.consents.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
    });

    it("refuses a child's own consent (422) and accepts the guardian's", async () => {
      const own = await frontdesk.agent
        .post(`/api/v1/patients/${child}/consents`)
        .send({ purpose: 'care', noticeVersion: '2025-01', givenBy: 'self' });
      expect(own.status).toBe(422);
      expect(problem(own)).toMatchObject({ code: 'guardian_consent_required' });
      const guardian = await frontdesk.agent
        .post(`/api/v1/patients/${child}/consents`)
        .send({ purpose: 'care', noticeVersion: '2025-01', givenBy: 'guardian' });
      expect(guardian.status).toBe(201);
      expect(guardian.body).toMatchObject({ givenBy: 'guardian', guardianContactId: guardian.body.contactId });
    });

    it('withdraws a consent once (200) and answers 409 the second time, 404 for an unknown one', async () => {
      const granted = await frontdesk.agent
        .post(`/api/v1/patients/${adult}/consents`)
        .send({ purpose: 'reminders', noticeVersion: '2025-01', givenBy: 'self', channel: 'whatsapp' });
      const withdraw = await frontdesk.agent
        .post(`/api/v1/patients/${adult}/consents/${granted.body.id}/withdraw`)
        .send({});
      expect(withdraw.status).toBe(200);
      expect(withdraw.body).toMatchObject({
        status: 'withdrawn',
        withdrawnAt: expect.any(String),
        withdrawalChannel: 'frontdesk',
        channel: 'whatsapp',
      });
      const twice = await admin.agent.post(`/api/v1/patients/${adult}/consents/${granted.body.id}/withdraw`).send();
      expect(twice.status).toBe(409);
      expect(problem(twice)).toMatchObject({ reason: 'consent_not_granted', status: 409, currentStatus: 'withdrawn' });
      expect(
        (await frontdesk.agent.post(`/api/v1/patients/${adult}/consents/${MISSING_ID}/withdraw`).send({})).status,
      ).toBe(404);
      // Another patient's consent is not reachable through this patient.
      expect(
        (await frontdesk.agent.post(`/api/v1/patients/${child}/consents/${granted.body.id}/withdraw`).send({})).status,
      ).toBe(404);
    });

    it('answers 400 to invalid consent requests', async () => {
      const bad = [
        { purpose: 'selling_data', noticeVersion: '2025-01', givenBy: 'self' },
        { purpose: 'care', noticeVersion: 'has spaces', givenBy: 'self' },
        { purpose: 'care', noticeVersion: '2025-01', givenBy: 'neighbour' },
        { purpose: 'care', noticeVersion: '2025-01', givenBy: 'self', guardianContactId: MISSING_ID },
      ];
      for (const body of bad)
        expect((await frontdesk.agent.post(`/api/v1/patients/${adult}/consents`).send(body)).status).toBe(400);
      expect(
        (await frontdesk.agent.post(`/api/v1/patients/${adult}/consents/not-an-id/withdraw`).send({})).status,
      ).toBe(400);
      expect(
        (
          await frontdesk.agent
            .post(`/api/v1/patients/${adult}/consents/${MISSING_ID}/withdraw`)
            .send({ channel: 'fax' })
        ).status,
      ).toBe(400);
    });

    it('answers 403 to roles without the consent grants and 404 across clinics', async () => {
      const body = { purpose: 'care', noticeVersion: '2025-01', givenBy: 'self' };
      for (const user of [doctor, pharmacy, accounts])
        expect((await user.agent.post(`/api/v1/patients/${adult}/consents`).send(body)).status).toBe(403);
      for (const user of [pharmacy, accounts]) {
        expect((await user.agent.get(`/api/v1/patients/${adult}/consents`)).status).toBe(403);
        expect(
          (await user.agent.post(`/api/v1/patients/${adult}/consents/${MISSING_ID}/withdraw`).send({})).status,
        ).toBe(403);
      }
      expect((await admin.agent.get(`/api/v1/patients/${otherClinicPatientId}/consents`)).status).toBe(404);
      expect((await admin.agent.post(`/api/v1/patients/${otherClinicPatientId}/consents`).send(body)).status).toBe(404);
      expect((await admin.agent.get(`/api/v1/patients/${MISSING_ID}/consents`)).status).toBe(404);
    });
  });
});
