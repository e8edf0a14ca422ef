/**
 * `npm run backup`: writes an encrypted backup of every collection with its manifest through the
 * configured storage (the nightly job does the same, then the drill). Prints the backup id.
 * Exits 0 on success, 1 on failure, 2 on setup errors.
 */
import { ConfigError, loadConfig } from '../src/config.js';
import { registerModules } from '../src/modules/index.js';
import { runBackup } from '../src/modules/operations/index.js';
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
  setRootLogger(createLogger('warn'));
  const runtime = await createRuntime(config, registerModules);
  try {
    const manifest = await runBackup({ config, storage: createDocumentStorage(config) });
    const documents = Object.values(manifest.collections).reduce((sum, c) => sum + c.count, 0);
    console.log(
      `Backup ${manifest.id} written: ${documents} document(s) in ${Object.keys(manifest.collections).length} collection(s), ${manifest.archive.bytes} bytes (${manifest.archive.key}), key ${manifest.archive.keyId}.`,
    );
    return 0;
  } catch (error) {
    console.error(`Backup failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await closeRuntime(runtime);
  }
}

process.exitCode = await main();
