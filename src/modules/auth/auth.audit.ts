/**
 * The single place the security spine writes to the audit trail: sign-ins, sign-outs, lockouts,
 * device decisions, MFA enrolment and resets, password changes, staff and role changes, and
 * clinic security settings. Diffs carry field names and non-PHI values only (roles, flags, ids,
 * states) — never emails, names, passwords or secrets.
 */
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import type { AuditDiffEntry } from '../../platform/audit/audit-hash.js';

/** The security events this module emits. */
export type SecurityAction =
  | 'auth.login'
  | 'auth.logout'
  | 'auth.lockout'
  | 'auth.password_changed'
  | 'auth.device_approved'
  | 'auth.device_rejected'
  | 'auth.mfa_enrolled'
  | 'auth.mfa_reset'
  | 'staff.created'
  | 'staff.updated'
  | 'clinic.security_settings_changed';

/** The record an event is about. */
export interface SecurityEntity {
  type: 'staff' | 'device' | 'clinic';
  id: string;
}

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return typeof value === 'object' && value !== null && 'from' in value && 'to' in value;
}

/**
 * Appends one event for `actor` about `entity`. `diff` maps field → new value, or field →
 * `{ from, to }` for a change; values must not be PHI.
 */
export async function recordSecurityEvent(
  actor: Actor,
  action: SecurityAction,
  entity: SecurityEntity,
  diff: Record<string, unknown> = {},
): Promise<void> {
  const entries: AuditDiffEntry[] = Object.entries(diff)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([field, value]) => (isChange(value) ? { field, from: value.from, to: value.to } : { field, to: value }));
  await audit.record({ actor, action, entity, diff: entries });
}
