/**
 * Environment for one test file: the shared local services, a database and queue prefix of
 * its own, fixed test secrets and silent logs. Tests build configs from this, never from
 * process.env directly.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** Fixed, clearly fake secrets: tests must be reproducible. */
export const testSecrets = {
  SESSION_SECRET: 'test-session-secret-0123456789abcdef0123456789',
  DATA_ENCRYPTION_KEYS: `t1:${Buffer.alloc(32, 1).toString('base64')}`,
  BLIND_INDEX_KEY: Buffer.alloc(32, 2).toString('base64'),
  AUDIT_HMAC_KEYS: `ta1:${Buffer.alloc(32, 3).toString('base64')}`,
};

/** A short unique name for this file's database and queue prefix. */
export function uniqueName(label: string): string {
  return `t_${label.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

/** The env a test app runs with; `overrides` win. */
export function testEnv(
  label: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const name = uniqueName(label);
  const mongo = process.env.TEST_MONGODB_URI;
  const redis = process.env.TEST_REDIS_URL;
  if (!mongo || !redis) throw new Error('TEST_MONGODB_URI / TEST_REDIS_URL are unset: run tests through `npm test`');
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    MONGODB_URI: mongo,
    MONGODB_DB: name,
    REDIS_URL: redis,
    QUEUE_PREFIX: name,
    // Files (documents, audit anchors, backups) of this test file only.
    CINIC_DATA_DIR: path.join(process.env.TEST_DATA_DIR ?? os.tmpdir(), name),
    ...testSecrets,
    ...overrides,
  };
}
