/**
 * Picks the document storage driver from config (a local folder by default, S3 when configured)
 * and puts the envelope encryption layer in front of it: what is stored is always sealed.
 */
import path from 'node:path';
import type { Config } from '../../config.js';
import { LocalDocumentStorage } from './local-storage.js';
import { S3DocumentStorage } from './s3-storage.js';
import { FieldCipher } from '../crypto/field-cipher.js';
import { EncryptedDocumentStorage } from './encrypted-storage.js';
import type { StorageDriver } from './storage.js';

export type { DocumentStorage, StoredObject } from './storage.js';
export type { DocumentRotationCounts } from './encrypted-storage.js';
export { EncryptedDocumentStorage } from './encrypted-storage.js';

/** The encrypted document storage over the driver `config` selects. */
export function createDocumentStorage(
  config: Pick<Config, 'storage' | 'dataDir' | 'security'>,
): EncryptedDocumentStorage {
  const cipher = new FieldCipher({ keys: config.security.dataKeys, currentKeyId: config.security.currentKeyId });
  return new EncryptedDocumentStorage(createStorageDriver(config), cipher);
}

function createStorageDriver(config: Pick<Config, 'storage' | 'dataDir'>): StorageDriver {
  const storage = config.storage;
  if (storage.driver === 's3') {
    return new S3DocumentStorage({
      bucket: storage.s3.bucket!,
      region: storage.s3.region,
      ...(storage.s3.endpoint ? { endpoint: storage.s3.endpoint } : {}),
      ...(storage.s3.accessKeyId ? { accessKeyId: storage.s3.accessKeyId } : {}),
      ...(storage.s3.secretAccessKey ? { secretAccessKey: storage.s3.secretAccessKey } : {}),
      ...(storage.s3.prefix ? { prefix: storage.s3.prefix } : {}),
      ...(storage.s3.kmsKeyId ? { kmsKeyId: storage.s3.kmsKeyId } : {}),
    });
  }
  return new LocalDocumentStorage(path.join(config.dataDir, 'documents'));
}
