/**
 * Flagging a lab result against its reference range. A numeric value is compared with the range
 * bounds ("<0.5" and ">200" count as 0.5 and 200); a text value with a text reference
 * ("Negative"); an entrant's explicit "abnormal" (the lab report said so) can raise a flag but
 * never clear one the range raised, so an out-of-range value cannot be hidden.
 */

/** The result of flagging. */
export type LabFlag = 'normal' | 'low' | 'high' | 'abnormal';

/** What flagging looks at. */
export interface FlagInput {
  value: string;
  referenceLow?: number;
  referenceHigh?: number;
  referenceText?: string;
  abnormal?: boolean;
}

function numberOf(value: string): number | undefined {
  const match = /^\s*(?:[<>]=?|≤|≥)?\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

function normalised(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

function rangeFlag(input: FlagInput): LabFlag | undefined {
  if (input.referenceLow !== undefined || input.referenceHigh !== undefined) {
    const value = numberOf(input.value);
    if (value === undefined) return undefined;
    if (input.referenceLow !== undefined && value < input.referenceLow) return 'low';
    if (input.referenceHigh !== undefined && value > input.referenceHigh) return 'high';
    return 'normal';
  }
  if (input.referenceText !== undefined)
    return normalised(input.value) === normalised(input.referenceText) ? 'normal' : 'abnormal';
  return undefined;
}

/** The flag of a result, or undefined when nothing says what normal is. */
export function flagResult(input: FlagInput): LabFlag | undefined {
  const fromRange = rangeFlag(input);
  if (input.abnormal === true && (fromRange === undefined || fromRange === 'normal')) return 'abnormal';
  return fromRange;
}

/** True for flags outside the reference range. */
export function isAbnormal(flag: LabFlag | undefined): boolean {
  return flag === 'low' || flag === 'high' || flag === 'abnormal';
}
