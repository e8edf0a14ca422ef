import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

describe('/metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('metrics');
    t.runtime.queues.define({ name: 'metrics-probe', process: async () => undefined });
    await t.runtime.queues.queue('metrics-probe').add('probe', { id: 'x' }, { delay: 60_000, jobId: 'probe-1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports request counts and latency by route template, and queue depths', async () => {
    await t.http.get('/healthz');
    await t.http.get('/healthz');
    await t.http.get('/no/such/page?phone=9876543210');
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} 2/);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(res.text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz",status="200"\}/,
    );
    expect(res.text).toMatch(/bullmq_queue_jobs\{queue="metrics-probe",state="delayed"\} 1/);
    expect(res.text).not.toContain('9876543210');
  });
});
