import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TOTP, URI } from 'otpauth';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { LOGIN_LIMITS } from '../../src/modules/auth/login-limits.js';
import { Staff } from '../../src/modules/auth/staff.model.js';
import { encryptedModels } from '../../src/platform/crypto/encrypted-fields.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { updateSecuritySettings } from '../../src/modules/clinics/clinic.service.js';
import { createStaffAndLogin, TEST_PASSWORD, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

const STEP_MS = 30_000;

function totpFrom(uri: string): TOTP {
  const otp = URI.parse(uri);
  if (!(otp instanceof TOTP)) throw new Error('not a TOTP URI');
  return otp;
}

/** A code that is certainly wrong for `otp` right now (no step in the drift window gives it). */
function wrongCode(otp: TOTP): string {
  const valid = new Set([-1, 0, 1].map((offset) => otp.generate({ timestamp: Date.now() + offset * STEP_MS })));
  for (let candidate = 0; ; candidate++) {
    const code = String(candidate).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

async function newSession(t: TestApp, email: string): Promise<TestAgent> {
  const agent = supertest.agent(t.app);
  const res = await agent.post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD });
  expect(res.status).toBe(200);
  return agent;
}

describe('TOTP MFA', () => {
  let t: TestApp;
  let admin: SignedInStaff;
  beforeAll(async () => {
    t = await startTestApp('authmfa');
    admin = await createStaffAndLogin(t, ['admin']);
    // New devices are approved at once here, so this file is about MFA only.
    expect((await admin.agent.patch('/api/v1/clinic/settings/security').send({ deviceApproval: false })).status).toBe(
      200,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  async function enrol(user: SignedInStaff): Promise<{ otp: TOTP; confirmedAt: number }> {
    const started = await user.agent.post('/api/v1/auth/mfa/enrol');
    expect(started.status).toBe(200);
    const otp = totpFrom(started.body.otpauthUri);
    const confirmedAt = Date.now();
    const confirmed = await user.agent
      .post('/api/v1/auth/mfa/confirm')
      .send({ code: otp.generate({ timestamp: confirmedAt }) });
    expect(confirmed.status).toBe(200);
    return { otp, confirmedAt };
  }

  it('enrols with an otpauth URI and a PNG QR code, storing the secret only encrypted', async () => {
    const user = await createStaffAndLogin(t, ['doctor']);
    const res = await user.agent.post('/api/v1/auth/mfa/enrol');
    expect(res.status).toBe(200);
    expect(res.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/CINIC:.+\?.*secret=[A-Z2-7]+/);
    expect(res.body.otpauthUri).toContain('issuer=CINIC');
    expect(res.body.qrCode).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    const otp = totpFrom(res.body.otpauthUri);
    expect(res.body.manualEntryKey).toBe(otp.secret.base32);

    const raw = await Staff.collection.findOne({ email: user.email });
    expect(raw?.mfa?.pendingSecret).toMatch(/^enc:v1:/);
    expect(JSON.stringify(raw)).not.toContain(otp.secret.base32);
    // Not enabled until a code confirms the app has it.
    expect(raw?.mfa?.enabled).toBe(false);
    // Key rotation re-encrypts the secrets along with every other encrypted field.
    expect(encryptedModels().find(({ model }) => model.modelName === 'Staff')?.spec.paths).toEqual([
      'mfa.secret',
      'mfa.pendingSecret',
    ]);
  });

  it('refuses a wrong confirmation code, then enrols with a right one', async () => {
    const user = await createStaffAndLogin(t, ['doctor']);
    const started = await user.agent.post('/api/v1/auth/mfa/enrol');
    const otp = totpFrom(started.body.otpauthUri);
    const wrong = await user.agent.post('/api/v1/auth/mfa/confirm').send({ code: wrongCode(otp) });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toMatchObject({ code: 'invalid_code' });
    const malformed = await user.agent.post('/api/v1/auth/mfa/confirm').send({ code: '12ab' });
    expect(malformed.status).toBe(400);

    const right = await user.agent.post('/api/v1/auth/mfa/confirm').send({ code: otp.generate() });
    expect(right.status).toBe(200);
    const me = await user.agent.get('/api/v1/auth/me');
    expect(me.body.staff.mfaEnabled).toBe(true);
    expect(me.body.session.state).toBe('active');

    const raw = await Staff.collection.findOne({ email: user.email });
    expect(raw?.mfa?.secret).toMatch(/^enc:v1:/);
    expect(raw?.mfa?.pendingSecret).toBeUndefined();
    expect(await AuditEvent.countDocuments({ action: 'auth.mfa_enrolled', 'entity.id': user.staff.id })).toBe(1);
    // A second enrolment needs an admin reset first.
    expect((await user.agent.post('/api/v1/auth/mfa/enrol')).status).toBe(409);
  });

  it('makes the next sign-in mfa_pending until a code verifies it; wrong and replayed codes are refused', async () => {
    const user = await createStaffAndLogin(t, ['frontdesk']);
    const { otp, confirmedAt } = await enrol(user);

    const agent = await newSession(t, user.email);
    const me = await agent.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.session).toMatchObject({ state: 'mfa_pending', mfaRequired: true });
    const blocked = await agent.get('/api/v1/clinic');
    expect(blocked.status).toBe(403);
    expect(JSON.parse(blocked.text)).toMatchObject({ code: 'mfa_required' });

    const wrong = await agent.post('/api/v1/auth/mfa/verify').send({ code: wrongCode(otp) });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toMatchObject({ code: 'invalid_code' });

    // The code used to confirm enrolment: its time step is spent.
    const replayed = await agent
      .post('/api/v1/auth/mfa/verify')
      .send({ code: otp.generate({ timestamp: confirmedAt }) });
    expect(replayed.status).toBe(401);
    expect(JSON.parse(replayed.text)).toMatchObject({ code: 'code_already_used' });

    const nextStep = otp.generate({ timestamp: confirmedAt + STEP_MS });
    const verified = await agent.post('/api/v1/auth/mfa/verify').send({ code: nextStep });
    expect(verified.status).toBe(200);
    expect((await agent.get('/api/v1/clinic')).status).toBe(200);
    expect((await agent.get('/api/v1/auth/me')).body.session.state).toBe('active');

    // The same code in another session is a replay too.
    const other = await newSession(t, user.email);
    const again = await other.post('/api/v1/auth/mfa/verify').send({ code: nextStep });
    expect(again.status).toBe(401);
    expect(JSON.parse(again.text)).toMatchObject({ code: 'code_already_used' });
    // Verify is only for sessions waiting on a code.
    const done = await agent.post('/api/v1/auth/mfa/verify').send({ code: nextStep });
    expect(done.status).toBe(409);
    expect(JSON.parse(done.text)).toMatchObject({ code: 'session_active' });
  });

  it(`rate-limits codes: ${LOGIN_LIMITS.mfa.limit} wrong ones, then 429 with Retry-After`, async () => {
    const user = await createStaffAndLogin(t, ['pharmacy']);
    const { otp } = await enrol(user);
    const agent = await newSession(t, user.email);
    for (let index = 0; index < LOGIN_LIMITS.mfa.limit; index++) {
      expect((await agent.post('/api/v1/auth/mfa/verify').send({ code: wrongCode(otp) })).status).toBe(401);
    }
    const limited = await agent.post('/api/v1/auth/mfa/verify').send({ code: otp.generate() });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('requires enrolment for roles the clinic names, and only for them', async () => {
    const accounts = await createStaffAndLogin(t, ['accounts']);
    const frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    const setting = await admin.agent
      .patch('/api/v1/clinic/settings/security')
      .send({ mfaRequiredRoles: ['admin', 'accounts'] });
    expect(setting.status).toBe(200);
    expect(setting.body.security.mfaRequiredRoles).toEqual(['admin', 'accounts']);

    try {
      // Live sessions are held to the new rule at their next request.
      const blocked = await accounts.agent.get('/api/v1/clinic');
      expect(blocked.status).toBe(403);
      expect(JSON.parse(blocked.text)).toMatchObject({ code: 'mfa_enrolment_required' });
      expect((await accounts.agent.get('/api/v1/auth/me')).body.session).toMatchObject({
        state: 'mfa_enrolment_required',
        mfaRequired: true,
      });
      expect((await frontdesk.agent.get('/api/v1/clinic')).status).toBe(200);

      await enrol(accounts);
      expect((await accounts.agent.get('/api/v1/clinic')).status).toBe(200);
      const fresh = await newSession(t, accounts.email);
      expect((await fresh.get('/api/v1/auth/me')).body.session.state).toBe('mfa_pending');
    } finally {
      // The rule also holds the admin (no MFA enrolled) back; lift it through the service as the system.
      await updateSecuritySettings(await testSystemActor(), { mfaRequiredRoles: [] });
    }
    expect((await admin.agent.get('/api/v1/clinic')).status).toBe(200);
  });

  it('lets an admin reset a lost authenticator, ending the sessions of that account', async () => {
    const user = await createStaffAndLogin(t, ['doctor']);
    await enrol(user);
    const reset = await admin.agent.patch(`/api/v1/staff/${user.staff.id}`).send({ resetMfa: true });
    expect(reset.status).toBe(200);
    expect(reset.body.mfaEnabled).toBe(false);
    expect((await user.agent.get('/api/v1/auth/me')).status).toBe(401);
    const again = await newSession(t, user.email);
    expect((await again.get('/api/v1/auth/me')).body.session.state).toBe('active');
    expect(await AuditEvent.countDocuments({ action: 'auth.mfa_reset', 'entity.id': user.staff.id })).toBe(1);
  });
});
