/**
 * Policy decisions. `can` answers yes/no; `decide` also says why and, when a record rule such as
 * the discount limit denies, which roles may approve instead.
 *
 * Without a record, a rule-bound grant answers "may do this to some records" — the gate a route
 * or a menu needs. Services must pass the record to check the rule itself; a record that lacks
 * the field a rule needs is denied (fail closed).
 */
import type { Actor, Role } from '../actor.js';
import { forbidden } from '../errors.js';
import { DISCOUNT_LIMITS, POLICY } from './policy.js';
import type { Action, Grant, Resource } from './policy.js';

/** The fields record rules look at; ids may be ObjectIds or strings. */
export interface PolicyRecord {
  clinicId?: unknown;
  patientId?: unknown;
  doctorId?: unknown;
  discountPercent?: number;
  /** Per-role discount limits in force (the clinic's settings); DISCOUNT_LIMITS when absent. */
  discountLimits?: Readonly<Partial<Record<Role, number>>>;
}

/** Why access was granted or denied. */
export type Decision =
  | { allowed: true; reason: 'system' | 'role'; grant?: Grant; role?: Role }
  | { allowed: false; reason: 'no_role' | 'other_clinic' | 'record_rule'; approvers?: Role[] };

function idOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value);
}

function grantHolds(grant: Grant, role: Role, actor: Actor, record: PolicyRecord): boolean {
  switch (grant) {
    case 'all':
      return true;
    case 'own_patient': {
      const patientId = idOf(record.patientId);
      return patientId !== undefined && (actor.patientIds ?? []).includes(patientId);
    }
    case 'own_doctor': {
      const doctorId = idOf(record.doctorId);
      return doctorId !== undefined && actor.doctorId !== undefined && doctorId === actor.doctorId;
    }
    case 'within_discount_limit':
      return withinDiscountLimit(role, record);
  }
}

function withinDiscountLimit(role: Role, record: PolicyRecord): boolean {
  const limit = record.discountLimits?.[role] ?? DISCOUNT_LIMITS[role] ?? 0;
  return typeof record.discountPercent === 'number' && record.discountPercent <= limit;
}

/** Whether `role` could do `action` to this record itself: an approver of a discount must have a limit that covers it. */
function roleCovers(role: Role, action: Action, resource: Resource, record: PolicyRecord): boolean {
  const grant = POLICY[resource][action]?.[role];
  return grant !== 'within_discount_limit' || withinDiscountLimit(role, record);
}

/** Roles that may approve `resource` (named in a denial so the UI can route the request). */
export function approversOf(resource: Resource): Role[] {
  return Object.keys(POLICY[resource].approve ?? {}) as Role[];
}

/** Decides whether `actor` may `action` the `resource` (optionally a specific `record`). */
export function decide(actor: Actor, action: Action, resource: Resource, record?: PolicyRecord): Decision {
  // System actors are workers and verified webhooks: their authority is the code path itself.
  if (actor.type === 'system') return { allowed: true, reason: 'system' };
  const grants = POLICY[resource][action] ?? {};
  const held = actor.roles.filter((role) => grants[role] !== undefined);
  if (held.length === 0) return { allowed: false, reason: 'no_role' };
  if (record === undefined) return { allowed: true, reason: 'role', role: held[0], grant: grants[held[0]!] };

  const recordClinic = idOf(record.clinicId);
  if (recordClinic !== undefined && recordClinic !== actor.clinicId) return { allowed: false, reason: 'other_clinic' };
  for (const role of held) {
    const grant = grants[role]!;
    if (grantHolds(grant, role, actor, record)) return { allowed: true, reason: 'role', role, grant };
  }
  const approvers = approversOf(resource).filter(
    (role) => !actor.roles.includes(role) && roleCovers(role, action, resource, record),
  );
  return approvers.length > 0
    ? { allowed: false, reason: 'record_rule', approvers }
    : { allowed: false, reason: 'record_rule' };
}

/** True when `actor` may `action` the `resource` (and, if given, this `record`). */
export function can(actor: Actor, action: Action, resource: Resource, record?: PolicyRecord): boolean {
  return decide(actor, action, resource, record).allowed;
}

/** Throws 403 (with the approving roles when a record rule denies) unless `can(...)` holds. */
export function assertCan(actor: Actor, action: Action, resource: Resource, record?: PolicyRecord): void {
  const decision = decide(actor, action, resource, record);
  if (decision.allowed) return;
  throw forbidden(
    `Your role may not ${action} ${resource.replace(/_/g, ' ')}${decision.reason === 'record_rule' ? ' for this record' : ''}`,
    {
      action,
      resource,
      reason: decision.reason,
      ...(decision.reason === 'record_rule' && decision.approvers ? { approvers: decision.approvers } : {}),
    },
  );
}
