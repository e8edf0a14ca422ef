/**
 * Documents encrypted at rest: every driver sits behind this layer, which seals each document in
 * its own envelope (platform/crypto/document-envelope.ts) before it reaches the disk or the bucket
 * and opens it when read. Reads happen only where a document is served — a valid signed link, or a
 * staff request through the owning module — so the plaintext exists only in that response.
 * Documents stored before encryption are read as they are (the format is detected) and sealed by
 * `rotateDocumentKeys`, which `npm run keys:rotate` runs after the database fields.
 */
import { documentRotationNeed, openDocument, rotateDocument, sealDocument } from '../crypto/document-envelope.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { log } from '../logger.js';
import type { DocumentStorage, StorageDriver, StoredObject } from './storage.js';

/** Where patient documents live (`clinics/<id>/…`); other prefixes hold write-once records. */
const DOCUMENTS_PREFIX = 'clinics';

/** Counts of a document key rotation run. */
export interface DocumentRotationCounts {
  scanned: number;
  /** Envelopes whose data key was re-sealed under the current key. */
  resealed: number;
  /** Plaintext documents (stored before encryption) now sealed. */
  encrypted: number;
  /** Documents rewritten by the app during the run (it wrote them sealed under the current key). */
  conflicts: number;
  /** Documents that could not be opened (unknown key id, or altered); logged by key. */
  failed: number;
}

/**
 * Patient documents live under `clinics/`; everything else (backups, sealed under the separate
 * backup key by their own format; write-once audit anchors) is stored as given, so a backup never
 * depends on the data keyring it is meant to survive, and a corrupted archive is named by its own check.
 */
const isPatientDocument = (key: string): boolean => key.startsWith(`${DOCUMENTS_PREFIX}/`);

/** Document storage that encrypts patient documents on write and decrypts them on read. */
export class EncryptedDocumentStorage implements DocumentStorage {
  constructor(
    readonly driver: StorageDriver,
    private readonly cipher: FieldCipher,
  ) {}

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.driver.put(key, isPatientDocument(key) ? sealDocument(this.cipher, key, body) : body, contentType);
  }

  async get(key: string): Promise<StoredObject | null> {
    const stored = await this.driver.get(key);
    if (!stored || !isPatientDocument(key)) return stored;
    return { body: openDocument(this.cipher, key, stored.body), contentType: stored.contentType };
  }

  exists(key: string): Promise<boolean> {
    return this.driver.exists(key);
  }

  /**
   * Write-once records (audit anchors: chain heads, no patient data) are stored as given, so they
   * stay verifiable byte for byte whatever happens to the keyring; rotation never touches them.
   */
  putImmutable(key: string, body: Buffer, contentType: string, options?: { retainUntil?: Date }): Promise<boolean> {
    return this.driver.putImmutable(key, body, contentType, options);
  }

  list(prefix: string): Promise<string[]> {
    return this.driver.list(prefix);
  }

  delete(key: string): Promise<void> {
    return this.driver.delete(key);
  }

  /**
   * Brings every stored document up to the current data key: re-seals data keys sealed under an
   * older key and seals legacy plaintext. A document is re-read just before its write and skipped
   * if the app rewrote it meanwhile (the app writes under the current key). Re-running finds nothing.
   */
  async rotateDocumentKeys({ dryRun = false } = {}): Promise<DocumentRotationCounts> {
    const counts: DocumentRotationCounts = { scanned: 0, resealed: 0, encrypted: 0, conflicts: 0, failed: 0 };
    for (const key of await this.driver.list(`${DOCUMENTS_PREFIX}/`)) {
      counts.scanned++;
      const stored = await this.driver.get(key);
      if (!stored) continue;
      try {
        const need = documentRotationNeed(this.cipher, key, stored.body);
        if (need === 'current') continue;
        const rotated = rotateDocument(this.cipher, key, stored.body);
        if (!dryRun) {
          const again = await this.driver.get(key);
          if (!again || !again.body.equals(stored.body)) {
            counts.conflicts++;
            continue;
          }
          await this.driver.put(key, rotated, stored.contentType);
        }
        counts[need === 'reseal' ? 'resealed' : 'encrypted']++;
      } catch (error) {
        counts.failed++;
        log().error({ key, code: (error as { code?: string }).code ?? 'unexpected' }, 'document key rotation failed');
      }
    }
    return counts;
  }
}
