/**
 * Name search without plaintext names in the database. Each word of a name is normalised and its
 * prefixes of 2–12 characters are stored as keyed HMAC tokens (`namePrefixHashes`); a search hashes
 * the words typed the same way and asks for patients holding all of them, then checks the
 * decrypted names, which also settles words longer than 12 characters and one-letter initials.
 *
 * What this leaks to someone holding only the database: which patients share a name prefix, not
 * the prefix itself (the tokens are keyed with BLIND_INDEX_KEY, so they cannot be brute-forced
 * offline) — the same trade every blind index makes.
 */
import { blindIndexOf } from '../../platform/crypto/keyring.js';

/** Shortest prefix that is indexed (and searchable). */
export const MIN_NAME_PREFIX = 2;
/** Longest prefix that is indexed; longer search words are matched on this prefix, then checked. */
export const MAX_NAME_PREFIX = 12;

/**
 * Words of a name, normalised for matching: NFKC, lower case, split on anything that is not a
 * letter, mark or digit (so "S. Kumar" is `s`, `kumar`, and Devanagari vowel signs stay in words).
 */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean);
}

function prefix(word: string, length: number): string {
  // By code point, so a Devanagari or emoji character is never cut in half.
  return Array.from(word).slice(0, length).join('');
}

/** The tokens stored for `name`: every prefix of every word, 2–12 characters long, hashed. */
export function namePrefixHashes(name: string): string[] {
  const tokens = new Set<string>();
  for (const word of nameWords(name)) {
    const length = Array.from(word).length;
    for (let size = MIN_NAME_PREFIX; size <= Math.min(length, MAX_NAME_PREFIX); size++)
      tokens.add(blindIndexOf('namePrefix', prefix(word, size)));
  }
  return [...tokens];
}

/** True when `query` has at least one word long enough to search by. */
export function isSearchableName(query: string): boolean {
  return nameWords(query).some((word) => Array.from(word).length >= MIN_NAME_PREFIX);
}

/** The tokens a stored name must all hold to match `query` (one per searchable word). */
export function nameQueryHashes(query: string): string[] {
  const words = nameWords(query).filter((word) => Array.from(word).length >= MIN_NAME_PREFIX);
  return [...new Set(words.map((word) => blindIndexOf('namePrefix', prefix(word, MAX_NAME_PREFIX))))];
}

/** True when every word of `query` starts some word of `name` (in any order). */
export function nameMatches(name: string, query: string): boolean {
  const words = nameWords(name);
  return nameWords(query).every((typed) => words.some((word) => word.startsWith(typed)));
}

/** The duplicate-registration key: the same normalised name on the same contact. */
export function patientIdentityKey(contactId: string, name: string): string {
  return blindIndexOf('patientIdentity', `${contactId}|${nameWords(name).join(' ')}`);
}
