import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import supertest from 'supertest';
import type { Config } from '../../src/config.js';
import { setDeviceCookie, setSessionCookie } from '../../src/modules/auth/auth.cookies.js';
import { ensureFirstAdmin, GENERATED_ADMIN_EMAIL } from '../../src/modules/auth/first-admin.js';
import { LOCKOUT, LOGIN_LIMITS } from '../../src/modules/auth/login-limits.js';
import { Staff } from '../../src/modules/auth/staff.model.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createStaffAndLogin, TEST_PASSWORD } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

function cookieHeader(res: supertest.Response, name: string): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const found = cookies.find((cookie) => cookie.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${JSON.stringify(cookies)}`);
  return found;
}

function cookieValue(res: supertest.Response, name: string): string {
  return cookieHeader(res, name)
    .split(';')[0]!
    .slice(name.length + 1);
}

function problem(res: supertest.Response): Record<string, unknown> {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return JSON.parse(res.text) as Record<string, unknown>;
}

let ipCounter = 0;
/** A fresh client IP per scenario (the app trusts X-Forwarded-For in this file). */
function nextIp(): string {
  ipCounter += 1;
  return `203.0.113.${ipCounter}`;
}

describe('staff sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('authlogin', { env: { TRUST_PROXY: 'true' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates the first admin once, printing a generated password to the given stream only', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const first = await ensureFirstAdmin(t.runtime, out);
    const second = await ensureFirstAdmin(t.runtime, out);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    const password = /password {2}(\S+)/.exec(printed)?.[1];
    expect(printed).toContain(GENERATED_ADMIN_EMAIL);
    expect(password).toBeDefined();
    expect(printed.match(/password {2}/g)).toHaveLength(1);

    const res = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email: GENERATED_ADMIN_EMAIL, password });
    expect(res.status).toBe(200);
    expect(res.body.staff.roles).toEqual(['admin']);
    // The very first admin's first device is approved without anyone to approve it.
    expect(res.body.session.state).toBe('active');
    expect(res.body.device).toMatchObject({ status: 'approved', decidedBy: 'system:first-admin' });
    // Only the first: another device of the same admin waits for approval like anyone's.
    const otherDevice = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email: GENERATED_ADMIN_EMAIL, password });
    expect(otherDevice.body.session.state).toBe('device_pending');
  });

  it('signs in with the right password and answers who is signed in, without secrets', async () => {
    const signedIn = await createStaffAndLogin(t, ['frontdesk'], { ip: nextIp() });
    const me = await signedIn.agent.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.staff).toMatchObject({
      id: signedIn.staff.id,
      email: signedIn.email,
      roles: ['frontdesk'],
      active: true,
      mfaEnabled: false,
    });
    expect(me.body.session.state).toBe('active');
    expect(Date.parse(me.body.session.absoluteExpiresAt) - Date.now()).toBeGreaterThan(11 * 3_600_000);
    expect(me.text).not.toMatch(/password|salt|hash|secret/i);

    const audited = await AuditEvent.find({ action: 'auth.login', 'entity.id': signedIn.staff.id }).lean();
    expect(audited).toHaveLength(1);
  });

  it('sets HttpOnly, SameSite=Lax session and device cookies (not Secure outside production)', async () => {
    const { email } = await createStaffAndLogin(t, ['doctor'], { ip: nextIp() });
    const res = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    const session = cookieHeader(res, 'cinic.sid');
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).toMatch(/; Path=\//);
    expect(session).not.toMatch(/Secure/);
    // A browser-session cookie: the server enforces idle and absolute limits.
    expect(session).not.toMatch(/Expires|Max-Age/);
    const device = cookieHeader(res, 'cinic.did');
    expect(device).toMatch(/; HttpOnly/);
    expect(device).toMatch(/; SameSite=Lax/);
    expect(device).toMatch(/Max-Age=\d{8}/);
  });

  it('marks both cookies Secure in production', async () => {
    const app = express();
    app.get('/', (_req, res) => {
      setSessionCookie(res, { isProduction: true } as Config, 'a'.repeat(43));
      setDeviceCookie(res, { isProduction: true } as Config, 'b'.repeat(43));
      res.end();
    });
    const res = await supertest(app).get('/');
    expect(cookieHeader(res, 'cinic.sid')).toMatch(/; Secure/);
    expect(cookieHeader(res, 'cinic.did')).toMatch(/; Secure/);
  });

  it('keeps only a keyed hash of the session id in Redis', async () => {
    const { email } = await createStaffAndLogin(t, ['pharmacy'], { ip: nextIp() });
    const res = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email, password: TEST_PASSWORD });
    const sessionId = cookieValue(res, 'cinic.sid');
    const keys = await t.runtime.redis.keys(`${t.runtime.config.redis.queuePrefix}:auth:sess:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.some((key) => key.includes(sessionId))).toBe(false);
  });

  it('refuses a wrong password or an unknown email the same way and counts failures on the account', async () => {
    const { email, staff } = await createStaffAndLogin(t, ['accounts'], { ip: nextIp() });
    const wrong = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email, password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(problem(wrong)).toMatchObject({ status: 401, code: 'invalid_credentials' });
    const unknown = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email: 'nobody@test.cinic.example', password: 'whatever password' });
    expect(problem(unknown)).toMatchObject({ status: 401, code: 'invalid_credentials', detail: problem(wrong).detail });

    await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email, password: 'still not the password' });
    expect((await Staff.findById(staff.id).lean())?.failedAttempts).toBe(2);
    // Success resets the count.
    const ok = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email, password: TEST_PASSWORD });
    expect(ok.status).toBe(200);
    expect((await Staff.findById(staff.id).lean())?.failedAttempts).toBe(0);
  });

  it('validates the body with 400', async () => {
    const res = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email: 'not-an-email' });
    expect(res.status).toBe(400);
    expect(problem(res)).toMatchObject({ code: 'validation_failed' });
  });

  it(`locks the account from a source after ${LOCKOUT.maxFailures} wrong passwords, even for the right one, until an admin unlocks it`, async () => {
    const admin = await createStaffAndLogin(t, ['admin'], { ip: nextIp() });
    const { email, staff } = await createStaffAndLogin(t, ['frontdesk'], { ip: nextIp() });
    // One source: locks are per account AND source (issue 14.7), so the guesses come from one IP.
    const source = nextIp();
    const attempt = (password: string) =>
      supertest(t.app).post('/api/v1/auth/login').set('x-forwarded-for', source).send({ email, password });
    for (let index = 1; index < LOCKOUT.maxFailures; index++)
      expect((await attempt('wrong password here')).status).toBe(401);
    const locking = await attempt('wrong password here');
    expect(locking.status).toBe(429);
    expect(problem(locking)).toMatchObject({ code: 'account_locked' });
    expect(Number(locking.headers['retry-after'])).toBe(LOCKOUT.durationMs / 1000);

    const rightButLocked = await attempt(TEST_PASSWORD);
    expect(rightButLocked.status).toBe(429);
    expect(problem(rightButLocked)).toMatchObject({ code: 'account_locked' });
    expect(Number(rightButLocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await Staff.findById(staff.id).lean())?.lockedUntil).toBeInstanceOf(Date);
    expect(await AuditEvent.countDocuments({ action: 'auth.lockout', 'entity.id': staff.id })).toBe(1);

    const listed = await admin.agent.get('/api/v1/staff');
    expect(listed.body.staff.find((entry: { id: string }) => entry.id === staff.id).lockedUntil).toBeDefined();
    expect((await admin.agent.patch(`/api/v1/staff/${staff.id}`).send({ unlock: true })).status).toBe(200);
    expect((await attempt(TEST_PASSWORD)).status).toBe(200);
  });

  it(`answers 429 with Retry-After after ${LOGIN_LIMITS.perIp.limit} failed sign-ins from one IP, and only for that IP`, async () => {
    const ip = nextIp();
    for (let index = 0; index < LOGIN_LIMITS.perIp.limit; index++) {
      const res = await supertest(t.app)
        .post('/api/v1/auth/login')
        .set('x-forwarded-for', ip)
        .send({ email: `guess${index}@test.cinic.example`, password: 'guessing password' });
      expect(res.status).toBe(401);
    }
    const { email } = await createStaffAndLogin(t, ['doctor'], { ip: nextIp() });
    const limited = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', ip)
      .send({ email, password: TEST_PASSWORD });
    expect(limited.status).toBe(429);
    expect(problem(limited)).toMatchObject({ status: 429, code: 'too_many_attempts' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_LIMITS.perIp.windowSeconds);

    const elsewhere = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email, password: TEST_PASSWORD });
    expect(elsewhere.status).toBe(200);
  });

  it(`answers 429 after ${LOGIN_LIMITS.perAccount.limit} failed sign-ins for one account from many IPs, without revealing whether it exists`, async () => {
    const email = 'target-of-guessing@test.cinic.example';
    for (let index = 0; index < LOGIN_LIMITS.perAccount.limit; index++) {
      const res = await supertest(t.app)
        .post('/api/v1/auth/login')
        .set('x-forwarded-for', nextIp())
        .send({ email, password: `guess number ${index}` });
      expect(res.status).toBe(401);
    }
    const limited = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email, password: 'another guess' });
    expect(limited.status).toBe(429);
    expect(problem(limited)).toMatchObject({ code: 'too_many_attempts' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('does not count successful sign-ins against the IP', async () => {
    const ip = nextIp();
    const { email } = await createStaffAndLogin(t, ['frontdesk'], { ip });
    for (let index = 0; index < LOGIN_LIMITS.perIp.limit + 2; index++) {
      const res = await supertest(t.app)
        .post('/api/v1/auth/login')
        .set('x-forwarded-for', ip)
        .send({ email, password: TEST_PASSWORD });
      expect(res.status).toBe(200);
    }
  });

  it('ends the session at logout: the old cookie no longer works', async () => {
    const { agent } = await createStaffAndLogin(t, ['frontdesk'], { ip: nextIp() });
    const { email } = await createStaffAndLogin(t, ['frontdesk'], { ip: nextIp() });
    const login = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email, password: TEST_PASSWORD });
    const sessionCookie = `cinic.sid=${cookieValue(login, 'cinic.sid')}`;
    expect((await supertest(t.app).get('/api/v1/auth/me').set('cookie', sessionCookie)).status).toBe(200);

    const out = await supertest(t.app).post('/api/v1/auth/logout').set('cookie', sessionCookie);
    expect(out.status).toBe(204);
    expect(cookieHeader(out, 'cinic.sid')).toMatch(/Expires=Thu, 01 Jan 1970/);
    const after = await supertest(t.app).get('/api/v1/auth/me').set('cookie', sessionCookie);
    expect(after.status).toBe(401);
    expect(problem(after)).toMatchObject({ code: 'unauthenticated' });
    // Signing out twice, or without a session, is fine.
    expect((await supertest(t.app).post('/api/v1/auth/logout').set('cookie', sessionCookie)).status).toBe(204);
    // Other sessions are untouched.
    expect((await agent.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('answers 401 problem+json without a session or with a forged one', async () => {
    const none = await supertest(t.app).get('/api/v1/auth/me');
    expect(none.status).toBe(401);
    expect(problem(none)).toMatchObject({ status: 401, code: 'unauthenticated' });
    const forged = await supertest(t.app)
      .get('/api/v1/auth/me')
      .set('cookie', `cinic.sid=${'x'.repeat(43)}`);
    expect(forged.status).toBe(401);
  });

  it('changes the password (12+ characters), keeping this session and ending the others', async () => {
    const first = await createStaffAndLogin(t, ['accounts'], { ip: nextIp() });
    const second = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email: first.email, password: TEST_PASSWORD });
    const otherSession = `cinic.sid=${cookieValue(second, 'cinic.sid')}`;

    const short = await first.agent
      .post('/api/v1/auth/password')
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'too short' });
    expect(short.status).toBe(400);
    const wrongCurrent = await first.agent
      .post('/api/v1/auth/password')
      .send({ currentPassword: 'not my password', newPassword: 'a brand new passphrase' });
    expect(wrongCurrent.status).toBe(401);
    const changed = await first.agent
      .post('/api/v1/auth/password')
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' });
    expect(changed.status).toBe(204);

    expect((await first.agent.get('/api/v1/auth/me')).status).toBe(200);
    expect((await supertest(t.app).get('/api/v1/auth/me').set('cookie', otherSession)).status).toBe(401);
    const withNew = await supertest(t.app)
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email: first.email, password: 'a brand new passphrase' });
    expect(withNew.status).toBe(200);
  });

  it('stores passwords as salted scrypt with their parameters', async () => {
    const a = await createStaffAndLogin(t, ['doctor'], { ip: nextIp() });
    const b = await createStaffAndLogin(t, ['doctor'], { ip: nextIp() });
    const [rawA, rawB] = await Promise.all([a, b].map((entry) => Staff.collection.findOne({ email: entry.email })));
    expect(rawA?.password).toMatchObject({ algorithm: 'scrypt', N: 32768, r: 8, p: 1, keyLength: 64 });
    expect(rawA?.password.salt).not.toBe(rawB?.password.salt);
    expect(rawA?.password.hash).not.toBe(rawB?.password.hash);
    expect(JSON.stringify(rawA)).not.toContain(TEST_PASSWORD);
  });
});
