/**
 * `npm run restore -- <backup>` and the restore drill: reads a backup through the storage
 * interface, refuses it by name if its manifest or archive was altered, restores it into an empty
 * database (a non-empty one only when told), and verifies what landed: per-collection counts and
 * checksums against the manifest, the audit chain up to the heads the manifest recorded, and that
 * every encrypted field opens with the current keyring.
 */
import { createDecipheriv, createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BSON } from 'mongodb';
import type { Db, Document } from 'mongodb';
import mongoose from 'mongoose';
import type { Config } from '../../../config.js';
import { recordedHeads } from '../../../platform/audit/anchors.js';
import { AuditEvent } from '../../../platform/audit/audit-event.model.js';
import type { AuditEventRecord } from '../../../platform/audit/audit-event.model.js';
import { verifyAuditChain } from '../../../platform/audit/verify-chain.js';
import type { ChainReport } from '../../../platform/audit/verify-chain.js';
import { encryptedModels } from '../../../platform/crypto/encrypted-fields.js';
import { decryptPlainDocument } from '../../../platform/crypto/encrypted-paths.js';
import { AppError } from '../../../platform/errors.js';
import type { DocumentStorage } from '../../../platform/storage/index.js';
import {
  ARCHIVE_MAGIC,
  BACKUP_PREFIX,
  archiveAad,
  backupKey,
  backupKeys,
  documentLine,
  manifestMac,
} from './backup-format.js';
import type { BackupManifest } from './backup-format.js';

/** A backup that must not be restored: names the backup and what is wrong with it. */
export class BackupRefusedError extends AppError {
  constructor(backupId: string, reason: string) {
    super('backup_refused', 422, `Backup ${backupId} refused: ${reason}`, { backupId, reason });
  }
}

/** Ids of the stored backups, oldest first. */
export async function listBackups(storage: DocumentStorage): Promise<string[]> {
  const keys = await storage.list(`${BACKUP_PREFIX}/`);
  return [...new Set(keys.filter((key) => key.endsWith('/manifest.json')).map((key) => key.split('/')[1]!))].sort();
}

/** Reads and authenticates a backup's manifest. */
export async function readManifest(config: Config, storage: DocumentStorage, id: string): Promise<BackupManifest> {
  if (!/^[0-9TZ]{10,30}$/.test(id)) throw new BackupRefusedError(id, 'not a backup id');
  const stored = await storage.get(backupKeys(id).manifest);
  if (!stored) throw new BackupRefusedError(id, 'no such backup (manifest missing)');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(stored.body.toString('utf8')) as BackupManifest;
  } catch {
    throw new BackupRefusedError(id, 'manifest is not valid JSON (corrupted)');
  }
  const key = backupKey(config, manifest.archive?.keyId);
  if (!key)
    throw new BackupRefusedError(id, `backup key "${manifest.archive?.keyId}" is not in BACKUP_ENCRYPTION_KEYS`);
  if (manifest.id !== id || manifestMac(manifest, key) !== manifest.mac) {
    throw new BackupRefusedError(id, 'manifest does not carry a valid backup-key HMAC (edited or corrupted)');
  }
  return manifest;
}

/** Reads, checks and decrypts the archive's documents, line by line. */
async function* archiveDocuments(
  config: Config,
  storage: DocumentStorage,
  manifest: BackupManifest,
): AsyncGenerator<{ collection: string; doc: Document }> {
  const stored = await storage.get(manifest.archive.key);
  if (!stored) throw new BackupRefusedError(manifest.id, `archive ${manifest.archive.key} is missing`);
  const archive = stored.body;
  if (
    archive.length !== manifest.archive.bytes ||
    createHash('sha256').update(archive).digest('hex') !== manifest.archive.sha256
  ) {
    throw new BackupRefusedError(
      manifest.id,
      `archive ${manifest.archive.key} does not match its manifest checksum (corrupted)`,
    );
  }
  if (!archive.subarray(0, ARCHIVE_MAGIC.length).equals(ARCHIVE_MAGIC)) {
    throw new BackupRefusedError(manifest.id, 'archive has an unknown format');
  }
  const iv = archive.subarray(ARCHIVE_MAGIC.length, ARCHIVE_MAGIC.length + 12);
  const tag = archive.subarray(archive.length - 16);
  const body = archive.subarray(ARCHIVE_MAGIC.length + 12, archive.length - 16);
  const decipher = createDecipheriv('aes-256-gcm', backupKey(config, manifest.archive.keyId)!, iv);
  decipher.setAAD(archiveAad(manifest.id, manifest.archive.keyId));
  decipher.setAuthTag(tag);
  const plain = Readable.from([body]).pipe(decipher).pipe(createGunzip());
  const lines = createInterface({ input: plain, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const parsed = JSON.parse(line) as { c: string; d: unknown };
    yield { collection: parsed.c, doc: BSON.EJSON.deserialize(parsed.d as Document, { relaxed: false }) as Document };
  }
}

/** Documents in `db` outside the server's own collections. */
async function documentCount(db: Db): Promise<number> {
  let total = 0;
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (!name.startsWith('system.')) total += await db.collection(name).estimatedDocumentCount();
  }
  return total;
}

