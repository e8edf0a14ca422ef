/**
 * Turning discount requests into paise per line. A request is a percentage (basis points) or a
 * fixed amount, on one line or on the whole bill; requests apply in the order they were made,
 * each to what earlier ones left. A bill-wide discount is spread over the lines in proportion to
 * their remaining value (largest remainder), because GST is charged on each line's value after
 * discount (CGST Act s. 15(3)(a): a discount shown on the invoice reduces the taxable value).
 */
import { BASIS_POINTS, allocateProportionally, mulDivRoundHalfUp } from './money.js';

/** One discount request; exactly one of `percentBp` and `amountPaise` is set. */
export interface DiscountRule {
  lineId?: string;
  percentBp?: number;
  amountPaise?: number;
}

/** What discounts need of a line. */
export interface DiscountableLine {
  lineId: string;
  grossPaise: number;
}

/** The discount on each line and what each request came to (same order as the inputs). */
export interface DiscountOutcome {
  perLine: number[];
  perRule: number[];
}

function amountFor(rule: DiscountRule, base: number): number {
  const wanted =
    rule.percentBp !== undefined ? mulDivRoundHalfUp(base, rule.percentBp, BASIS_POINTS) : (rule.amountPaise ?? 0);
  return Math.min(wanted, base);
}

/** Applies `rules` to `lines`; a rule naming an unknown line comes to 0. */
export function applyDiscounts(lines: readonly DiscountableLine[], rules: readonly DiscountRule[]): DiscountOutcome {
  const remaining = lines.map((line) => line.grossPaise);
  const perLine = lines.map(() => 0);
  const perRule: number[] = [];
  for (const rule of rules) {
    if (rule.lineId !== undefined) {
      const index = lines.findIndex((line) => line.lineId === rule.lineId);
      const amount = index < 0 ? 0 : amountFor(rule, remaining[index]!);
      if (index >= 0) {
        remaining[index]! -= amount;
        perLine[index]! += amount;
      }
      perRule.push(amount);
      continue;
    }
    const amount = amountFor(
      rule,
      remaining.reduce((sum, value) => sum + value, 0),
    );
    allocateProportionally(amount, remaining).forEach((share, index) => {
      remaining[index]! -= share;
      perLine[index]! += share;
    });
    perRule.push(amount);
  }
  return { perLine, perRule };
}
