import { describe, expect, it } from '@jest/globals';
import { uniqueName } from '../helpers/env.js';
import { spawnApp } from '../helpers/spawn-app.js';

const ACCOUNT_LINE = /^ {2}(doctor|frontdesk) +(\S+@demo\.cinic\.local) +(\S+) {2}(.+)$/gm;

describe('the sandbox demo clinic at boot of the real process', () => {
  it('is seeded and its accounts printed once (not logged); the demo doctor signs in with a doctorId; a restart prints nothing', async () => {
    const name = uniqueName('demoboot');
    const env = { MONGODB_DB: name, QUEUE_PREFIX: name, DEMO_SEED: 'true' };

    const first = await spawnApp('demoboot', env);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const output = first.output();
    expect(output).toContain(
      'CINIC seeded the demo clinic "CINIC Demo Clinic, Bengaluru" with doctors and 14 days of slots.',
    );
    const accounts = [...output.matchAll(ACCOUNT_LINE)].map(([, role, email, password, who]) => ({
      role,
      email,
      password: password!,
      who,
    }));
    expect(accounts.map(({ role, email, who }) => [role, email, who])).toEqual([
      ['doctor', 'ananya.rao@demo.cinic.local', 'Dr. Ananya Rao, General Medicine'],
      ['doctor', 'vikram.shetty@demo.cinic.local', 'Dr. Vikram Shetty, General Medicine'],
      ['doctor', 'priya.menon@demo.cinic.local', 'Dr. Priya Menon, Paediatrics'],
      ['frontdesk', 'frontdesk@demo.cinic.local', 'Kavya Nair'],
    ]);
    for (const { password } of accounts) {
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(output.split(password)).toHaveLength(2);
      for (const line of output.split('\n').filter((entry) => entry.startsWith('{')))
        expect(line).not.toContain(password);
    }

    const again = await spawnApp('demoboot', env);
    try {
      const login = await fetch(`${again.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: accounts[0]!.email, password: accounts[0]!.password }),
      });
      expect(login.status).toBe(200);
      const body = (await login.json()) as {
        session: { state: string };
        staff: { doctorId?: string; roles: string[] };
      };
      expect(body.session.state).toBe('active');
      expect(body.staff.roles).toEqual(['doctor']);
      expect(body.staff.doctorId).toMatch(/^[0-9a-f]{24}$/);
      const cookies = login.headers
        .getSetCookie()
        .map((cookie) => cookie.split(';')[0])
        .join('; ');
      const slots = await fetch(`${again.baseUrl}/api/v1/doctors/${body.staff.doctorId}/slots?limit=1`, {
        headers: { cookie: cookies },
      });
      expect(((await slots.json()) as { slots: unknown[] }).slots).toHaveLength(1);
    } finally {
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    }
    expect(again.output()).not.toContain('CINIC seeded the demo clinic');
  });
});
