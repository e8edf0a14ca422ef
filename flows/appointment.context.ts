/**
 * Reading instants and checking the context the service hands to the lifecycle. A bad event is
 * the caller's mistake (answered as `invalid_event`); a bad context is ours, so it throws.
 */
import { isValidTimeZone } from '../src/modules/scheduling/clinic-time.js';
import { APPOINTMENT_EVENT_TYPES, OVERRIDE_TARGETS } from './appointment.types.js';
import type { AppointmentContext, AppointmentEvent, Instant } from './appointment.types.js';

// An offset is required: a bare "2025-01-01T10:00" would be read in the server's zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of a Date or an ISO-8601 string with an offset; NaN when it is neither. */
export function instantMs(value: Instant | null | undefined): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return Date.parse(value);
  return Number.NaN;
}

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** True when `event` is well-formed: a known type, an actor, a valid instant and, for overrides, a valid target. */
export function isWellFormedEvent(event: AppointmentEvent): boolean {
  if (typeof event !== 'object' || event === null) return false;
  if (!(APPOINTMENT_EVENT_TYPES as readonly string[]).includes(event.type)) return false;
  const actor = event.actor as Partial<AppointmentEvent['actor']> | undefined;
  if (typeof actor !== 'object' || actor === null || typeof actor.id !== 'string' || !isStringArray(actor.roles))
    return false;
  if (!['staff', 'patient', 'system'].includes(actor.type as string)) return false;
  // A string here would turn ownership checks into substring matches ('patient-10' includes 'patient-1').
  if (actor.patientIds !== undefined && !isStringArray(actor.patientIds)) return false;
  if (actor.doctorId !== undefined && typeof actor.doctorId !== 'string') return false;
  if (Number.isNaN(instantMs(event.at))) return false;
  if (event.reason !== undefined && typeof event.reason !== 'string') return false;
  if (event.type === 'OVERRIDE_NO_SHOW' && !(OVERRIDE_TARGETS as readonly string[]).includes(event.to)) return false;
  return true;
}

function isNonNegative(value: number, integer: boolean): boolean {
  return Number.isFinite(value) && value >= 0 && (!integer || Number.isInteger(value));
}

/** Throws TypeError naming the first field of `context` the rules cannot work with. */
export function assertAppointmentContext(context: AppointmentContext): void {
  const fail = (field: string) => {
    throw new TypeError(`Invalid appointment context: ${field}`);
  };
  for (const field of ['appointmentId', 'patientId', 'doctorId'] as const) {
    if (typeof context[field] !== 'string' || context[field] === '') fail(field);
  }
  if (Number.isNaN(instantMs(context.startAt))) fail('startAt');
  if (context.holdExpiresAt != null && Number.isNaN(instantMs(context.holdExpiresAt))) fail('holdExpiresAt');
  if (typeof context.timezone !== 'string' || !isValidTimeZone(context.timezone)) fail('timezone');
  if (!isNonNegative(context.prepaymentPaise, true)) fail('prepaymentPaise');
  if (!isNonNegative(context.paidPaise, true)) fail('paidPaise');
  if (!isNonNegative(context.noShowGraceMinutes, false)) fail('noShowGraceMinutes');
  const rules = context.cancellation;
  if (typeof rules !== 'object' || rules === null) fail('cancellation');
  if (!isNonNegative(rules.patientCutoffHours, false)) fail('cancellation.patientCutoffHours');
  if (!isNonNegative(rules.fullRefundHours, false)) fail('cancellation.fullRefundHours');
  if (!isNonNegative(rules.partialRefundHours, false) || rules.partialRefundHours > rules.fullRefundHours) {
    fail('cancellation.partialRefundHours (must be between 0 and fullRefundHours)');
  }
  // Whole percent keeps paid × percent / 100 exact in floating point before rounding down.
  if (!isNonNegative(rules.partialRefundPercent, true) || rules.partialRefundPercent > 100) {
    fail('cancellation.partialRefundPercent (must be a whole number 0–100)');
  }
}
