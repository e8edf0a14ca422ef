import { describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { spawnApp } from '../helpers/spawn-app.js';

describe('graceful shutdown of the real process', () => {
  it('finishes an in-flight request after SIGTERM, refuses new connections, and exits 0', async () => {
    const app = await spawnApp('shutdown');
    const { port } = new URL(app.baseUrl);

    // A request whose body is still arriving is in flight until we finish sending it.
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/readyz',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('{"half": ');
      setTimeout(() => {
        app.child.kill('SIGTERM');
        setTimeout(() => req.end('"done"}'), 400);
      }, 200);
    });

    const finished = await response;
    // POST /readyz has no handler: the in-flight request got a complete, well-formed answer.
    expect(finished.status).toBe(404);
    expect(JSON.parse(finished.body)).toMatchObject({ code: 'route_not_found' });
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain('shutdown complete');
    await expect(fetch(`${app.baseUrl}/healthz`)).rejects.toThrow();
  });

  it('stops on SIGINT too, with workers running in the same process', async () => {
    const app = await spawnApp('shutdown-int', { PROCESS_ROLE: 'all' });
    app.child.kill('SIGINT');
    expect(await app.exited).toBe(0);
  });

  it('runs api and worker as separate processes; the worker serves only probes and metrics', async () => {
    const api = await spawnApp('split-api', {}, ['--role=api']);
    const worker = await spawnApp('split-worker', {}, ['--role=worker']);
    expect((await fetch(`${api.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${worker.baseUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${worker.baseUrl}/api/docs`)).status).toBe(404);
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(await worker.exited).toBe(0);
  });

  it('prints every configuration problem and exits 1', async () => {
    await expect(spawnApp('bad-config', { MONGODB_URI: 'postgres://nope', SESSION_SECRET: 'short' })).rejects.toThrow(
      /app exited early \(1\)[\s\S]*MONGODB_URI: must be a mongodb[\s\S]*SESSION_SECRET: must be at least 32/,
    );
  });
});
