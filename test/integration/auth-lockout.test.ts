/**
 * Sign-in lockout done right (issue 14 point 7): the same answers and counts for known and
 * unknown emails, a lock per account AND source with a doubling length, atomic counters (30
 * parallel wrong passwords check no more than the limit), and the locked staff member and the
 * admins are told (audit event, a notice at the next sign-in, the staff list).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { LOCKOUT, LOGIN_LIMITS } from '../../src/modules/auth/login-limits.js';
import { Staff } from '../../src/modules/auth/staff.model.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { agentCookie, createStaffAndLogin, TEST_PASSWORD } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

let ipCounter = 0;
/** A fresh client IP per scenario (the app trusts X-Forwarded-For in this file). */
function nextIp(): string {
  ipCounter += 1;
  return `198.51.100.${ipCounter}`;
}

interface Answer {
  status: number;
  code?: string;
  retryAfter?: number;
}

describe('sign-in lockout per account and source', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('authlockout', { env: { TRUST_PROXY: 'true' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const attempt = async (email: string, password: string, ip: string, deviceCookie?: string): Promise<Answer> => {
    const request = supertest(t.app).post('/api/v1/auth/login').set('x-forwarded-for', ip);
    if (deviceCookie) request.set('cookie', `cinic.did=${deviceCookie}`);
    const res = await request.send({ email, password });
    return {
      status: res.status,
      ...(res.body?.code ? { code: res.body.code as string } : {}),
      ...(res.headers['retry-after'] ? { retryAfter: Number(res.headers['retry-after']) } : {}),
    };
  };

  it('answers a known and an unknown email alike, attempt by attempt, and locks both at the same count', async () => {
    const { email } = await createStaffAndLogin(t, ['frontdesk'], { ip: nextIp() });
    const unknown = `nobody-${Date.now()}@test.cinic.example`;
    const known: Answer[] = [];
    const stranger: Answer[] = [];
    const knownIp = nextIp();
    const strangerIp = nextIp();
    for (let index = 0; index < LOCKOUT.maxFailures + 2; index++) {
      known.push(await attempt(email, 'wrong password here', knownIp));
      stranger.push(await attempt(unknown, 'wrong password here', strangerIp));
    }
    const expected: Answer[] = [
      ...Array.from({ length: LOCKOUT.maxFailures - 1 }, () => ({ status: 401, code: 'invalid_credentials' })),
      { status: 429, code: 'account_locked', retryAfter: LOCKOUT.durationMs / 1000 },
    ];
    const roughly = (answers: Answer[]) =>
      answers.map((answer) => ({ ...answer, ...(answer.retryAfter ? { retryAfter: expect.any(Number) } : {}) }));
    expect(known.slice(0, LOCKOUT.maxFailures)).toEqual(expected);
    expect(stranger.slice(0, LOCKOUT.maxFailures)).toEqual(expected);
    expect(roughly(known)).toEqual(roughly(stranger));
    for (const answer of [...known.slice(LOCKOUT.maxFailures), ...stranger.slice(LOCKOUT.maxFailures)]) {
      expect(answer).toMatchObject({ status: 429, code: 'account_locked' });
      expect(answer.retryAfter).toBeGreaterThan(LOCKOUT.durationMs / 1000 - 60);
    }
    // The right password from the locked source is refused too; from another source it works.
    expect(await attempt(email, TEST_PASSWORD, knownIp)).toMatchObject({ status: 429, code: 'account_locked' });
    expect((await attempt(email, TEST_PASSWORD, nextIp())).status).toBe(200);
  });

  it(`checks at most ${LOCKOUT.maxFailures} passwords of 30 sent in parallel, for a known and an unknown email`, async () => {
    const { email, staff } = await createStaffAndLogin(t, ['doctor'], { ip: nextIp() });
    const unknown = `ghost-${Date.now()}@test.cinic.example`;
    const burst = async (target: string) => {
      const ip = nextIp();
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, index) => attempt(target, `parallel guess ${index}`, ip)),
      );
      return {
        wrongPassword: answers.filter((answer) => answer.status === 401).length,
        locked: answers.filter((answer) => answer.code === 'account_locked').length,
        ipLimited: answers.filter((answer) => answer.code === 'too_many_attempts').length,
      };
    };
    const knownBurst = await burst(email);
    const unknownBurst = await burst(unknown);
    // 30 from one IP: 10 over the IP's limit of 20; of the other 20, 5 are checked (the 5th locks the
    // pair and answers 429 after its check) and 15 refused unchecked: 4 × 401 and 26 × 429.
    const overIp = 30 - LOGIN_LIMITS.perIp.limit;
    expect(knownBurst).toEqual({
      wrongPassword: LOCKOUT.maxFailures - 1,
      locked: 30 - overIp - LOCKOUT.maxFailures + 1,
      ipLimited: overIp,
    });
    expect(unknownBurst).toEqual(knownBurst);
    // Passwords actually checked against the stored hash: exactly the limit.
    expect((await Staff.findById(staff.id).lean())?.failedAttempts).toBe(LOCKOUT.maxFailures);
    expect(await AuditEvent.countDocuments({ action: 'auth.lockout', 'entity.id': staff.id })).toBe(1);
  });

  it('doubles the lock each time the same source locks the account again within a day', async () => {
    const { email } = await createStaffAndLogin(t, ['frontdesk'], { ip: nextIp() });
    const ip = nextIp();
    const lockOnce = async () => {
      let last: Answer = { status: 0 };
      for (let index = 0; index < LOCKOUT.maxFailures; index++) last = await attempt(email, 'wrong password', ip);
      return last;
    };
    const failureKeys = () => t.runtime.redis.keys(`${t.runtime.config.redis.queuePrefix}:auth:lock:*:f:*`);
    const before = new Set(await failureKeys());
    expect(await lockOnce()).toEqual({ status: 429, code: 'account_locked', retryAfter: LOCKOUT.durationMs / 1000 });
    // Let the first lock run out (its failure counter is the lock), keeping the pair's lock history.
    const lockKey = (await failureKeys()).find((key) => !before.has(key))!;
    expect(lockKey).toBeDefined();
    await t.runtime.redis.del(lockKey);
    expect(await lockOnce()).toEqual({
      status: 429,
      code: 'account_locked',
      retryAfter: (2 * LOCKOUT.durationMs) / 1000,
    });
  });

  it("tells the locked staff member at their next sign-in and the admins (audit event, staff list); an admin's unlock clears every source", async () => {
    const admin = await createStaffAndLogin(t, ['admin'], { ip: nextIp() });
    const { email, staff } = await createStaffAndLogin(t, ['frontdesk'], { ip: nextIp() });
    const attackerIp = nextIp();
    for (let index = 0; index < LOCKOUT.maxFailures; index++) await attempt(email, 'guess', attackerIp);

    const event = await AuditEvent.findOne({ action: 'auth.lockout', 'entity.id': staff.id }).lean();
    expect(event?.diff).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'source', to: attackerIp }),
        expect.objectContaining({ field: 'lockNumber', to: 1 }),
      ]),
    );
    const listed = await admin.agent.get('/api/v1/staff').expect(200);
    expect(listed.body.staff.find((entry: { id: string }) => entry.id === staff.id).lockedUntil).toBeDefined();

    const agent = supertest.agent(t.app);
    const signedIn = await agent
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', nextIp())
      .send({ email, password: TEST_PASSWORD })
      .expect(200);
    expect(signedIn.body.notices).toEqual([
      expect.objectContaining({ kind: 'sign_in_locked', source: attackerIp, until: expect.any(String) }),
    ]);
    expect((await agent.get('/api/v1/auth/me').expect(200)).body.notices).toHaveLength(1);
    await agent.post('/api/v1/auth/notices/dismiss').expect(204);
    expect((await agent.get('/api/v1/auth/me').expect(200)).body.notices).toEqual([]);

    expect((await admin.agent.patch(`/api/v1/staff/${staff.id}`).send({ unlock: true })).status).toBe(200);
    expect((await attempt(email, TEST_PASSWORD, attackerIp)).status).toBe(200);
  });

  it(`keeps the staff member's own approved device signing in while guesses from many sources hold the account`, async () => {
    const victim = await createStaffAndLogin(t, ['accounts'], { ip: nextIp() });
    const ownDevice = agentCookie(victim.agent, 'cinic.did')!;
    // Guesses spread over many IPs, fewer than the per-source limit each, exhaust the account-wide limit.
    for (let index = 0; index < LOGIN_LIMITS.perAccount.limit; index++)
      expect((await attempt(victim.email, `spread guess ${index}`, nextIp())).status).toBe(401);
    expect(await attempt(victim.email, TEST_PASSWORD, nextIp())).toMatchObject({
      status: 429,
      code: 'too_many_attempts',
    });
    // The staff member's own device (its cookie) from a new network still signs in.
    expect((await attempt(victim.email, TEST_PASSWORD, nextIp(), ownDevice)).status).toBe(200);
  });
});
