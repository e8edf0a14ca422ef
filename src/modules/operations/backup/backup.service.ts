/**
 * `npm run backup` and the nightly backup job: a logical dump of every collection, streamed from a
 * cursor through gzip and AES-256-GCM into a temporary file, then stored with its manifest through
 * the storage interface (local folder or S3). Works on mongo-java-server and real MongoDB alike.
 *
 * Consistency: there are no snapshots here, so the dump is per-collection consistent, not a point
 * in time across collections. The chain heads are read first, so the dumped audit trail always
 * contains them; on real MongoDB prefer `mongodump --oplog` / Atlas snapshots for point-in-time
 * recovery and keep this as the portable, verified, encrypted copy (README).
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Db } from 'mongodb';
import type { Config } from '../../../config.js';
import { currentChainHeads } from '../../../platform/audit/anchors.js';
import type { DocumentStorage } from '../../../platform/storage/index.js';
import {
  ARCHIVE_MAGIC,
  archiveAad,
  backupIdOf,
  backupKey,
  backupKeys,
  documentLine,
  manifestMac,
} from './backup-format.js';
import type { BackupManifest, CollectionDigest } from './backup-format.js';
import { APP_VERSION } from './app-version.js';

/** Collections a backup skips: the server's own. */
function isBackedUp(name: string): boolean {
  return !name.startsWith('system.');
}

/** Writes a backup of `db` to `storage` and returns its manifest. */
export async function createBackup(
  { config, storage, db }: { config: Config; storage: DocumentStorage; db: Db },
  now = new Date(),
): Promise<BackupManifest> {
  const started = Date.now();
  const id = backupIdOf(now);
  const keyId = config.backup.keyId;
  const key = backupKey(config)!;
  const chainHeads = await currentChainHeads();
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter(isBackedUp)
    .sort();
  const collections: Record<string, CollectionDigest> = {};

  async function* lines(): AsyncGenerator<string> {
    for (const name of names) {
      const digest = createHash('sha256');
      let count = 0;
      const cursor = db.collection(name).find({}).sort({ _id: 1 }).batchSize(500);
      for await (const doc of cursor) {
        const line = documentLine(name, doc);
        digest.update(line);
        count++;
        yield line;
      }
      collections[name] = { count, sha256: digest.digest('hex') };
    }
  }

  const folder = await mkdtemp(path.join(os.tmpdir(), 'cinic-backup-'));
  const file = path.join(folder, 'data.cbk');
  try {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(archiveAad(id, keyId));
    const out = createWriteStream(file);
    out.write(Buffer.concat([ARCHIVE_MAGIC, iv]));
    await pipeline(Readable.from(lines()), createGzip(), cipher, out, { end: false });
    await new Promise<void>((resolve, reject) =>
      out.end(cipher.getAuthTag(), (error?: Error | null) => (error ? reject(error) : resolve())),
    );
    // Storage takes whole objects today; the dump itself never held more than a batch in memory.
    const archive = await readFile(file);
    const keys = backupKeys(id);
    await storage.put(keys.archive, archive, 'application/octet-stream');
    const unsigned: Omit<BackupManifest, 'mac'> = {
      v: 1,
      id,
      createdAt: now.toISOString(),
      appVersion: APP_VERSION,
      database: config.mongo.dbName,
      collections,
      chainHeads,
      dataKeyIds: [...config.security.dataKeys.keys()],
      currentDataKeyId: config.security.currentKeyId,
      archive: {
        key: keys.archive,
        bytes: archive.length,
        sha256: createHash('sha256').update(archive).digest('hex'),
        cipher: 'aes-256-gcm',
        keyId,
      },
      durationMs: Date.now() - started,
    };
    const manifest: BackupManifest = { ...unsigned, mac: manifestMac(unsigned, key) };
    await storage.put(keys.manifest, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'application/json');
    return manifest;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
