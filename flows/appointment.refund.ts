/**
 * How much of what was paid a cancellation gives back. The machine only decides; billing issues
 * the refund (with an idempotency key) when the cancellation has been written.
 */
import { instantMs } from './appointment.context.js';
import type { Party } from './appointment.rules.js';
import type { AppointmentContext, AppointmentStatus, RefundDecision } from './appointment.types.js';

const HOUR_MS = 3_600_000;

/**
 * The refund due when `party` cancels an appointment that was in status `from` at instant `at`.
 * The clinic (staff or an expired hold) always refunds in full, as does a patient dropping a
 * booking that was never confirmed. A patient cancelling a confirmed appointment gets everything
 * back at least `fullRefundHours` before the start, `partialRefundPercent` (rounded down to the
 * paisa) at least `partialRefundHours` before, and nothing later. Window edges count as inside.
 */
export function cancellationRefund(
  from: AppointmentStatus,
  party: Party,
  context: AppointmentContext,
  at: number,
): RefundDecision {
  const paid = context.paidPaise;
  if (party === 'system') return { dueAmountPaise: paid, reason: 'hold_expired' };
  if (party !== 'patient') return { dueAmountPaise: paid, reason: 'clinic_cancelled' };
  if (from !== 'confirmed') return { dueAmountPaise: paid, reason: 'not_confirmed' };
  const rules = context.cancellation;
  // Compared in milliseconds so a window edge is exact, not subject to a float division.
  const msBefore = instantMs(context.startAt) - at;
  if (msBefore >= rules.fullRefundHours * HOUR_MS) return { dueAmountPaise: paid, reason: 'full_refund_window' };
  if (msBefore >= rules.partialRefundHours * HOUR_MS) {
    return { dueAmountPaise: Math.floor((paid * rules.partialRefundPercent) / 100), reason: 'partial_refund_window' };
  }
  return { dueAmountPaise: 0, reason: 'outside_refund_window' };
}
