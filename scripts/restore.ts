/**
 * `npm run restore -- <backup id | latest> [--force]`: restores a backup into the configured
 * database (empty, unless --force) and verifies counts, checksums, the audit chain up to the heads
 * the manifest recorded, and that every encrypted field opens. Exits 0 when everything verifies,
 * 1 when the backup is refused or verification fails, 2 on setup errors.
 */
import mongoose from 'mongoose';
import { ConfigError, loadConfig } from '../src/config.js';
import { registerModules } from '../src/modules/index.js';
import { listBackups, restoreBackup } from '../src/modules/operations/index.js';
import { createLogger, setRootLogger } from '../src/platform/logger.js';
import { closeRuntime, createRuntime } from '../src/platform/runtime.js';
import { createDocumentStorage } from '../src/platform/storage/index.js';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  const force = args.includes('--force');
  const requested = args.find((arg) => !arg.startsWith('--'));
  if (!requested) {
    console.error('usage: npm run restore -- <backup id | latest> [--force]');
    return 2;
  }
  setRootLogger(createLogger('warn'));
  const storage = createDocumentStorage(config);
  // Models are registered (so encrypted fields can be checked) and indexes created before restoring.
  const runtime = await createRuntime(config, registerModules);
  try {
    const id = requested === 'latest' ? (await listBackups(storage)).at(-1) : requested;
    if (!id) {
      console.error('No backup found in storage.');
      return 1;
    }
    const report = await restoreBackup({ config, storage, db: mongoose.connection.db! }, id, { force });
    const chain = report.chain.ok
      ? `audit chain intact (${report.chain.checked} event(s), ${report.chain.anchors ?? 0} recorded head(s) match)`
      : `audit chain BROKEN at clinic ${report.chain.firstBroken?.clinicId}, seq ${report.chain.firstBroken?.seq} (${report.chain.firstBroken?.code})`;
    console.log(
      `Restored backup ${report.backupId}: ${report.documents} document(s) in ${report.collections} collection(s); ` +
        `${report.mismatched.length === 0 ? 'counts and checksums match' : `MISMATCH in ${report.mismatched.join(', ')}`}; ${chain}; ` +
        `${report.encryptedFields.checked - report.encryptedFields.failed}/${report.encryptedFields.checked} encrypted document(s) open.`,
    );
    return report.ok ? 0 : 1;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  } finally {
    await closeRuntime(runtime);
  }
}

process.exitCode = await main();
