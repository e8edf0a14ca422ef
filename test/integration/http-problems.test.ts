import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import supertest from 'supertest';
import { errorHandler } from '../../src/platform/http/error-handler.js';
import { requestContext } from '../../src/platform/http/request-context.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

describe('problem+json errors on the real app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('problems');
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers an unknown route with 404 problem+json and a request id', async () => {
    const res = await t.http.get('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ status: 404, code: 'route_not_found', title: 'Not Found' });
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await t.http.post('/no/such/route').set('content-type', 'application/json').send('{"broken": ');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ status: 400, code: 'malformed_json' });
  });

  it('answers an oversized body with 413', async () => {
    const huge = JSON.stringify({ padding: 'x'.repeat(300 * 1024) });
    const res = await t.http.post('/no/such/route').set('content-type', 'application/json').send(huge);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('keeps a sane incoming X-Request-Id and replaces a hostile one', async () => {
    const kept = await t.http.get('/healthz').set('x-request-id', 'abc12345-trace');
    expect(kept.headers['x-request-id']).toBe('abc12345-trace');
    const replaced = await t.http.get('/healthz').set('x-request-id', '<script>alert(1)</script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers and no CORS headers for unknown origins', async () => {
    const res = await t.http.get('/healthz').set('origin', 'https://evil.example');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('the error handler on an unexpected error', () => {
  it('answers 500 without internals', async () => {
    const app = express();
    app.use(requestContext);
    app.get('/boom', () => {
      throw new Error('secret connection string mongodb://user:pw@db');
    });
    app.use(errorHandler);
    const res = await supertest(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.text).not.toContain('mongodb://');
    expect(res.text).not.toContain('secret');
    expect(JSON.parse(res.text)).toMatchObject({ status: 500, code: 'internal_error' });
  });
});
