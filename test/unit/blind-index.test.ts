import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { blindIndex, normalizePhone } from '../../src/platform/crypto/blind-index.js';
import { loadConfig } from '../../src/config.js';
import { blindIndexOf, configureFieldEncryption, phiDigest } from '../../src/platform/crypto/keyring.js';
import { AppError } from '../../src/platform/errors.js';
import { testEnv } from '../helpers/env.js';

describe('normalizePhone', () => {
  it.each([
    ['9876543210', '+919876543210'],
    ['98765 43210', '+919876543210'],
    ['98765-43210', '+919876543210'],
    ['(98765) 43210', '+919876543210'],
    ['09876543210', '+919876543210'],
    ['0 98765 43210', '+919876543210'],
    ['919876543210', '+919876543210'],
    ['91 98765 43210', '+919876543210'],
    ['+91 98765 43210', '+919876543210'],
    ['+91-98765-43210', '+919876543210'],
    ['+91 0 98765 43210', '+919876543210'],
    ['0091 98765 43210', '+919876543210'],
    ['  +91 98765 43210  ', '+919876543210'],
    ['+91\u00a098765\u00a043210', '+919876543210'],
    ['९८७६५ ४३२१०', '+919876543210'],
    ['6000000000', '+916000000000'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0014155552671', '+14155552671'],
    ['+971501234567', '+971501234567'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['hello'],
    ['98765'],
    ['5876543210'],
    ['1234567890'],
    ['98765432101'],
    ['91987654321'],
    ['+91 12345 67890'],
    ['+91 98765 4321'],
    ['+0 123456789'],
    ['+1234567'],
    ['+1234567890123456'],
    ['98765 43210 ext 12'],
    ['98765*43210'],
    ['+91 98765 43210; drop table'],
    ['9'.repeat(40)],
  ])('rejects %p with 422 invalid_phone', (input) => {
    try {
      normalizePhone(input);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'invalid_phone', status: 422 });
      if (input.trim()) expect((error as Error).message).not.toContain(input.trim());
    }
  });
});

describe('blind index', () => {
  const key = randomBytes(32);

  it('is the same for every spelling of one number and differs between numbers', () => {
    const index = blindIndex(key, 'phone', '+91 98765 43210');
    expect(index).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const spelling of ['9876543210', '098765-43210', '919876543210', '०९८७६५४३२१०']) {
      expect(blindIndex(key, 'phone', spelling)).toBe(index);
    }
    expect(blindIndex(key, 'phone', '9876543211')).not.toBe(index);
  });

  it('depends on the key and never contains the number', () => {
    const index = blindIndex(key, 'phone', '9876543210');
    expect(blindIndex(randomBytes(32), 'phone', '9876543210')).not.toBe(index);
    expect(index).not.toContain('9876543210');
  });

  it('rejects garbage rather than indexing it', () => {
    expect(() => blindIndex(key, 'phone', 'not a phone')).toThrow(AppError);
  });

  it('uses the configured key through blindIndexOf, and keeps PHI digests separate', () => {
    expect(() => blindIndexOf('phone', '9876543210')).toThrow(/not configured/);
    const config = loadConfig(testEnv('blind-index'));
    configureFieldEncryption(config);
    expect(blindIndexOf('phone', '98765 43210')).toBe(
      blindIndex(config.security.blindIndexKey, 'phone', '+919876543210'),
    );
    expect(phiDigest('"+919876543210"')).not.toBe(blindIndexOf('phone', '9876543210'));
    expect(phiDigest('"+919876543210"')).toBe(phiDigest('"+919876543210"'));
  });
});
