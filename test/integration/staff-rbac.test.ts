import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createStaffAndLogin, TEST_PASSWORD } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

function problem(res: supertest.Response): Record<string, unknown> {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return JSON.parse(res.text) as Record<string, unknown>;
}

const newStaff = (suffix: string, roles: string[] = ['frontdesk']) => ({
  name: 'New Colleague',
  email: `colleague-${suffix}@test.cinic.example`,
  password: 'a long enough password',
  roles,
});

describe('staff management and RBAC on real routes', () => {
  let t: TestApp;
  let admin: SignedInStaff;
  beforeAll(async () => {
    t = await startTestApp('staffrbac');
    admin = await createStaffAndLogin(t, ['admin']);
  });
  afterAll(async () => {
    await t.close();
  });

  const routes = (id: string) =>
    [
      ['get', '/api/v1/staff', undefined],
      ['post', '/api/v1/staff', newStaff('denied')],
      ['patch', `/api/v1/staff/${id}`, { active: false }],
      ['get', '/api/v1/auth/devices', undefined],
      ['post', `/api/v1/auth/devices/${id}/approve`, undefined],
      ['patch', '/api/v1/clinic/settings/security', { deviceApproval: false }],
    ] as const;

  it('answers 401 problem+json to anonymous callers on every protected route', async () => {
    for (const [method, path, body] of routes(admin.staff.id)) {
      const res = await supertest(t.app)[method](path).send(body);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(problem(res)).toMatchObject({ code: 'unauthenticated' });
    }
  });

  it.each(['frontdesk', 'doctor', 'pharmacy', 'accounts'] as const)(
    'answers 403 problem+json to %s on admin-only routes',
    async (role) => {
      const user = await createStaffAndLogin(t, [role]);
      for (const [method, path, body] of routes(admin.staff.id)) {
        const res = await user.agent[method](path).send(body);
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
        expect(problem(res)).toMatchObject({ code: 'forbidden' });
      }
      // Reading the clinic is open to every staff role.
      expect((await user.agent.get('/api/v1/clinic')).status).toBe(200);
    },
  );

  it('lets an admin create, list and change staff, with validation and audit', async () => {
    const created = await admin.agent.post('/api/v1/staff').send(newStaff('one'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'colleague-one@test.cinic.example',
      roles: ['frontdesk'],
      active: true,
      mfaEnabled: false,
    });
    expect(created.text).not.toMatch(/password|salt|hash/i);
    expect(await AuditEvent.countDocuments({ action: 'staff.created', 'entity.id': created.body.id })).toBe(1);

    const duplicate = await admin.agent
      .post('/api/v1/staff')
      .send({ ...newStaff('one'), email: 'Colleague-One@test.cinic.example' });
    expect(duplicate.status).toBe(409);
    expect(problem(duplicate)).toMatchObject({ code: 'email_taken' });
    expect((await admin.agent.post('/api/v1/staff').send({ ...newStaff('two'), password: 'short pass' })).status).toBe(
      400,
    );
    expect((await admin.agent.post('/api/v1/staff').send({ ...newStaff('three'), roles: ['patient'] })).status).toBe(
      400,
    );
    expect((await admin.agent.post('/api/v1/staff').send({ ...newStaff('four'), roles: [] })).status).toBe(400);

    const list = await admin.agent.get('/api/v1/staff');
    expect(list.status).toBe(200);
    expect(list.body.staff.map((entry: { id: string }) => entry.id)).toEqual(
      expect.arrayContaining([admin.staff.id, created.body.id]),
    );

    const changed = await admin.agent
      .patch(`/api/v1/staff/${created.body.id}`)
      .send({ roles: ['frontdesk', 'accounts'] });
    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(['frontdesk', 'accounts']);
    const event = await AuditEvent.findOne({ action: 'staff.updated', 'entity.id': created.body.id }).lean();
    expect(event?.diff).toEqual([{ field: 'roles', from: ['frontdesk'], to: ['frontdesk', 'accounts'] }]);
    expect((await admin.agent.patch(`/api/v1/staff/${created.body.id}`).send({})).status).toBe(400);
    expect((await admin.agent.patch('/api/v1/staff/000000000000000000000000').send({ active: false })).status).toBe(
      404,
    );
  });

  it('applies a role change at the next request of a live session', async () => {
    const user = await createStaffAndLogin(t, ['frontdesk']);
    expect((await user.agent.get('/api/v1/staff')).status).toBe(403);
    expect((await admin.agent.patch(`/api/v1/staff/${user.staff.id}`).send({ roles: ['admin'] })).status).toBe(200);
    expect((await user.agent.get('/api/v1/staff')).status).toBe(200);
    expect((await admin.agent.patch(`/api/v1/staff/${user.staff.id}`).send({ roles: ['doctor'] })).status).toBe(200);
    expect((await user.agent.get('/api/v1/staff')).status).toBe(403);
  });

  it('ends every session of a deactivated account and refuses its sign-in', async () => {
    const user = await createStaffAndLogin(t, ['accounts']);
    expect((await admin.agent.patch(`/api/v1/staff/${user.staff.id}`).send({ active: false })).status).toBe(200);
    expect((await user.agent.get('/api/v1/auth/me')).status).toBe(401);
    const signIn = await supertest(t.app)
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD });
    expect(signIn.status).toBe(403);
    expect(problem(signIn)).toMatchObject({ code: 'account_disabled' });
    // A wrong password on a disabled account learns nothing more than on any account.
    const wrong = await supertest(t.app)
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'wrong password here' });
    expect(problem(wrong)).toMatchObject({ code: 'invalid_credentials' });
  });

  it('documents the auth, staff and clinic routes in the OpenAPI document', async () => {
    const paths = Object.keys((await t.http.get('/api/openapi.json')).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/auth/mfa/verify',
        '/api/v1/auth/devices/{id}/approve',
        '/api/v1/staff/{id}',
        '/api/v1/clinic/settings/security',
      ]),
    );
  });

  it('refuses to remove the last active admin', async () => {
    const soleAdminCheck = await admin.agent.get('/api/v1/staff');
    const otherAdmins = soleAdminCheck.body.staff.filter(
      (entry: { id: string; roles: string[]; active: boolean }) =>
        entry.id !== admin.staff.id && entry.active && entry.roles.includes('admin'),
    );
    for (const other of otherAdmins)
      expect((await admin.agent.patch(`/api/v1/staff/${other.id}`).send({ active: false })).status).toBe(200);

    const demote = await admin.agent.patch(`/api/v1/staff/${admin.staff.id}`).send({ roles: ['frontdesk'] });
    expect(demote.status).toBe(409);
    expect(problem(demote)).toMatchObject({ code: 'conflict', reason: 'last_admin' });
    expect((await admin.agent.patch(`/api/v1/staff/${admin.staff.id}`).send({ active: false })).status).toBe(409);
    expect((await admin.agent.get('/api/v1/staff')).status).toBe(200);
  });
});
