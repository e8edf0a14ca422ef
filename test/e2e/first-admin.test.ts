import { describe, expect, it } from '@jest/globals';
import { uniqueName } from '../helpers/env.js';
import { spawnApp } from '../helpers/spawn-app.js';

describe('the first admin at boot of the real process', () => {
  it('is generated and printed once to stdout (not the log), and can sign in; a restart prints nothing', async () => {
    const name = uniqueName('firstadmin');
    const env = { MONGODB_DB: name, QUEUE_PREFIX: name };

    const first = await spawnApp('firstadmin', env);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const output = first.output();
    const email = /email {5}(\S+)/.exec(output)?.[1];
    const password = /password {2}(\S+)/.exec(output)?.[1];
    expect(email).toBe('admin@cinic.local');
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(output.split(password!)).toHaveLength(2);
    // The JSON log lines never carry it.
    for (const line of output.split('\n').filter((entry) => entry.startsWith('{')))
      expect(line).not.toContain(password);

    const again = await spawnApp('firstadmin', env);
    try {
      const login = await fetch(`${again.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { session: { state: string } }).session.state).toBe('active');
    } finally {
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    }
    expect(again.output()).not.toContain('created the first admin');
  });

  it('uses ADMIN_EMAIL / ADMIN_PASSWORD when set and prints no password', async () => {
    const app = await spawnApp('envadmin', {
      ADMIN_EMAIL: 'owner@clinic.example',
      ADMIN_PASSWORD: 'a very long admin passphrase',
    });
    try {
      const login = await fetch(`${app.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@clinic.example', password: 'a very long admin passphrase' }),
      });
      expect(login.status).toBe(200);
    } finally {
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    }
    expect(app.output()).not.toContain('a very long admin passphrase');
    expect(app.output()).not.toContain('created the first admin');
  });
});
