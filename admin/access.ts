/**
 * The panel's bridge to the one policy table: who the AdminJS `currentAdmin` is (derived from
 * our staff session on each request, see session.ts) and which actions each resource offers.
 * `isAccessible` hides an action AND makes AdminJS refuse it on the server (ForbiddenError), so
 * a hidden action cannot be called by URL either.
 */
import type { ActionContext, CurrentAdmin, ResourceOptions } from 'adminjs';
import type { Actor, Role } from '../src/platform/actor.js';
import { can } from '../src/platform/rbac/index.js';
import type { Action, Resource } from '../src/platform/rbac/index.js';

/** What the panel keeps as `currentAdmin`: display fields plus the Actor the services need. */
export interface PanelAdmin extends CurrentAdmin {
  id: string;
  email: string;
  title: string;
  roles: Role[];
  clinicId: string;
  clinicName: string;
  doctorId?: string;
}

/** The service Actor for the signed-in staff member; throws when there is none (never reached behind the session gate). */
export function actorOf(currentAdmin: CurrentAdmin | undefined): Actor {
  const admin = currentAdmin as PanelAdmin | undefined;
  if (!admin?.id || !Array.isArray(admin.roles)) throw new Error('The staff panel was reached without a session');
  return {
    type: 'staff',
    id: admin.id,
    roles: admin.roles,
    clinicId: admin.clinicId,
    ...(admin.doctorId ? { doctorId: admin.doctorId } : {}),
  };
}

/** The actor of an action's context. */
export const contextActor = (context: Pick<ActionContext, 'currentAdmin'>): Actor => actorOf(context.currentAdmin);

/** `isAccessible` for `action` on `resource`, asked of the policy table. */
export function allow(resource: Resource, action: Action) {
  return ({ currentAdmin }: { currentAdmin?: CurrentAdmin }): boolean =>
    Boolean(currentAdmin) && can(actorOf(currentAdmin), action, resource);
}

/** What a resource lets the default AdminJS actions do: each maps to a policy action, or is off. */
export interface DefaultActions {
  /** The default "new" form; off unless it goes through a service (see the resource). */
  new?: Action;
  /** The default "edit" form; off wherever it would bypass a lifecycle, ledger or audit rule. */
  edit?: Action;
  /** The default "delete"; off everywhere unless a resource says otherwise. */
  delete?: Action;
}

const OFF = { isAccessible: false, isVisible: false } as const;

/**
 * The default actions of a resource, gated by the policy: list/show/search need `read`;
 * new/edit/delete are off unless named (bulk delete is always off).
 */
export function policyActions(
  resource: Resource,
  defaults: DefaultActions = {},
): NonNullable<ResourceOptions['actions']> {
  const gate = (action: Action | undefined) => (action ? { isAccessible: allow(resource, action) } : OFF);
  return {
    list: { isAccessible: allow(resource, 'read') },
    show: { isAccessible: allow(resource, 'read') },
    search: { isAccessible: allow(resource, 'read') },
    new: gate(defaults.new),
    edit: gate(defaults.edit),
    delete: gate(defaults.delete),
    bulkDelete: OFF,
  };
}

/** Marks fields read-only in every form (lifecycle, numbers, hashes, ledger and audit fields). */
export function readOnly(...paths: string[]): NonNullable<ResourceOptions['properties']> {
  return Object.fromEntries(paths.map((path) => [path, { isDisabled: true, isVisible: { edit: false, new: false } }]));
}
