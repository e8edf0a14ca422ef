/**
 * Failures the Razorpay stand-in simulates, so tests and people can exercise retries, timeouts
 * and failed refunds without mocks. Each is chosen either by a note the caller sets or by the
 * last two digits of the amount in paise (for production code paths whose notes a test does not
 * control: a fee of ₹500.92 is 50092 paise):
 *
 * | fault            | trigger                                                                  | the stand-in                                                                                                          |
 * | ---------------- | ------------------------------------------------------------------------ | --------------------------------------------------------------------------------------------------------------------- |
 * | `link_500`       | link `notes.sandbox_fault` = `link_500`, or link amount ends in `91`      | 500 SERVER_ERROR to the first create attempt of each link (per reference_id), creating nothing; the retry succeeds     |
 * | `refund_timeout` | refund or payment `notes.sandbox_fault` = `refund_timeout`, or amount `92` | stores the refund, then holds the response `notes.sandbox_hold_ms` (default 15 s, past the app's 10 s client timeout) so the caller times out; a retry with the same X-Refund-Idempotency answers the stored refund at once |
 * | `refund_reset`   | refund or payment `notes.sandbox_fault` = `refund_reset`, or amount `94`   | stores the refund, then drops the connection without answering (the quick way to the same question: was it made?) |
 * | `refund_failed`  | refund or payment `notes.sandbox_fault` = `refund_failed`, or amount `93`  | accepts the refund (`pending`), then fails it and fires `refund.failed`; the amount becomes refundable again            |
 *
 * A payment's notes are its link's notes, so a link created with `sandbox_fault` marks its refunds.
 * "First attempt" memory is per process and bounded.
 */
import { createHash } from 'node:crypto';

/** The simulated failures. */
export type RazorpayFault = 'link_500' | RefundFault;

/** The simulated refund failures. */
export type RefundFault = 'refund_timeout' | 'refund_reset' | 'refund_failed';

const REFUND_FAULTS: readonly string[] = ['refund_timeout', 'refund_reset', 'refund_failed'];

/** Amount suffixes (paise mod 100) and the fault each triggers. */
export const RAZORPAY_FAULT_AMOUNTS: Record<number, RazorpayFault> = {
  91: 'link_500',
  92: 'refund_timeout',
  93: 'refund_failed',
  94: 'refund_reset',
};

/** How long a `refund_timeout` response is held unless `notes.sandbox_hold_ms` says otherwise. */
export const DEFAULT_HOLD_MS = 15_000;
const MAX_HOLD_MS = 60_000;

type Notes = Record<string, unknown> | null | undefined;

const noteFault = (notes: Notes): string | undefined =>
  typeof notes?.sandbox_fault === 'string' ? notes.sandbox_fault : undefined;

/** The fault for creating a link with this amount and notes, if any. */
export function linkFault(amount: number, notes: Notes): RazorpayFault | undefined {
  return noteFault(notes) === 'link_500' || RAZORPAY_FAULT_AMOUNTS[amount % 100] === 'link_500'
    ? 'link_500'
    : undefined;
}

/** The fault for a refund: its own note first, then the payment's (its link's) note, then the payment amount. */
export function refundFault(refundNotes: Notes, paymentNotes: Notes, paymentAmount: number): RefundFault | undefined {
  for (const fault of [noteFault(refundNotes), noteFault(paymentNotes), RAZORPAY_FAULT_AMOUNTS[paymentAmount % 100]]) {
    if (fault && REFUND_FAULTS.includes(fault)) return fault as RefundFault;
  }
  return undefined;
}

/** How long to hold a `refund_timeout` response. */
export function holdMs(refundNotes: Notes): number {
  const asked = Number(refundNotes?.sandbox_hold_ms);
  return Number.isFinite(asked) && asked > 0 ? Math.min(asked, MAX_HOLD_MS) : DEFAULT_HOLD_MS;
}

const MEMORY = 10_000;
const failedOnce = new Set<string>();

/** True the first time `key` is seen (the stand-in fails that attempt). */
export function firstAttempt(key: string): boolean {
  const digest = createHash('sha256').update(key).digest('hex');
  if (failedOnce.has(digest)) return false;
  if (failedOnce.size >= MEMORY) failedOnce.clear();
  failedOnce.add(digest);
  return true;
}
