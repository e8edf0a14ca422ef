/**
 * The backup archive and manifest formats.
 *
 * Archive (`backups/<id>/data.cbk`): `CINICBK1` + 12-byte IV + AES-256-GCM(gzip(NDJSON)) + 16-byte
 * tag, under the backup key named in the manifest (BACKUP_ENCRYPTION_KEYS — separate from the data
 * keys, so a leaked backup key opens no live field, and PHI fields stay sealed by the data keys
 * inside it as well). The GCM additional data binds the archive to its backup id and key id.
 * Each NDJSON line is `{"c": collection, "d": document as canonical Extended JSON}`, collection by
 * collection in `_id` order, so types (ObjectId, Date, Binary) survive and checksums are stable.
 *
 * Manifest (`backups/<id>/manifest.json`, plaintext, no PHI): per collection count and SHA-256 of
 * its lines, app version, audit chain heads, data key ids, the archive's size and SHA-256, and an
 * HMAC under the backup key so it cannot be edited to match a tampered archive.
 */
import { createHmac } from 'node:crypto';
import { BSON } from 'mongodb';
import type { Document } from 'mongodb';
import { canonicalJson } from '../../../platform/audit/audit-hash.js';
import type { ChainHead } from '../../../platform/audit/anchors.js';
import type { Config } from '../../../config.js';

/** The folder backups live under in storage. */
export const BACKUP_PREFIX = 'backups';
/** The archive's first bytes. */
export const ARCHIVE_MAGIC = Buffer.from('CINICBK1');

/** One collection's entry in the manifest. */
export interface CollectionDigest {
  count: number;
  sha256: string;
}

/** What a backup contains and how to check it. */
export interface BackupManifest {
  v: 1;
  id: string;
  createdAt: string;
  appVersion: string;
  database: string;
  collections: Record<string, CollectionDigest>;
  chainHeads: ChainHead[];
  dataKeyIds: string[];
  currentDataKeyId: string;
  archive: { key: string; bytes: number; sha256: string; cipher: 'aes-256-gcm'; keyId: string };
  durationMs: number;
  mac: string;
}

/** Storage key of a backup's archive and manifest. */
export function backupKeys(id: string): { archive: string; manifest: string } {
  return { archive: `${BACKUP_PREFIX}/${id}/data.cbk`, manifest: `${BACKUP_PREFIX}/${id}/manifest.json` };
}

/** A backup id from its time: sortable, no `:` (20261207T143000123Z). */
export function backupIdOf(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/** The time a backup id names. */
export function backupTimeOf(id: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(id);
  if (!m) return new Date(Number.NaN);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
}

/** The backup key `keyId` (default: the current one). */
export function backupKey(config: Pick<Config, 'backup'>, keyId = config.backup.keyId): Buffer | undefined {
  return config.backup.keys.get(keyId);
}

/** GCM additional data: binds the ciphertext to its backup and key. */
export function archiveAad(id: string, keyId: string): Buffer {
  return Buffer.from(`cinic-backup:v1:${id}:${keyId}`);
}

/** One document as its archive line's `d` value (canonical Extended JSON). */
export function documentLine(collection: string, doc: Document): string {
  return `{"c":${JSON.stringify(collection)},"d":${BSON.EJSON.stringify(doc, { relaxed: false })}}\n`;
}

/** The manifest's HMAC under the backup key (over everything but `mac`). */
export function manifestMac(manifest: Omit<BackupManifest, 'mac'>, key: Buffer): string {
  const { mac: _mac, ...body } = manifest as BackupManifest;
  return createHmac('sha256', key)
    .update(`cinic-backup-manifest.${canonicalJson(body)}`)
    .digest('hex');
}
