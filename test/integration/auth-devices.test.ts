import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { Device } from '../../src/modules/auth/device.model.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createStaffAndLogin, TEST_PASSWORD } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

function problemCode(res: supertest.Response): unknown {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return (JSON.parse(res.text) as { code: unknown }).code;
}

describe('device approval', () => {
  let t: TestApp;
  let admin: SignedInStaff;
  beforeAll(async () => {
    t = await startTestApp('authdevices');
    admin = await createStaffAndLogin(t, ['admin']);
  });
  afterAll(async () => {
    await t.close();
  });

  it('holds a sign-in from an unknown device as device_pending: /me reports it, everything else answers 403', async () => {
    const user = await createStaffAndLogin(t, ['admin'], { approveDevice: false });
    expect(user.login.session.state).toBe('device_pending');
    expect(user.login.device.status).toBe('pending');

    const me = await user.agent.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.session.state).toBe('device_pending');
    for (const blocked of [
      user.agent.get('/api/v1/staff'),
      user.agent.get('/api/v1/clinic'),
      user.agent.get('/api/v1/auth/devices'),
    ]) {
      const res = await blocked;
      expect(res.status).toBe(403);
      expect(problemCode(res)).toBe('device_pending');
    }
    // Holding the admin role does not let a pending device approve itself.
    const selfApproval = await user.agent.post(`/api/v1/auth/devices/${user.login.device.id}/approve`);
    expect(selfApproval.status).toBe(403);
    expect(problemCode(selfApproval)).toBe('device_pending');
  });

  it('lets an admin see and approve the pending device; the same session then works', async () => {
    const user = await createStaffAndLogin(t, ['frontdesk'], { approveDevice: false });
    const pending = await admin.agent.get('/api/v1/auth/devices?status=pending');
    expect(pending.status).toBe(200);
    const listed = pending.body.devices.find((device: { id: string }) => device.id === user.login.device.id);
    expect(listed).toMatchObject({ staffId: user.staff.id, status: 'pending', label: 'Unknown client' });

    const approved = await admin.agent.post(`/api/v1/auth/devices/${user.login.device.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: admin.staff.id });
    expect((await user.agent.get('/api/v1/clinic')).status).toBe(200);
    expect(await AuditEvent.countDocuments({ action: 'auth.device_approved', 'entity.id': user.login.device.id })).toBe(
      1,
    );

    // Approving again changes nothing and is not audited twice.
    expect((await admin.agent.post(`/api/v1/auth/devices/${user.login.device.id}/approve`)).status).toBe(200);
    expect(await AuditEvent.countDocuments({ action: 'auth.device_approved', 'entity.id': user.login.device.id })).toBe(
      1,
    );

    // The device cookie remembers the device: the next sign-in from it is usable at once.
    const again = await user.agent.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD });
    expect(again.body.session.state).toBe('active');
    expect(again.body.device.id).toBe(user.login.device.id);
    expect(await Device.countDocuments({ staffId: user.staff.id })).toBe(1);
  });

  it('rejects a device: its session ends with 403 device_rejected and it cannot sign in again', async () => {
    const user = await createStaffAndLogin(t, ['doctor'], { approveDevice: false });
    const rejected = await admin.agent.post(`/api/v1/auth/devices/${user.login.device.id}/reject`);
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect(await AuditEvent.countDocuments({ action: 'auth.device_rejected', 'entity.id': user.login.device.id })).toBe(
      1,
    );

    const res = await user.agent.get('/api/v1/auth/me');
    expect(res.status).toBe(403);
    expect(problemCode(res)).toBe('device_rejected');
    expect((await user.agent.get('/api/v1/auth/me')).status).toBe(401);

    const signIn = await user.agent.post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD });
    expect(signIn.status).toBe(403);
    expect(problemCode(signIn)).toBe('device_rejected');
  });

  it('revokes an approved device: live sessions on it end at their next request', async () => {
    const user = await createStaffAndLogin(t, ['pharmacy']);
    expect((await user.agent.get('/api/v1/clinic')).status).toBe(200);
    expect((await admin.agent.post(`/api/v1/auth/devices/${user.login.device.id}/reject`)).status).toBe(200);
    expect((await user.agent.get('/api/v1/clinic')).status).toBe(403);
  });

  it('treats every sign-in without the device cookie as a new device, labelled from the User-Agent', async () => {
    const user = await createStaffAndLogin(t, ['accounts']);
    const res = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set(
        'user-agent',
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 <script>',
      )
      .send({ email: user.email, password: TEST_PASSWORD });
    expect(res.body.session.state).toBe('device_pending');
    expect(res.body.device.label).toBe('Chrome on Windows');
    expect(res.body.device.id).not.toBe(user.login.device.id);
  });

  it('stores only a keyed hash of the device token', async () => {
    const res = await supertest(t.app).post('/api/v1/auth/login').send({ email: admin.email, password: TEST_PASSWORD });
    const token = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((cookie) => cookie.startsWith('cinic.did='))!
      .split(';')[0]!
      .slice('cinic.did='.length);
    const raw = await Device.collection.findOne({ _id: new mongoose.Types.ObjectId(String(res.body.device.id)) });
    expect(raw?.tokenHash).toBeDefined();
    expect(JSON.stringify(raw)).not.toContain(token);
  });

  it('answers 401 to anonymous callers and 403 to roles other than admin on device routes', async () => {
    const anonymous = await supertest(t.app).post(`/api/v1/auth/devices/${admin.login.device.id}/approve`);
    expect(anonymous.status).toBe(401);
    expect(problemCode(anonymous)).toBe('unauthenticated');
    for (const role of ['frontdesk', 'doctor', 'pharmacy', 'accounts'] as const) {
      const user = await createStaffAndLogin(t, [role]);
      const list = await user.agent.get('/api/v1/auth/devices');
      expect(list.status).toBe(403);
      expect(problemCode(list)).toBe('forbidden');
      const decide = await user.agent.post(`/api/v1/auth/devices/${user.login.device.id}/reject`);
      expect(decide.status).toBe(403);
    }
    expect((await admin.agent.post('/api/v1/auth/devices/000000000000000000000000/approve')).status).toBe(404);
    expect((await admin.agent.post('/api/v1/auth/devices/not-an-id/approve')).status).toBe(400);
  });

  it('approves new devices at once when the clinic turns device approval off', async () => {
    expect((await admin.agent.patch('/api/v1/clinic/settings/security').send({ deviceApproval: false })).status).toBe(
      200,
    );
    try {
      const user = await createStaffAndLogin(t, ['frontdesk'], { approveDevice: false });
      expect(user.login.session.state).toBe('active');
      expect(user.login.device).toMatchObject({ status: 'approved', decidedBy: 'system:approval-off' });
    } finally {
      await admin.agent.patch('/api/v1/clinic/settings/security').send({ deviceApproval: true });
    }
    const held = await createStaffAndLogin(t, ['frontdesk'], { approveDevice: false });
    expect(held.login.session.state).toBe('device_pending');
  });
});
