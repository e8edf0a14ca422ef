/**
 * Envelope encryption for stored documents (PDFs). Each document gets its own random 256-bit data
 * key; the bytes are sealed with AES-256-GCM under that key, and the data key itself is sealed by
 * the data keyring (FieldCipher: current key seals, every listed key opens, the key id travels
 * with it). Rotating the keyring therefore re-seals a 60-byte header, never the document.
 *
 * Stored form: `CINICDOC` magic, format byte 1, a 2-byte big-endian length, the sealed data key
 * (ASCII), the 12-byte nonce, then ciphertext and 16-byte tag. Both the sealed key and the body
 * are bound to the storage key (associated data), so a file copied over another document's key
 * fails to open instead of serving the wrong patient's PDF. Bytes without the magic are documents
 * stored before encryption existed: they are served as they are and sealed by `npm run keys:rotate`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { FieldCipher } from './field-cipher.js';
import { sealedKeyId } from './field-cipher.js';

const MAGIC = Buffer.from('CINICDOC', 'ascii');
const FORMAT = 1;
const HEADER_FIXED = MAGIC.length + 1 + 2;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;

/** True when `stored` is an envelope (not a legacy plaintext document). */
export function isDocumentEnvelope(stored: Buffer): boolean {
  return (
    stored.length >= HEADER_FIXED && stored.subarray(0, MAGIC.length).equals(MAGIC) && stored[MAGIC.length] === FORMAT
  );
}

function keyContext(storageKey: string): string {
  return `document-key:${storageKey}`;
}

function bodyAad(storageKey: string): Buffer {
  return Buffer.from(`cinic-document:v1:${storageKey}`, 'utf8');
}

interface EnvelopeParts {
  sealedKey: string;
  /** Nonce, ciphertext and tag: everything after the header, untouched by rotation. */
  payload: Buffer;
}

function malformed(storageKey: string): AppError {
  return new AppError('document_ciphertext_malformed', 500, `Stored document ${storageKey} is not a valid envelope`);
}

function parse(storageKey: string, stored: Buffer): EnvelopeParts {
  if (!isDocumentEnvelope(stored)) throw malformed(storageKey);
  const length = stored.readUInt16BE(MAGIC.length + 1);
  const payloadStart = HEADER_FIXED + length;
  if (stored.length < payloadStart + NONCE_BYTES + TAG_BYTES) throw malformed(storageKey);
  return {
    sealedKey: stored.subarray(HEADER_FIXED, payloadStart).toString('ascii'),
    payload: stored.subarray(payloadStart),
  };
}

function assemble(sealedKey: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_FIXED);
  MAGIC.copy(header);
  header[MAGIC.length] = FORMAT;
  const keyBytes = Buffer.from(sealedKey, 'ascii');
  header.writeUInt16BE(keyBytes.length, MAGIC.length + 1);
  return Buffer.concat([header, keyBytes, payload]);
}

function openDataKey(cipher: FieldCipher, storageKey: string, sealedKey: string): Buffer {
  const key = Buffer.from(String(cipher.decrypt(keyContext(storageKey), sealedKey)), 'base64');
  if (key.length !== DATA_KEY_BYTES) throw malformed(storageKey);
  return key;
}

/** Seals `body` for `storageKey` under a fresh data key, itself sealed by the keyring's current key. */
export function sealDocument(cipher: FieldCipher, storageKey: string, body: Buffer): Buffer {
  const dataKey = randomBytes(DATA_KEY_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const gcm = createCipheriv('aes-256-gcm', dataKey, nonce, { authTagLength: TAG_BYTES });
  gcm.setAAD(bodyAad(storageKey));
  const payload = Buffer.concat([nonce, gcm.update(body), gcm.final(), gcm.getAuthTag()]);
  return assemble(cipher.encrypt(keyContext(storageKey), dataKey.toString('base64')), payload);
}

/** Opens a stored document: an envelope is decrypted and checked, legacy plaintext is returned as is. */
export function openDocument(cipher: FieldCipher, storageKey: string, stored: Buffer): Buffer {
  if (!isDocumentEnvelope(stored)) return stored;
  const { sealedKey, payload } = parse(storageKey, stored);
  const dataKey = openDataKey(cipher, storageKey, sealedKey);
  try {
    const gcm = createDecipheriv('aes-256-gcm', dataKey, payload.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    gcm.setAAD(bodyAad(storageKey));
    gcm.setAuthTag(payload.subarray(payload.length - TAG_BYTES));
    return Buffer.concat([gcm.update(payload.subarray(NONCE_BYTES, payload.length - TAG_BYTES)), gcm.final()]);
  } catch {
    throw new AppError(
      'document_decrypt_failed',
      500,
      `Stored document ${storageKey} failed its integrity check (altered, or copied from another key)`,
    );
  }
}

/** What a stored document needs for rotation: nothing, a re-sealed data key, or encryption (legacy plaintext). */
export type DocumentRotationNeed = 'current' | 'reseal' | 'encrypt';

/** Whether `stored` is sealed under the keyring's current key. */
export function documentRotationNeed(cipher: FieldCipher, storageKey: string, stored: Buffer): DocumentRotationNeed {
  if (!isDocumentEnvelope(stored)) return 'encrypt';
  return sealedKeyId(parse(storageKey, stored).sealedKey) === cipher.currentKeyId ? 'current' : 'reseal';
}

/**
 * The document brought up to the current key: an envelope keeps its data key and body and only
 * re-seals the data key; plaintext is sealed. Throws when the old key is missing or the bytes were altered.
 */
export function rotateDocument(cipher: FieldCipher, storageKey: string, stored: Buffer): Buffer {
  if (!isDocumentEnvelope(stored)) return sealDocument(cipher, storageKey, stored);
  const { sealedKey, payload } = parse(storageKey, stored);
  const dataKey = openDataKey(cipher, storageKey, sealedKey);
  // Open the body once so a damaged document is reported now, not when a patient asks for it.
  openDocument(cipher, storageKey, stored);
  return assemble(cipher.encrypt(keyContext(storageKey), dataKey.toString('base64')), payload);
}
