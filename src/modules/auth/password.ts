/**
 * Password hashing with scrypt from node:crypto: a random 16-byte salt per user and the cost
 * parameters stored beside the hash, so raising them later only rehashes at the next sign-in.
 */
import { randomBytes, scrypt } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import { sameSecret } from '../../platform/crypto/same-secret.js';

/** Shortest password accepted for staff. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted (bounds the hashing work an attacker can ask for). */
export const MAX_PASSWORD_LENGTH = 256;

/** A stored password hash with its parameters. */
export interface PasswordHash {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  keyLength: number;
  salt: string;
  hash: string;
}

// N=2^15, r=8 costs 32 MiB and tens of milliseconds per hash: slow for guessing, fine per sign-in.
const CURRENT = { N: 2 ** 15, r: 8, p: 1, keyLength: 64 } as const;

function derive(
  password: string,
  salt: Buffer,
  params: { N: number; r: number; p: number; keyLength: number },
): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r * params.p,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, params.keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes `password` with a fresh salt and the current parameters. */
export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, CURRENT);
  return { algorithm: 'scrypt', ...CURRENT, salt: salt.toString('base64'), hash: key.toString('base64') };
}

/** True when `password` matches `stored` (constant-time comparison). */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  if (stored.algorithm !== 'scrypt') return false;
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
  return sameSecret(actual, expected);
}

/** True when `stored` was made with weaker parameters than today's. */
export function needsRehash(stored: PasswordHash): boolean {
  return stored.N < CURRENT.N || stored.r < CURRENT.r || stored.p < CURRENT.p || stored.keyLength < CURRENT.keyLength;
}

let decoy: Promise<PasswordHash> | undefined;

/** Spends the same hashing time as a real check, so an unknown email is not faster to answer. */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword(randomBytes(16).toString('base64'));
  await verifyPassword(password, await decoy);
  return false;
}
