import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startRedis, stopChild } from '../../scripts/local-services.mjs';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

async function waitForStatus(t: TestApp, status: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http.get('/readyz');
    if (res.status === status || Date.now() > deadline) return res;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('/healthz and /readyz with a Redis of our own that we stop and restart', () => {
  let t: TestApp;
  let redis: ChildProcess;
  let port: number;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cinic-readyz-'));

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis({ port, dir });
    t = await startTestApp('readyz', { env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await t.close();
    await stopChild(redis);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ready when MongoDB and Redis answer', async () => {
    const res = await t.http.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { mongodb: 'up', redis: 'up', shuttingDown: false } });
    expect((await t.http.get('/healthz')).status).toBe(200);
  });

  it('answers 503 while Redis is down and 200 again once it is back', async () => {
    await stopChild(redis);
    const down = await waitForStatus(t, 503);
    expect(down.status).toBe(503);
    expect(down.body.checks).toMatchObject({ mongodb: 'up', redis: 'down' });
    // Liveness does not depend on Redis: restarting the process would not help.
    expect((await t.http.get('/healthz')).status).toBe(200);

    redis = await startRedis({ port, dir });
    const up = await waitForStatus(t, 200);
    expect(up.status).toBe(200);
    expect(up.body.checks.redis).toBe('up');
  });

  it('answers 503 once shutdown has begun, so load balancers drain', async () => {
    t.runtime.shuttingDown = true;
    const res = await t.http.get('/readyz');
    t.runtime.shuttingDown = false;
    expect(res.status).toBe(503);
    expect(res.body.checks.shuttingDown).toBe(true);
  });
});
