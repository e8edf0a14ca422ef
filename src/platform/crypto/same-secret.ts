/**
 * Comparing a secret someone sent with the one we expect (signatures, tokens, password hashes)
 * in constant time, so the answer's timing does not reveal how much of a guess was right.
 * Unequal lengths answer false at once: the length of an HMAC or hash is no secret.
 */
import { timingSafeEqual } from 'node:crypto';

/** True when `given` and `expected` are the same bytes (strings compared as UTF-8). */
export function sameSecret(given: Buffer | string, expected: Buffer | string): boolean {
  const a = typeof given === 'string' ? Buffer.from(given) : given;
  const b = typeof expected === 'string' ? Buffer.from(expected) : expected;
  return a.length === b.length && timingSafeEqual(a, b);
}
