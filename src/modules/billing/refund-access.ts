/** Who may make a refund: accounts and admin (and the system for cancellations), per the policy's `approve` on refunds. */
import type { Actor } from '../../platform/actor.js';
import { forbidden } from '../../platform/errors.js';
import { approversOf, can } from '../../platform/rbac/can.js';

/** 403 naming the approving roles unless `actor` may make refunds. */
export function assertMayRefund(actor: Actor): void {
  if (actor.type === 'system' || can(actor, 'approve', 'refunds', { clinicId: actor.clinicId })) return;
  throw forbidden('Refunds are made by accounts or an admin', {
    action: 'approve',
    resource: 'refunds',
    reason: 'no_role',
    approvers: approversOf('refunds'),
  });
}
