/**
 * Integer money. Every amount is a whole number of paise and every rate is whole basis points
 * (18 % = 1800 bp), so money never touches floating point: products go through BigInt and come
 * back as safe integers, and the only rounding is the one defined here.
 */
import { AppError } from '../../platform/errors.js';

/** Basis points in 100 %. */
export const BASIS_POINTS = 10_000;

function moneyBug(message: string): AppError {
  return new AppError('money_invalid', 500, message);
}

/** Throws unless `value` is a non-negative safe integer (paise, quantities, basis points). */
export function assertWhole(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw moneyBug(`${what} must be a non-negative whole number, got ${value}`);
}

/**
 * `value × numerator ÷ denominator`, rounded half up to a whole number — THE rounding of this
 * codebase (GST per line, percentage discounts). Half up means 0.5 paise becomes 1 paisa, as
 * on a calculator; all inputs are non-negative, so "half up" and "half away from zero" agree.
 */
export function mulDivRoundHalfUp(value: number, numerator: number, denominator: number): number {
  assertWhole(value, 'value');
  assertWhole(numerator, 'numerator');
  if (!Number.isSafeInteger(denominator) || denominator <= 0)
    throw moneyBug(`denominator must be a positive integer, got ${denominator}`);
  const doubled = 2n * BigInt(value) * BigInt(numerator) + BigInt(denominator);
  const result = Number(doubled / (2n * BigInt(denominator)));
  if (!Number.isSafeInteger(result)) throw moneyBug('amount is too large');
  return result;
}

/**
 * Splits `total` into parts proportional to `weights` that add up to `total` exactly (largest
 * remainder: everyone gets the floor of their share, the leftover paise go to the largest
 * fractional shares, earlier entries first on ties). When `total` ≤ the sum of the weights no
 * part exceeds its weight, and a zero weight always gets zero.
 */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  assertWhole(total, 'total');
  weights.forEach((weight, index) => assertWhole(weight, `weights[${index}]`));
  const sum = weights.reduce((acc, weight) => acc + BigInt(weight), 0n);
  if (sum === 0n) {
    if (total !== 0) throw moneyBug('cannot allocate an amount over zero weights');
    return weights.map(() => 0);
  }
  const shares = weights.map((weight, index) => {
    const exact = BigInt(total) * BigInt(weight);
    return { index, floor: exact / sum, remainder: exact % sum };
  });
  let leftover = BigInt(total) - shares.reduce((acc, share) => acc + share.floor, 0n);
  const order = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  const parts = shares.map((share) => share.floor);
  for (const share of order) {
    if (leftover === 0n) break;
    parts[share.index]! += 1n;
    leftover -= 1n;
  }
  return parts.map(Number);
}

/**
 * A percentage typed by a person (18, 12.5, 0.25) as basis points, or null when it has more than
 * two decimals. This parses input; no money is computed from the float.
 */
export function percentToBasisPoints(percent: number): number | null {
  if (!Number.isFinite(percent) || percent < 0) return null;
  const basisPoints = Math.round(percent * 100);
  return Math.abs(percent * 100 - basisPoints) < 1e-6 ? basisPoints : null;
}

/** Basis points as a percentage for display: 1800 → "18", 1250 → "12.5", 25 → "0.25", 12.5 bp halves → "0.125". */
export function formatPercent(basisPoints: number): string {
  return String(Number((basisPoints / 100).toFixed(4)));
}

function groupIndian(rupees: string): string {
  // Indian grouping: the last three digits, then pairs — 12,34,56,789.
  if (rupees.length <= 3) return rupees;
  const head = rupees.slice(0, -3);
  const pairs = head.replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${pairs},${rupees.slice(-3)}`;
}

/** Paise as rupees with Indian digit grouping and two decimals: 12345678 → "1,23,456.78". */
export function formatPaise(paise: number): string {
  if (!Number.isSafeInteger(paise)) throw moneyBug(`paise must be an integer, got ${paise}`);
  const sign = paise < 0 ? '-' : '';
  const absolute = Math.abs(paise);
  const rupees = Math.floor(absolute / 100);
  const rest = absolute % 100;
  return `${sign}${groupIndian(String(rupees))}.${String(rest).padStart(2, '0')}`;
}

/** Paise for people: "Rs. 1,250.50" (the standard PDF fonts have no ₹ glyph). */
export function formatRupees(paise: number): string {
  return `Rs. ${formatPaise(paise)}`;
}
