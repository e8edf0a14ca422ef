/** Picks the document storage driver from config: a local folder by default, S3 when configured. */
import path from 'node:path';
import type { Config } from '../../config.js';
import { LocalDocumentStorage } from './local-storage.js';
import { S3DocumentStorage } from './s3-storage.js';
import type { DocumentStorage } from './storage.js';

export type { DocumentStorage, StoredObject } from './storage.js';

/** The storage driver `config` selects. */
export function createDocumentStorage(config: Config): DocumentStorage {
  const storage = config.storage;
  if (storage.driver === 's3') {
    return new S3DocumentStorage({
      bucket: storage.s3.bucket!,
      region: storage.s3.region,
      ...(storage.s3.endpoint ? { endpoint: storage.s3.endpoint } : {}),
      ...(storage.s3.accessKeyId ? { accessKeyId: storage.s3.accessKeyId } : {}),
      ...(storage.s3.secretAccessKey ? { secretAccessKey: storage.s3.secretAccessKey } : {}),
      ...(storage.s3.prefix ? { prefix: storage.s3.prefix } : {}),
    });
  }
  return new LocalDocumentStorage(path.join(config.dataDir, 'documents'));
}
