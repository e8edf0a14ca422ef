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

/** What every storage driver offers, and what callers see (createDocumentStorage: encrypted at rest, plaintext to the caller). */
export interface DocumentStorage {
  /** Writes (or overwrites) `key`. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Reads `key`, or null when it does not exist. */
  get(key: string): Promise<StoredObject | null>;
  /** True when `key` exists. */
  exists(key: string): Promise<boolean>;
  /**
   * Writes `key` once: resolves false, writing nothing, when it already exists (write-once
   * records such as audit anchors and sealed segments). Where the store can lock objects (S3
   * Object Lock, compliance mode) the object is also locked until `retainUntil`.
   */
  putImmutable(key: string, body: Buffer, contentType: string, options?: { retainUntil?: Date }): Promise<boolean>;
  /** Every key under `prefix` (a folder, ending in `/`), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes `key` (no-op when absent); stores that lock objects refuse it until their retention ends. */
  delete(key: string): Promise<void>;
}

/** A driver stores bytes as given; createDocumentStorage puts the encrypting layer (encrypted-storage.ts) above it. */
export type StorageDriver = DocumentStorage;

/** Keys are relative, slash-separated, without `..`: callers build them from ids only. */
export function assertSafeKey(key: string): void {
  if (
    !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,300}$/.test(key) ||
    key.split('/').some((part) => part === '..' || part === '.' || part === '')
  ) {
    throw new Error(`unsafe storage key: ${key}`);
  }
}
