/**
 * A separate process that appends audit events, for the concurrency test:
 *   node --import tsx test/helpers/audit-appender.ts
 * with the test's env plus APPEND_CLINIC, APPEND_COUNT, APPEND_LABEL and APPEND_START_AT (epoch
 * ms: every appender starts at the same moment so they really race).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config.js';
import { systemActor } from '../../src/platform/actor.js';
import { audit } from '../../src/platform/audit/audit.service.js';
import { configureFieldEncryption } from '../../src/platform/crypto/keyring.js';
import { connectMongo, disconnectMongo } from '../../src/platform/db.js';
import { createLogger, setRootLogger } from '../../src/platform/logger.js';

const clinicId = process.env.APPEND_CLINIC ?? '';
const count = Number(process.env.APPEND_COUNT ?? 0);
const label = process.env.APPEND_LABEL ?? 'child';
const startAt = Number(process.env.APPEND_START_AT ?? 0);

const config = loadConfig();
setRootLogger(createLogger(config.logLevel));
configureFieldEncryption(config);
await connectMongo({ uri: config.mongo.uri, dbName: config.mongo.dbName });
await sleep(Math.max(0, startAt - Date.now()));
const receipts = await Promise.all(
  Array.from({ length: count }, (_, i) =>
    audit.record({
      actor: systemActor(clinicId, `test:${label}`),
      action: 'test.append',
      entity: { type: 'test_item', id: `${label}-${i}` },
    }),
  ),
);
await disconnectMongo();
process.stdout.write(
  `${JSON.stringify({ label, appended: receipts.length, lateMs: Math.max(0, Date.now() - startAt) })}\n`,
);
