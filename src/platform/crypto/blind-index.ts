/**
 * Blind indexes: a keyed HMAC-SHA256 of a normalised value, stored beside the encrypted field so
 * an exact lookup ("which patient has this phone?") works without decrypting anything. The key
 * (BLIND_INDEX_KEY) keeps low-entropy values like phone numbers from being brute-forced off a
 * database dump. Each kind of value gets its own label, so a phone hash never equals another
 * field's hash of the same text.
 */
import { createHmac } from 'node:crypto';
import { AppError } from '../errors.js';

/** Decimal digits of Indian scripts (Devanagari … Malayalam): their zero code points. */
const INDIC_ZEROS = [0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66];

function asciiDigits(input: string): string {
  return input.replace(/[\u0966-\u0d6f]/g, (char) => {
    const code = char.codePointAt(0)!;
    const zero = INDIC_ZEROS.find((start) => code >= start && code <= start + 9);
    return zero === undefined ? char : String(code - zero);
  });
}

function invalidPhone(): AppError {
  // Never echo the input: it is a phone number, or something a patient typed.
  return new AppError(
    'invalid_phone',
    422,
    'Not a valid phone number: use a 10-digit Indian mobile number or +<country code><number>',
  );
}

/**
 * Normalises a phone number to E.164. A number without a country code is Indian: 10 digits
 * starting 6–9 (mobiles — patients reach us on WhatsApp), optionally after a trunk `0` or a
 * `91`/`+91`/`0091` prefix. Other countries need `+` or `00`. WhatsApp `wa_id`s carry the country
 * code without `+`: pass `+${waId}`. Spaces, dashes, dots and brackets are ignored; Indian-script
 * digits are accepted. Anything else throws AppError 422 `invalid_phone`.
 */
export function normalizePhone(input: string): string {
  if (typeof input !== 'string' || input.length > 32) throw invalidPhone();
  const compact = asciiDigits(input.trim()).replace(/[\s\u00a0().-]/g, '');
  const match = /^(\+|00)?(\d+)$/.exec(compact);
  if (!match) throw invalidPhone();
  const [, international, digits = ''] = match;

  let national: string | undefined;
  if (international) {
    if (digits.startsWith('91')) national = digits.slice(2).replace(/^0/, '');
    else if (/^[1-9]\d{7,14}$/.test(digits)) return `+${digits}`;
    else throw invalidPhone();
  } else if (digits.length === 10) national = digits;
  else if (digits.length === 11 && digits.startsWith('0')) national = digits.slice(1);
  else if (digits.length === 12 && digits.startsWith('91')) national = digits.slice(2);
  else throw invalidPhone();

  if (!/^[6-9]\d{9}$/.test(national)) throw invalidPhone();
  return `+91${national}`;
}

/** How each kind of indexed value is normalised before hashing. */
export const BLIND_INDEX_KINDS = {
  phone: (value: unknown) => normalizePhone(String(value)),
  /** One prefix of one word of a name, already normalised by the patients module (name search). */
  namePrefix: (value: unknown) => String(value).normalize('NFKC').toLowerCase(),
  /** `<contactId>|<normalised full name>`: spots the same person registered twice on one number. */
  patientIdentity: (value: unknown) => String(value).normalize('NFKC').toLowerCase(),
} as const;

/** A kind of value that has a blind index. */
export type BlindIndexKind = keyof typeof BLIND_INDEX_KINDS;

/** The HMAC-SHA256 blind index (base64url, 43 chars) of `value` normalised as `kind`. */
export function blindIndex(key: Buffer, kind: BlindIndexKind, value: unknown): string {
  const normalised = BLIND_INDEX_KINDS[kind](value);
  return createHmac('sha256', key).update(`cinic-blind-index:v1:${kind}:${normalised}`, 'utf8').digest('base64url');
}
