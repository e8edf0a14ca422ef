/**
 * Starts the local MongoDB-wire server and Redis once per test run, through the same
 * bootstrap module `npm start` uses, unless MONGODB_URI / REDIS_URL point at existing ones.
 * Test files read TEST_MONGODB_URI / TEST_REDIS_URL and pick their own database and prefix.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalServices } from '../../scripts/local-services.mjs';
import type { LocalServices } from '../../scripts/local-services.mjs';

declare global {
  var cinicTestServices: { services: LocalServices; dataDir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cinic-test-'));
  const services = await startLocalServices({ dataDir, persistent: false });
  globalThis.cinicTestServices = { services, dataDir };
  process.env.TEST_MONGODB_URI = services.mongoUri;
  process.env.TEST_REDIS_URL = services.redisUrl;
  process.env.TEST_DATA_DIR = dataDir;
}
