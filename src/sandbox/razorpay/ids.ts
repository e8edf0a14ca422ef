/**
 * Razorpay-shaped identifiers and times: `<prefix>_` and 14 base62 characters (e.g.
 * `plink_ExjpAUN3gVHrPJ`), and Unix seconds, which is how every Razorpay entity states time.
 */
import { createHash, randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The prefixes this stand-in issues. */
export type RazorpayIdPrefix = 'plink' | 'pay' | 'order' | 'rfnd' | 'evt';

/** A fresh id such as `pay_Kx9c2LmQw8ZbYt`. */
export function newRazorpayId(prefix: RazorpayIdPrefix): string {
  let suffix = '';
  for (let index = 0; index < 14; index += 1) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}_${suffix}`;
}

/** True when `id` has the shape of an id with `prefix` (anything else cannot exist here). */
export function isRazorpayId(prefix: RazorpayIdPrefix, id: string): boolean {
  return new RegExp(`^${prefix}_[A-Za-z0-9]{14}$`).test(id);
}

/** Unix seconds now, or of `date`. */
export function unixSeconds(date: Date = new Date()): number {
  return Math.floor(date.getTime() / 1000);
}

/** The merchant account id webhooks carry: stable per key id, so every event of an installation agrees. */
export function accountIdFor(keyId: string): string {
  const digest = createHash('sha256').update(keyId).digest();
  let suffix = '';
  for (let index = 0; index < 7; index += 1) suffix += ALPHABET[digest[index]! % ALPHABET.length];
  return `acc_Sandbox${suffix}`;
}
