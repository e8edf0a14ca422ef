/**
 * What production exposes (issue 14 point 9): /metrics only with the bearer token from
 * METRICS_TOKEN (and not at all without one), and an OpenAPI document without the sandbox's paths.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';

/** A production environment with fake provider credentials (no call leaves the machine in these tests). */
function productionEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    WHATSAPP_ACCESS_TOKEN: 'test-access-token',
    WHATSAPP_PHONE_NUMBER_ID: '100000000000009',
    WHATSAPP_APP_SECRET: 'test-app-secret-0123456789',
    WHATSAPP_VERIFY_TOKEN: 'test-verify-token',
    WHATSAPP_API_URL: 'http://127.0.0.1:9/graph',
    RAZORPAY_KEY_ID: 'rzp_test_x',
    RAZORPAY_KEY_SECRET: 'test-razorpay-secret',
    RAZORPAY_WEBHOOK_SECRET: 'test-razorpay-webhook-secret',
    RAZORPAY_API_URL: 'http://127.0.0.1:9/razorpay',
    BACKUP_ENCRYPTION_KEYS: `tb1:${Buffer.alloc(32, 5).toString('base64')}`,
    DOCUMENT_LINK_SECRET: 'test-document-link-secret-0123456789abcdef',
    ...extra,
  };
}

describe('production surface: /metrics and the OpenAPI document', () => {
  let open: TestApp;
  let closed: TestApp;
  beforeAll(async () => {
    closed = await startTestApp('prodclosed', { env: productionEnv() });
    open = await startTestApp('prodtoken', { env: productionEnv({ METRICS_TOKEN }) });
  }, 60_000);
  afterAll(async () => {
    await closed?.close();
    await open?.close();
  });

  it('does not serve /metrics in production without METRICS_TOKEN', async () => {
    expect(closed.runtime.config.isProduction).toBe(true);
    const res = await closed.http.get('/metrics');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('http_requests_total');
  });

  it('serves /metrics only to the bearer of METRICS_TOKEN', async () => {
    expect((await open.http.get('/metrics')).status).toBe(401);
    expect((await open.http.get('/metrics').set('authorization', 'Bearer not-the-token')).status).toBe(401);
    const scraped = await open.http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('http_requests_total');
  });

  it('leaves the sandbox paths out of the production OpenAPI document', async () => {
    const doc = (await closed.http.get('/api/openapi.json').expect(200)).body as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths);
    expect(paths).toContain('/api/v1/auth/login');
    expect(paths.filter((path) => path.startsWith('/sandbox'))).toEqual([]);
  });
});
