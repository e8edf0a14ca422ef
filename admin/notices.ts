/**
 * Service refusals in the staff member's words. The services already say what went wrong in a
 * sentence; a few common ones are worded for a person with a queue at the counter, and nothing
 * else (stack traces, internal codes) ever reaches the screen.
 */
import { AppError } from '../src/platform/errors.js';

const ROLE_NAMES: Record<string, string> = {
  frontdesk: 'the front desk',
  accounts: 'accounts',
  admin: 'an admin',
  pharmacy: 'pharmacy',
  doctor: 'the doctor',
};

function approversText(approvers: unknown): string {
  if (!Array.isArray(approvers) || approvers.length === 0) return 'ask an admin';
  return `${approvers.map((role) => ROLE_NAMES[String(role)] ?? String(role)).join(' or ')} can approve`;
}

/** The notice for a refused panel action. */
export function panelMessage(error: unknown): string {
  if (!(error instanceof AppError))
    return 'Something went wrong on our side. Try again; if it keeps failing, tell an admin.';
  const reason = String(error.details?.reason ?? '');
  if (reason === 'slot_taken') return 'That time was just taken — pick another.';
  if (reason === 'patient_double_booked') return 'This patient already has an appointment at that time.';
  if (reason === 'stale_version') return 'Someone else changed this meanwhile — reload and try again.';
  if (error.status === 403 && error.details?.resource === 'discounts' && reason === 'record_rule')
    return `Above your discount limit: ${approversText(error.details?.approvers)}.`;
  if (error.status === 403) return `Your role cannot do this. ${error.message}.`;
  if (error.status === 404) return `${error.message}. It may have been removed; reload the list.`;
  if (error.status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (error.status >= 500) return 'Something went wrong on our side. Try again; if it keeps failing, tell an admin.';
  return error.message.endsWith('.') ? error.message : `${error.message}.`;
}
