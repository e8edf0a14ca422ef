/**
 * Patient codes such as `CN-7K3QX`: what the front desk writes on a file and the bot shows a
 * patient, so they must be short, easy to read aloud and hard to mistype.
 *
 * Why a counter rather than random codes: `nextSequence` hands every registration a distinct
 * number in one atomic step, so codes are unique by construction and stay as short as the clinic
 * is small (4 characters up to ~1 million patients) — random codes need more characters to keep
 * collisions rare, and a retry loop for when they happen. The counter value is scrambled by a
 * fixed bijection (multiply by an odd constant modulo 32^width) so consecutive patients do not get
 * neighbouring codes and a code does not read as "patient number 41".
 *
 * Characters come from Crockford's base32 (digits and letters without I, L, O, U), and a Luhn
 * mod 32 check character ends the code: any single mistyped character and most swaps of two
 * neighbours make an invalid code instead of another patient's.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE = 32n;
const MIN_WIDTH = 4;
/** Odd, so multiplication by it is a bijection modulo any power of two. */
const SCRAMBLE = 0x5bd1e995n;
const PREFIX = 'CN-';

function checkCharacter(payload: string): string {
  // Luhn mod N, from the rightmost payload character (which gets factor 2).
  let factor = 2;
  let sum = 0;
  for (let i = payload.length - 1; i >= 0; i--) {
    const addend = factor * ALPHABET.indexOf(payload[i]!);
    sum += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return ALPHABET[(32 - (sum % 32)) % 32]!;
}

function widthFor(value: bigint): number {
  let width = 1;
  while (BASE ** BigInt(width) <= value) width++;
  return Math.max(MIN_WIDTH, width);
}

/** The code for counter value `sequence` (1, 2, 3 …); distinct values give distinct codes. */
export function formatPatientCode(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RangeError('patient code sequence must be a positive integer');
  const value = BigInt(sequence);
  const width = widthFor(value);
  // Codes of different widths differ in length, and within one width the map is a bijection.
  let scrambled = (value * SCRAMBLE) % BASE ** BigInt(width);
  let payload = '';
  for (let i = 0; i < width; i++) {
    payload = ALPHABET[Number(scrambled % BASE)]! + payload;
    scrambled /= BASE;
  }
  return `${PREFIX}${payload}${checkCharacter(payload)}`;
}

/**
 * Reads a code as a person typed it — any case, with or without `CN-`, spaces or dashes, O for 0
 * and I or L for 1 — and returns its canonical form, or null when it cannot be a valid code.
 */
export function normalizePatientCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  // A payload may itself start with "CN", so try the typed text both with and without the prefix.
  const candidates = compact.startsWith('CN') ? [compact.slice(2), compact] : [compact];
  const valid = candidates.find(
    (payloadAndCheck) =>
      payloadAndCheck.length > MIN_WIDTH &&
      payloadAndCheck.length <= 14 &&
      [...payloadAndCheck].every((char) => ALPHABET.includes(char)) &&
      checkCharacter(payloadAndCheck.slice(0, -1)) === payloadAndCheck.slice(-1),
  );
  return valid === undefined ? null : `${PREFIX}${valid}`;
}
