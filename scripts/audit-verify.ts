/**
 * `npm run audit:verify [-- --clinic=<clinicId>]`
 *
 * Walks every clinic's audit chain (or one clinic's) and names the first broken link: an edited,
 * deleted or reordered event, a forgery re-hashed without the audit key, or a chain cut short
 * behind the heads anchored in write-once storage. Exits 0 when the chain is intact, 1 when it is
 * broken, 2 on setup errors. Needs MongoDB, the storage driver and the audit keys (AUDIT_HMAC_KEYS).
 */
import { ConfigError, loadConfig } from '../src/config.js';
import { storageAnchors } from '../src/platform/audit/anchors.js';
import { verifyAuditChain } from '../src/platform/audit/verify-chain.js';
import { configureFieldEncryption } from '../src/platform/crypto/keyring.js';
import { createDocumentStorage } from '../src/platform/storage/index.js';
import { connectMongo, disconnectMongo } from '../src/platform/db.js';
import { createLogger, setRootLogger } from '../src/platform/logger.js';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  setRootLogger(createLogger('warn'));
  const clinicId = process.argv.find((arg) => arg.startsWith('--clinic='))?.slice('--clinic='.length);

  configureFieldEncryption(config);
  await connectMongo({ uri: config.mongo.uri, dbName: config.mongo.dbName });
  try {
    const report = await verifyAuditChain({ clinicId, anchors: [storageAnchors(createDocumentStorage(config))] });
    if (report.ok) {
      console.log(
        `Audit chain intact: ${report.checked} event(s) in ${report.chains} chain(s).` +
          ` ${report.anchors ?? 0} anchored head(s) match.` +
          (report.legacy ? ` ${report.legacy} legacy unkeyed event(s) at the start.` : ''),
      );
      return 0;
    }
    const broken = report.firstBroken!;
    console.log(
      `Audit chain BROKEN at clinic ${broken.clinicId}, seq ${broken.seq} (${broken.code}): ${broken.reason}`,
    );
    console.log(`${report.checked} event(s) checked before stopping.`);
    return 1;
  } finally {
    await disconnectMongo();
  }
}

process.exitCode = await main();
