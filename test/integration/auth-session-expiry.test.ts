/**
 * Session limits with the real Redis TTLs, shrunk through config so the test takes seconds:
 * idle 1.5 s (SESSION_IDLE_MINUTES=0.025) and absolute 4.5 s (SESSION_ABSOLUTE_HOURS=0.00125).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createStaffAndLogin } from '../helpers/auth.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

const IDLE_MS = 1_500;
const ABSOLUTE_MS = 4_500;

describe('session lifetime', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('authexpiry', {
      env: { SESSION_IDLE_MINUTES: String(IDLE_MS / 60_000), SESSION_ABSOLUTE_HOURS: String(ABSOLUTE_MS / 3_600_000) },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('ends a session left idle longer than the idle timeout', async () => {
    const { agent } = await createStaffAndLogin(t, ['frontdesk']);
    const me = await agent.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    const idleLeft = Date.parse(me.body.session.idleExpiresAt) - Date.now();
    expect(idleLeft).toBeGreaterThan(0);
    expect(idleLeft).toBeLessThanOrEqual(IDLE_MS);

    await sleep(IDLE_MS + 500);
    const after = await agent.get('/api/v1/auth/me');
    expect(after.status).toBe(401);
    expect(after.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('slides the idle timeout with use, but never past the absolute limit', async () => {
    const signedIn = await createStaffAndLogin(t, ['frontdesk']);
    const deadline = Date.parse(signedIn.login.session.absoluteExpiresAt);
    // Used every 0.6 s for longer than the idle timeout: still alive.
    while (Date.now() < deadline - 1_200) {
      expect((await signedIn.agent.get('/api/v1/clinic')).status).toBe(200);
      await sleep(600);
    }
    const lastUse = await signedIn.agent.get('/api/v1/auth/me');
    expect(lastUse.status).toBe(200);
    // The idle expiry reported never reaches beyond the absolute one.
    expect(Date.parse(lastUse.body.session.idleExpiresAt)).toBeLessThanOrEqual(deadline);

    // Past the absolute deadline, though used well within the idle timeout: ended.
    await sleep(Math.max(0, deadline - Date.now()) + 300);
    expect((await signedIn.agent.get('/api/v1/clinic')).status).toBe(401);
  });
});
