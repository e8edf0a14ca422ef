import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config.js';
import { testSecrets } from '../helpers/env.js';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017', REDIS_URL: 'redis://127.0.0.1:6379', ...testSecrets };

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults and turns sandbox on when provider credentials are absent', () => {
    const config = loadConfig(base);
    expect(config.port).toBe(3000);
    expect(config.env).toBe('development');
    expect(config.sandbox).toBe(true);
    expect(config.mongo.dbName).toBe('cinic');
    expect(config.whatsapp.apiUrl).toBe('http://localhost:3000/sandbox/whatsapp/graph');
    expect(config.razorpay.apiUrl).toBe('http://localhost:3000/sandbox/razorpay/api/v1');
    expect(config.security.currentKeyId).toBe('t1');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({ PORT: 'eighty', REDIS_URL: 'http://nope' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: /),
        'MONGODB_URI is required',
        expect.stringMatching(/^REDIS_URL: must be a redis/),
        'SESSION_SECRET is required',
        'DATA_ENCRYPTION_KEYS is required',
        'BLIND_INDEX_KEY is required',
      ]),
    );
    expect(problems.at(-1)).toMatch(/npm start generates local secrets/);
  });

  it('rejects a malformed keyring and a current key id that is not in it', () => {
    expect(problemsOf({ ...base, DATA_ENCRYPTION_KEYS: 'k1:short' })).toEqual([
      expect.stringMatching(/DATA_ENCRYPTION_KEYS: each entry must be/),
    ]);
    expect(problemsOf({ ...base, DATA_ENCRYPTION_KEY_ID: 'k9' })).toEqual([
      expect.stringMatching(/"k9" is not in DATA_ENCRYPTION_KEYS/),
    ]);
  });

  it('encrypts with the last key unless DATA_ENCRYPTION_KEY_ID says otherwise', () => {
    const two = `${testSecrets.DATA_ENCRYPTION_KEYS},t2:${Buffer.alloc(32, 9).toString('base64')}`;
    expect(loadConfig({ ...base, DATA_ENCRYPTION_KEYS: two }).security.currentKeyId).toBe('t2');
    expect(loadConfig({ ...base, DATA_ENCRYPTION_KEYS: two, DATA_ENCRYPTION_KEY_ID: 't1' }).security.currentKeyId).toBe(
      't1',
    );
  });

  it('refuses to start in production without secrets or provider credentials', () => {
    const problems = problemsOf({ NODE_ENV: 'production', MONGODB_URI: base.MONGODB_URI, REDIS_URL: base.REDIS_URL });
    expect(problems).toEqual(expect.arrayContaining(['SESSION_SECRET is required', 'BLIND_INDEX_KEY is required']));
    const withSecrets = problemsOf({ ...base, NODE_ENV: 'production' });
    expect(withSecrets).toEqual(
      expect.arrayContaining([
        'WHATSAPP_ACCESS_TOKEN is required outside sandbox mode',
        'RAZORPAY_WEBHOOK_SECRET is required outside sandbox mode',
      ]),
    );
  });

  it('reports missing secrets and what production and provider mode require in ONE pass', () => {
    const problems = problemsOf({ NODE_ENV: 'production', MONGODB_URI: base.MONGODB_URI, REDIS_URL: base.REDIS_URL });
    expect(problems).toEqual(
      expect.arrayContaining([
        'SESSION_SECRET is required',
        'DATA_ENCRYPTION_KEYS is required',
        'BLIND_INDEX_KEY is required',
        'WHATSAPP_ACCESS_TOKEN is required outside sandbox mode',
        'RAZORPAY_WEBHOOK_SECRET is required outside sandbox mode',
        'AUDIT_HMAC_KEYS is required in production',
        'DOCUMENT_LINK_SECRET is required in production',
      ]),
    );
    expect(problemsOf({ ...base, PORT: 'eighty', STORAGE_DRIVER: 's3' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^PORT: /), 'S3_BUCKET is required when STORAGE_DRIVER=s3']),
    );
  });

  it('never allows sandbox mode in production', () => {
    expect(problemsOf({ ...base, NODE_ENV: 'production', SANDBOX: 'true' })).toContain(
      'SANDBOX cannot be on with NODE_ENV=production',
    );
  });

  it('honours explicit webhook secrets in sandbox mode', () => {
    const config = loadConfig({
      ...base,
      WHATSAPP_APP_SECRET: 'wa-secret',
      WHATSAPP_VERIFY_TOKEN: 'verify-me',
      RAZORPAY_WEBHOOK_SECRET: 'rzp-secret',
    });
    expect(config.sandbox).toBe(true);
    expect(config.whatsapp.appSecret).toBe('wa-secret');
    expect(config.whatsapp.verifyToken).toBe('verify-me');
    expect(config.razorpay.webhookSecret).toBe('rzp-secret');
  });

  it('leaves sandbox mode when every provider credential is present', () => {
    const config = loadConfig({
      ...base,
      WHATSAPP_ACCESS_TOKEN: 'token',
      WHATSAPP_PHONE_NUMBER_ID: '12345',
      WHATSAPP_APP_SECRET: 'app-secret',
      WHATSAPP_VERIFY_TOKEN: 'verify',
      RAZORPAY_KEY_ID: 'rzp_live_x',
      RAZORPAY_KEY_SECRET: 'key-secret',
      RAZORPAY_WEBHOOK_SECRET: 'hook-secret',
    });
    expect(config.sandbox).toBe(false);
    expect(config.whatsapp.apiUrl).toBe('https://graph.facebook.com');
    expect(config.razorpay.apiUrl).toBe('https://api.razorpay.com/v1');
  });

  it('rejects a short admin password', () => {
    expect(problemsOf({ ...base, ADMIN_EMAIL: 'admin@clinic.in', ADMIN_PASSWORD: 'short' })).toEqual([
      'ADMIN_PASSWORD: must be at least 12 characters',
    ]);
  });
});
