import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

describe('API documentation and the landing page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('docs');
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await t.http.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/readyz'].get.responses['503'].description).toMatch(/draining/);
    expect(res.body.components.securitySchemes.staffSession).toMatchObject({ type: 'apiKey', in: 'cookie' });
  });

  it('serves Swagger UI with its assets and no inline script', async () => {
    const page = await t.http.get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/api/docs/assets/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/<script>[^<]/);
    expect((await t.http.get('/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
    expect((await t.http.get('/api/docs/init.js')).text).toContain("url: '/api/openapi.json'");
  });

  it('lists the pages on the landing page', async () => {
    const res = await t.http.get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/api/docs"');
    expect(res.text).toContain('Sandbox mode');
  });
});
