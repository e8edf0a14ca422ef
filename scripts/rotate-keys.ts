/**
 * `npm run keys:rotate [-- --dry-run] [-- --batch-size=200]`
 *
 * Re-encrypts every encrypted field of every registered model under DATA_ENCRYPTION_KEY_ID (or
 * the last key of DATA_ENCRYPTION_KEYS) and refreshes blind indexes, then re-seals every stored
 * document's data key under the same key (and seals documents stored before encryption). To rotate: add the new key
 * to DATA_ENCRYPTION_KEYS, make it current, deploy, run this, and only then drop the old key.
 * Safe to run while the app serves and safe to re-run. Exits 1 if any document was left behind.
 */
import { ConfigError, loadConfig } from '../src/config.js';
import { registerModules } from '../src/modules/index.js';
import { rotateEncryptionKeys } from '../src/platform/crypto/rotate-keys.js';
import type { RotationCounts } from '../src/platform/crypto/rotate-keys.js';
import { createLogger, setRootLogger } from '../src/platform/logger.js';
import { createDocumentStorage } from '../src/platform/storage/index.js';
import { closeRuntime, createRuntime } from '../src/platform/runtime.js';

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

function line(name: string, counts: RotationCounts): string {
  const { scanned, rotated, fields, indexes, conflicts, failed } = counts;
  return `  ${name.padEnd(24)} scanned ${scanned}, rotated ${rotated} (fields ${fields}, indexes ${indexes}), conflicts ${conflicts}, failed ${failed}`;
}

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  // Warnings and errors only: failures are logged by model and _id, never by value.
  setRootLogger(createLogger('warn'));
  const dryRun = process.argv.includes('--dry-run');
  const batchSize = Number(option('batch-size') ?? 200);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    console.error('--batch-size must be a positive integer');
    return 2;
  }

  const runtime = await createRuntime(config, registerModules);
  try {
    const report = await rotateEncryptionKeys({ batchSize, dryRun });
    console.log(`${dryRun ? 'Dry run: would re-encrypt' : 'Re-encrypted'} under key "${report.currentKeyId}":`);
    const names = Object.keys(report.models);
    if (names.length === 0) console.log('  (no models with encrypted fields)');
    for (const name of names) console.log(line(name, report.models[name]!));
    console.log(line('total', report.total));
    const documents = await createDocumentStorage(config).rotateDocumentKeys({ dryRun });
    const { scanned, resealed, encrypted, conflicts, failed } = documents;
    console.log(
      `  ${'stored documents'.padEnd(24)} scanned ${scanned}, re-sealed ${resealed}, encrypted ${encrypted} (were plaintext), conflicts ${conflicts}, failed ${failed}`,
    );
    if (report.total.failed > 0 || failed > 0)
      console.log(
        'Some records or stored documents could not be decrypted: see the log lines above (is an old key missing from DATA_ENCRYPTION_KEYS?).',
      );
    if (report.total.conflicts > 0) console.log('Some records kept changing during the run: run it again.');
    // A stored document rewritten during the run was written under the current key: not a failure.
    return report.total.failed + report.total.conflicts + failed > 0 ? 1 : 0;
  } finally {
    await closeRuntime(runtime);
  }
}

process.exitCode = await main();