/** What a restore (or drill) found. */
export interface RestoreReport {
  backupId: string;
  ok: boolean;
  documents: number;
  collections: number;
  /** Collections whose count or checksum differs from the manifest. */
  mismatched: string[];
  chain: ChainReport;
  encryptedFields: { checked: number; failed: number };
  durationMs: number;
  bytes: number;
}

/** Recomputes counts and checksums from what `db` holds now. */
async function mismatchedCollections(db: Db, manifest: BackupManifest): Promise<string[]> {
  const mismatched: string[] = [];
  for (const [name, expected] of Object.entries(manifest.collections)) {
    const digest = createHash('sha256');
    let count = 0;
    for await (const doc of db.collection(name).find({}).sort({ _id: 1 }).batchSize(500)) {
      digest.update(documentLine(name, doc));
      count++;
    }
    if (count !== expected.count || digest.digest('hex') !== expected.sha256) mismatched.push(name);
  }
  return mismatched;
}

/** Opens every encrypted field of every document of the encrypted models' collections in `db`. */
async function checkEncryptedFields(db: Db): Promise<{ checked: number; failed: number }> {
  let checked = 0;
  let failed = 0;
  for (const { model, spec } of encryptedModels()) {
    for await (const doc of db.collection(model.collection.collectionName).find({})) {
      checked++;
      try {
        decryptPlainDocument(spec, doc);
      } catch {
        failed++;
      }
    }
  }
  return { checked, failed };
}

/**
 * Restores backup `id` into `db`. Refuses a database that holds documents unless `force` (then its
 * collections are emptied first). Returns the verification report; `ok` only when all checks pass.
 */
export async function restoreBackup(
  { config, storage, db }: { config: Config; storage: DocumentStorage; db: Db },
  id: string,
  { force = false }: { force?: boolean } = {},
): Promise<RestoreReport> {
  const started = Date.now();
  const manifest = await readManifest(config, storage, id);
  const existing = await documentCount(db);
  if (existing > 0 && !force) {
    throw new AppError(
      'restore_target_not_empty',
      409,
      `Database ${db.databaseName} holds ${existing} document(s); restore only into an empty database, or pass --force to replace them`,
    );
  }
  if (existing > 0) {
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (!name.startsWith('system.')) await db.collection(name).deleteMany({});
    }
  }
  let documents = 0;
  let batch: Document[] = [];
  let batchCollection = '';
  const flush = async () => {
    if (batch.length > 0) await db.collection(batchCollection).insertMany(batch, { ordered: false });
    documents += batch.length;
    batch = [];
  };
  for await (const { collection, doc } of archiveDocuments(config, storage, manifest)) {
    if (collection !== batchCollection || batch.length >= 500) {
      await flush();
      batchCollection = collection;
    }
    batch.push(doc);
  }
  await flush();
  return verifyRestored(db, manifest, { started, documents });
}

/** The checks a restore ends with, on whatever `db` now holds. */
async function verifyRestored(
  db: Db,
  manifest: BackupManifest,
  { started, documents }: { started: number; documents: number },
): Promise<RestoreReport> {
  const mismatched = await mismatchedCollections(db, manifest);
  // The chain walk runs on the restored database through the AuditEvent schema.
  const connection = mongoose.connection.useDb(db.databaseName, { useCache: true });
  const events = (connection.models.AuditEvent ??
    connection.model('AuditEvent', AuditEvent.schema)) as unknown as mongoose.Model<AuditEventRecord>;
  const chain = await verifyAuditChain({
    events,
    anchors: [recordedHeads(`backup manifest ${manifest.id}`, manifest.chainHeads)],
  });
  const encryptedFields = await checkEncryptedFields(db);
  return {
    backupId: manifest.id,
    ok: mismatched.length === 0 && chain.ok && encryptedFields.failed === 0,
    documents,
    collections: Object.keys(manifest.collections).length,
    mismatched,
    chain,
    encryptedFields,
    durationMs: Date.now() - started,
    bytes: manifest.archive.bytes,
  };
}
