/**
 * AES-256-GCM for single fields. Each value gets a fresh 12-byte nonce and carries the id of the
 * key that sealed it, so keys rotate without a flag day: the current key seals, every listed key
 * opens. The field's context (e.g. `patient.phone`) is bound in as associated data, so a sealed
 * value copied into another field or another model fails to open instead of being misread.
 *
 * Stored form: `enc:v1:<kid>:<nonce base64url>:<ciphertext+tag base64url>`. The plaintext is the
 * JSON of the value, so strings, numbers, booleans, objects and arrays all round-trip (Dates come
 * back as ISO strings).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';

const PREFIX = 'enc:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Keys by id and the id that seals new values (config.security.dataKeys / currentKeyId). */
export interface FieldKeyring {
  keys: ReadonlyMap<string, Buffer>;
  currentKeyId: string;
}

/** The parts of a sealed value; only the key id is meaningful without the key. */
interface SealedParts {
  keyId: string;
  nonce: Buffer;
  body: Buffer;
}

/** True when `value` has the shape of a sealed field (it may still fail to open). */
export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

function malformed(context: string): AppError {
  return new AppError('field_ciphertext_malformed', 500, `Stored ${context} is not a valid encrypted value`);
}

function parseSealed(context: string, sealed: string): SealedParts {
  if (!isSealed(sealed)) throw malformed(context);
  const [keyId, nonce, body, ...rest] = sealed.slice(PREFIX.length).split(':');
  if (!keyId || !nonce || !body || rest.length > 0) throw malformed(context);
  const parts = { keyId, nonce: Buffer.from(nonce, 'base64url'), body: Buffer.from(body, 'base64url') };
  if (parts.nonce.length !== NONCE_BYTES || parts.body.length < TAG_BYTES) throw malformed(context);
  return parts;
}

/** The key id a sealed value was written with. */
export function sealedKeyId(sealed: string): string {
  return parseSealed('value', sealed).keyId;
}

function associatedData(context: string): Buffer {
  return Buffer.from(`cinic-field:v1:${context}`, 'utf8');
}

/** Seals and opens field values with a keyring; one instance per configured process. */
export class FieldCipher {
  readonly currentKeyId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(keyring: FieldKeyring) {
    for (const [id, key] of keyring.keys) {
      if (key.length !== KEY_BYTES) throw new Error(`Data key "${id}" must be ${KEY_BYTES} bytes`);
    }
    if (!keyring.keys.has(keyring.currentKeyId))
      throw new Error(`Current data key "${keyring.currentKeyId}" is not in the keyring`);
    this.keys = new Map(keyring.keys);
    this.currentKeyId = keyring.currentKeyId;
  }

  /** Seals `value` (any JSON value) for `context` under the current key. */
  encrypt(context: string, value: unknown): string {
    const json = JSON.stringify(value);
    if (json === undefined)
      throw new AppError('field_value_unsupported', 500, `Value of ${context} cannot be encrypted (not JSON)`);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, nonce, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(associatedData(context));
    const body = Buffer.concat([cipher.update(json, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${this.currentKeyId}:${nonce.toString('base64url')}:${body.toString('base64url')}`;
  }

  /** Opens a value sealed for `context`; throws if the key is unknown or the value was altered or moved. */
  decrypt(context: string, sealed: string): unknown {
    const { keyId, nonce, body } = parseSealed(context, sealed);
    const key = this.keys.get(keyId);
    if (!key) {
      throw new AppError(
        'field_key_unknown',
        500,
        `Encrypted ${context} uses data key "${keyId}", which is not in DATA_ENCRYPTION_KEYS`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(context));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      const json = Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
      return JSON.parse(json) as unknown;
    } catch {
      // GCM cannot tell a wrong key from tampering or a value moved from another field.
      throw new AppError(
        'field_decrypt_failed',
        500,
        `Encrypted ${context} failed its integrity check (altered, or copied from another field)`,
      );
    }
  }

  /** True when `sealed` was written under an older key and should be re-encrypted. */
  needsRotation(sealed: string): boolean {
    return sealedKeyId(sealed) !== this.currentKeyId;
  }
}
