import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { configureFieldEncryption } from '../../src/platform/crypto/keyring.js';
import { ageOf, birthFacts, fullYearsBetween, isMinor, todayInIndia } from '../../src/modules/patients/patient-age.js';
import { formatPatientCode, normalizePatientCode } from '../../src/modules/patients/patient-code.js';
import {
  isSearchableName,
  nameMatches,
  namePrefixHashes,
  nameQueryHashes,
  nameWords,
  patientIdentityKey,
} from '../../src/modules/patients/patient-names.js';
import { testEnv } from '../helpers/env.js';

describe('patient codes', () => {
  it('are short, distinct, from the unambiguous alphabet and not in counter order', () => {
    const codes = Array.from({ length: 5000 }, (_, i) => formatPatientCode(i + 1));
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^CN-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(codes[1]!.slice(3, 6)).not.toBe(codes[0]!.slice(3, 6));
  });

  it('grow by one character once four run out, staying distinct across the boundary', () => {
    const edge = 32 ** 4;
    const around = [edge - 2, edge - 1, edge, edge + 1].map(formatPatientCode);
    expect(around.map((code) => code.length)).toEqual([8, 8, 9, 9]);
    expect(new Set(around).size).toBe(4);
    expect(formatPatientCode(Number.MAX_SAFE_INTEGER)).toMatch(/^CN-[0-9A-Z]{12}$/);
    expect(() => formatPatientCode(0)).toThrow(RangeError);
  });

  it('read back however a person types them', () => {
    const code = formatPatientCode(4827);
    const payload = code.slice(3);
    expect(normalizePatientCode(code)).toBe(code);
    expect(normalizePatientCode(payload.toLowerCase())).toBe(code);
    expect(normalizePatientCode(` cn ${payload.slice(0, 2)}-${payload.slice(2)} `)).toBe(code);
    const withLookalikes = payload.replace(/0/g, 'O').replace(/1/g, 'I');
    expect(normalizePatientCode(withLookalikes)).toBe(code);
  });

  it('turn a mistyped character or a swap of neighbours into no code at all', () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let caught = 0;
    let tried = 0;
    for (let sequence = 1; sequence <= 200; sequence++) {
      const payload = formatPatientCode(sequence).slice(3);
      for (let i = 0; i < payload.length; i++) {
        for (const char of alphabet) {
          if (char === payload[i]) continue;
          tried++;
          if (normalizePatientCode(payload.slice(0, i) + char + payload.slice(i + 1)) === null) caught++;
        }
      }
      for (let i = 0; i + 1 < payload.length; i++) {
        if (payload[i] === payload[i + 1]) continue;
        const swapped = payload.slice(0, i) + payload[i + 1] + payload[i] + payload.slice(i + 2);
        tried++;
        if (normalizePatientCode(swapped) === null) caught++;
      }
    }
    // Luhn mod 32 catches every single substitution and nearly every adjacent swap.
    expect(caught / tried).toBeGreaterThan(0.99);
    expect(normalizePatientCode('CN-')).toBeNull();
    expect(normalizePatientCode('hello world')).toBeNull();
  });
});

describe('name search tokens', () => {
  beforeAll(() => {
    configureFieldEncryption(loadConfig(testEnv('patient-identity')));
  });

  it('splits names into normalised words, keeping Devanagari vowel signs', () => {
    expect(nameWords('  S. Kumar-SHARMA ')).toEqual(['s', 'kumar', 'sharma']);
    expect(nameWords('राम कुमार')).toEqual(['राम', 'कुमार']);
  });

  it('stores a token for every 2–12 character prefix of every word and finds it from a typed prefix', () => {
    const stored = namePrefixHashes('Ravi Kumar');
    // ravi: ra rav ravi; kumar: ku kum kuma kumar
    expect(stored).toHaveLength(7);
    for (const typed of ['ra', 'RAV', 'kum', 'Ravi Kumar', 'kumar ravi']) {
      for (const token of nameQueryHashes(typed)) expect(stored).toContain(token);
    }
    expect(stored).not.toContain(nameQueryHashes('ravindra')[0]);
    expect(stored.join(' ')).not.toMatch(/ravi|kumar/i);
  });

  it('indexes long words up to 12 characters and confirms the rest on the decrypted name', () => {
    const name = 'Venkatasubramanian Iyer';
    expect(namePrefixHashes(name)).toContain(nameQueryHashes('venkatasubram')[0]);
    expect(nameMatches(name, 'venkatasubram')).toBe(true);
    expect(nameMatches(name, 'venkatasubrx')).toBe(false);
    expect(nameMatches(name, 'iy v')).toBe(true);
  });

  it('needs two letters to search, and keys identity by contact and normalised name', () => {
    expect(isSearchableName('a')).toBe(false);
    expect(isSearchableName('a b')).toBe(false);
    expect(isSearchableName('a bc')).toBe(true);
    expect(patientIdentityKey('c1', 'Ravi  KUMAR')).toBe(patientIdentityKey('c1', 'ravi kumar'));
    expect(patientIdentityKey('c1', 'Ravi Kumar')).not.toBe(patientIdentityKey('c2', 'Ravi Kumar'));
  });
});

describe('age and minority', () => {
  it('counts whole years from a date of birth', () => {
    expect(fullYearsBetween('2008-06-15', '2026-06-14')).toBe(17);
    expect(fullYearsBetween('2008-06-15', '2026-06-15')).toBe(18);
    expect(isMinor(birthFacts({ dateOfBirth: '2008-06-15' }), '2026-06-14')).toBe(true);
    expect(isMinor(birthFacts({ dateOfBirth: '2008-06-15' }), '2026-06-15')).toBe(false);
  });

  it('treats a stated age as a lower bound that grows from the day it was stated', () => {
    const seventeen = birthFacts({ ageYears: 17 }, '2025-03-01');
    expect(seventeen).toEqual({ statedAge: { years: 17, on: '2025-03-01' }, birthYear: 2008 });
    expect(isMinor(seventeen, '2026-02-28')).toBe(true);
    expect(isMinor(seventeen, '2026-03-01')).toBe(false);
    expect(isMinor(birthFacts({ ageYears: 18 }, '2025-03-01'), '2025-03-01')).toBe(false);
    expect(ageOf(seventeen, '2027-05-01')).toEqual({ years: 19, exact: false });
  });

  it('uses India time for today', () => {
    // 20:00 UTC on 31 Dec is already 1 Jan in India.
    expect(todayInIndia(new Date('2025-12-31T20:00:00Z'))).toBe('2026-01-01');
  });
});
