/**
 * The process's configured keys. Config is passed around, not global, but mongoose hooks run deep
 * inside the driver with no way to hand them a config — so createRuntime installs the keys here
 * once at boot (tests install their own), and the model layer reads them through these functions.
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../../config.js';
import { AppError } from '../errors.js';
import { blindIndex } from './blind-index.js';
import type { BlindIndexKind } from './blind-index.js';
import { FieldCipher } from './field-cipher.js';

interface Installed {
  cipher: FieldCipher;
  blindIndexKey: Buffer;
  /** Separate key for hashing PHI in audit diffs, so a diff hash never equals a lookup hash. */
  digestKey: Buffer;
  /** HMAC keys of the audit chain by key id, and the id new events are keyed with. */
  auditKeys: ReadonlyMap<string, Buffer>;
  auditKeyId: string;
}

let installed: Installed | undefined;

function current(): Installed {
  if (!installed) {
    throw new AppError(
      'crypto_not_configured',
      500,
      'Field encryption is not configured: call configureFieldEncryption(config) at boot',
    );
  }
  return installed;
}

/** Installs the keyring, blind-index key and audit-chain keys from config (createRuntime calls this; tests may call it again to rotate). */
export function configureFieldEncryption(config: Pick<Config, 'security'>): void {
  const { dataKeys, currentKeyId, blindIndexKey, auditKeys, auditKeyId } = config.security;
  installed = {
    auditKeys,
    auditKeyId,
    cipher: new FieldCipher({ keys: dataKeys, currentKeyId }),
    blindIndexKey,
    digestKey: createHmac('sha256', blindIndexKey).update('cinic-phi-digest:v1').digest(),
  };
}

/** The configured field cipher. */
export function fieldCipher(): FieldCipher {
  return current().cipher;
}

/** The blind index of `value` as `kind` under the configured key — what lookups query with. */
export function blindIndexOf(kind: BlindIndexKind, value: unknown): string {
  return blindIndex(current().blindIndexKey, kind, value);
}

/** A keyed digest of a PHI value (its JSON), for audit diffs: shows a change without the value. */
export function phiDigest(json: string): string {
  return createHmac('sha256', current().digestKey).update(json, 'utf8').digest('base64url');
}

/** The audit-chain HMAC key `keyId` (default: the current one), or undefined for an unknown id. */
export function auditChainKey(keyId?: string): { id: string; key: Buffer } | undefined {
  const { auditKeys, auditKeyId } = current();
  const id = keyId ?? auditKeyId;
  const key = auditKeys.get(id);
  return key ? { id, key } : undefined;
}
