/**
 * Document storage (invoice, receipt, credit-note, prescription and diet-plan PDFs) behind one
 * small interface: a local folder for the embedded default, an S3-compatible bucket in production
 * (selected by STORAGE_DRIVER). Keys are opaque paths such as `clinics/<id>/invoices/<id>.pdf`;
 * they never contain names or phone numbers.
 */

/** A stored object's bytes and content type. */
export interface StoredObject {
  body: Buffer;
  contentType: string;
}

/** What callers of document storage see (createDocumentStorage: encrypted at rest, plaintext to the caller). */
export interface DocumentStorage {
  /** Writes (or overwrites) `key`. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Reads `key`, or null when it does not exist. */
  get(key: string): Promise<StoredObject | null>;
  /** True when `key` exists. */
  exists(key: string): Promise<boolean>;
}

/** A driver stores bytes as given; the encrypting layer above it (encrypted-storage.ts) lists keys for rotation. */
export interface StorageDriver extends DocumentStorage {
  /** Every stored key, in no particular order. */
  list(): AsyncIterable<string>;
}

/** Keys are relative, slash-separated, without `..`: callers build them from ids only. */
export function assertSafeKey(key: string): void {
  if (
    !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,300}$/.test(key) ||
    key.split('/').some((part) => part === '..' || part === '.' || part === '')
  ) {
    throw new Error(`unsafe storage key: ${key}`);
  }
}
