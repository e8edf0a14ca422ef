/**
 * The operations module: what keeps the installation trustworthy and recoverable rather than what
 * a clinic does — audit anchors outside the database, backups and restore drills, audit retention
 * and export, operational status for the staff panel and Prometheus.
 */
import type { DomainModule } from '../index.js';
import type { Runtime } from '../../platform/runtime.js';
import { defineAuditAnchorQueue, scheduleAuditAnchors } from './audit-anchor.queue.js';

export { AUDIT_ANCHOR_QUEUE } from './audit-anchor.queue.js';

/** Registers the operations queues. */
export const operationsModule: DomainModule = {
  name: 'operations',
  register(runtime) {
    defineAuditAnchorQueue(runtime);
  },
};

/** Installs the operations schedules (worker processes call this at boot). */
export async function scheduleOperations(runtime: Runtime): Promise<void> {
  await scheduleAuditAnchors(runtime);
}
