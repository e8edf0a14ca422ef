import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { FieldCipher, isSealed, sealedKeyId } from '../../src/platform/crypto/field-cipher.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const oldRing = new FieldCipher({ keys: new Map([['k1', k1]]), currentKeyId: 'k1' });
const rotatedRing = new FieldCipher({
  keys: new Map([
    ['k1', k1],
    ['k2', k2],
  ]),
  currentKeyId: 'k2',
});
const newOnlyRing = new FieldCipher({ keys: new Map([['k2', k2]]), currentKeyId: 'k2' });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

/** Flips one bit of the base64url segment at `index` of a sealed value. */
function flip(sealed: string, index: 3 | 4): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  parts[index] = bytes.toString('base64url');
  return parts.join(':');
}

describe('FieldCipher', () => {
  it.each([
    ['a phone number', '+919876543210'],
    ['Hindi text', 'मधुमेह, उच्च रक्तचाप'],
    ['an empty string', ''],
    ['an emergency contact', { name: 'Asha Rao', phone: '+919812345678', relation: 'sister' }],
    ['medical flags', [{ code: 'allergy', note: 'penicillin' }, { code: 'diabetes' }]],
    ['a number', 42.5],
    ['a boolean', false],
  ])('round-trips %s', (_label, value) => {
    const sealed = oldRing.encrypt('patient.field', value);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    if (typeof value === 'string' && value) expect(sealed).not.toContain(value);
    expect(oldRing.decrypt('patient.field', sealed)).toEqual(value);
  });

  it('uses a fresh nonce every time', () => {
    const a = oldRing.encrypt('patient.phone', '+919876543210');
    const b = oldRing.encrypt('patient.phone', '+919876543210');
    expect(a).not.toBe(b);
    expect(a.split(':')[3]).not.toBe(b.split(':')[3]);
  });

  it('refuses a tampered ciphertext, tag or nonce', () => {
    const sealed = oldRing.encrypt('patient.phone', '+919876543210');
    expect(codeOf(() => oldRing.decrypt('patient.phone', flip(sealed, 4)))).toBe('field_decrypt_failed');
    expect(codeOf(() => oldRing.decrypt('patient.phone', flip(sealed, 3)))).toBe('field_decrypt_failed');
    const truncated = sealed.slice(0, -4);
    expect(codeOf(() => oldRing.decrypt('patient.phone', truncated))).toMatch(
      /field_decrypt_failed|field_ciphertext_malformed/,
    );
  });

  it('refuses a value moved to another field (associated data)', () => {
    const sealed = oldRing.encrypt('patient.phone', '+919876543210');
    expect(codeOf(() => oldRing.decrypt('patient.emergencyContact', sealed))).toBe('field_decrypt_failed');
    expect(codeOf(() => oldRing.decrypt('staff.phone', sealed))).toBe('field_decrypt_failed');
  });

  it('refuses malformed values with a clear code', () => {
    for (const bad of [
      '+919876543210',
      'enc:v1:k1',
      'enc:v1:k1:abc:def',
      'enc:v2:k1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA',
      `enc:v1:k1:${'A'.repeat(16)}:${'A'.repeat(22)}:extra`,
    ]) {
      expect(codeOf(() => oldRing.decrypt('patient.phone', bad))).toBe('field_ciphertext_malformed');
    }
  });

  it('names an unknown key id without revealing the value', () => {
    const sealed = rotatedRing.encrypt('patient.phone', '+919876543210');
    let message = '';
    try {
      oldRing.decrypt('patient.phone', sealed);
    } catch (error) {
      expect((error as { code: string }).code).toBe('field_key_unknown');
      message = (error as Error).message;
    }
    expect(message).toContain('"k2"');
    expect(message).not.toContain('9876543210');
  });

  it('rotation: old keys still decrypt, the current key encrypts', () => {
    const old = oldRing.encrypt('patient.notes', 'Follow-up in two weeks');
    expect(sealedKeyId(old)).toBe('k1');
    expect(rotatedRing.decrypt('patient.notes', old)).toBe('Follow-up in two weeks');
    expect(rotatedRing.needsRotation(old)).toBe(true);

    const fresh = rotatedRing.encrypt('patient.notes', 'Follow-up in two weeks');
    expect(sealedKeyId(fresh)).toBe('k2');
    expect(rotatedRing.needsRotation(fresh)).toBe(false);
    expect(newOnlyRing.decrypt('patient.notes', fresh)).toBe('Follow-up in two weeks');
    expect(codeOf(() => newOnlyRing.decrypt('patient.notes', old))).toBe('field_key_unknown');
  });

  it('rejects bad keyrings and values that are not JSON', () => {
    expect(() => new FieldCipher({ keys: new Map([['k1', randomBytes(16)]]), currentKeyId: 'k1' })).toThrow(/32 bytes/);
    expect(() => new FieldCipher({ keys: new Map([['k1', k1]]), currentKeyId: 'k9' })).toThrow(/not in the keyring/);
    expect(codeOf(() => oldRing.encrypt('patient.phone', undefined))).toBe('field_value_unsupported');
  });
});
