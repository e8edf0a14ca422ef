/**
 * Signing staff in for tests through the real login route: creates an account in the default
 * clinic, signs in with a cookie-keeping supertest agent and (unless told not to) approves the
 * new device as the system, so the agent holds a usable session.
 *
 *   const admin = await createStaffAndLogin(t, ['admin']);
 *   await admin.agent.get('/api/v1/staff').expect(200);
 */
import { randomBytes } from 'node:crypto';
import { CookieAccessInfo } from 'cookiejar';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { SESSION_COOKIE } from '../../src/modules/auth/auth.cookies.js';
import { CSRF_HEADER, csrfTokenFor } from '../../src/platform/http/csrf.js';
import { systemActor } from '../../src/platform/actor.js';
import type { Actor } from '../../src/platform/actor.js';
import { decideDevice } from '../../src/modules/auth/device.service.js';
import type { StaffRole } from '../../src/modules/auth/staff.model.js';
import { createStaff } from '../../src/modules/auth/staff.service.js';
import type { StaffView } from '../../src/modules/auth/staff.service.js';
import { ensureDefaultClinic } from '../../src/modules/clinics/clinic.service.js';
import type { TestApp } from './test-app.js';

/** The password every helper-made account gets. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** A signed-in staff member: a cookie-keeping agent plus what was created. */
export interface SignedInStaff {
  agent: TestAgent;
  staff: StaffView;
  email: string;
  password: string;
  actor: Actor;
  /** The /login answer (session state, device). */
  login: {
    session: { state: string; absoluteExpiresAt: string; idleExpiresAt: string };
    device: { id: string; status: string };
  };
}

/** Options for `createStaffAndLogin`. */
export interface StaffLoginOptions {
  doctorId?: string;
  /** Leave a new device pending instead of approving it (default: approve). */
  approveDevice?: boolean;
  /** Fixed X-Forwarded-For for the login (only honoured with TRUST_PROXY=true). */
  ip?: string;
}

/** The system actor tests use to set things up in the default clinic. */
export async function testSystemActor(): Promise<Actor> {
  const clinic = await ensureDefaultClinic();
  return systemActor(clinic.id, 'test:setup');
}

/** Creates a staff account with `roles` and returns a supertest agent signed in as it. */
export async function createStaffAndLogin(
  t: TestApp,
  roles: StaffRole[],
  options: StaffLoginOptions = {},
): Promise<SignedInStaff> {
  const system = await testSystemActor();
  const email = `${roles.join('-')}-${randomBytes(4).toString('hex')}@test.cinic.example`;
  const staff = await createStaff(system, {
    name: `Test ${roles.join(' ')}`,
    email,
    password: TEST_PASSWORD,
    roles,
    ...(options.doctorId ? { doctorId: options.doctorId } : {}),
  });
  const agent = sendsCsrfToken(supertest.agent(t.app), t);
  const request = agent.post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD });
  if (options.ip) request.set('x-forwarded-for', options.ip);
  const res = await request;
  if (res.status !== 200) throw new Error(`test login failed with ${res.status}: ${res.text}`);
  let login = res.body as SignedInStaff['login'];
  if ((options.approveDevice ?? true) && login.device.status === 'pending') {
    await decideDevice(system, login.device.id, 'approved');
    login = (await agent.get('/api/v1/auth/me')).body as SignedInStaff['login'];
  }
  const actor: Actor = {
    type: 'staff',
    id: staff.id,
    roles,
    clinicId: system.clinicId,
    ...(options.doctorId ? { doctorId: options.doctorId } : {}),
  };
  return { agent, staff, email, password: TEST_PASSWORD, actor, login };
}

/** The value of cookie `name` in `agent`'s jar, if it holds one. */
export function agentCookie(agent: TestAgent, name: string): string | undefined {
  const jar = (agent as unknown as { jar: { getCookie(name: string, access: unknown): { value: string } | undefined } })
    .jar;
  return jar.getCookie(name, CookieAccessInfo.All)?.value;
}

/**
 * Makes `agent` send its session's CSRF token (X-CSRF-Token) on every request, as a page of the
 * view would in its hidden form field; the token follows the session cookie across sign-ins.
 */
export function sendsCsrfToken(agent: TestAgent, t: Pick<TestApp, 'runtime'>): TestAgent {
  agent.use((request: { set(field: string, value: string): unknown }) => {
    const sessionId = agentCookie(agent, SESSION_COOKIE);
    if (sessionId)
      request.set(CSRF_HEADER, csrfTokenFor(t.runtime.config.security.sessionSecret, SESSION_COOKIE, sessionId));
  });
  return agent;
}
