/**
 * The operations module: what keeps the installation trustworthy and recoverable rather than what
 * a clinic does — audit anchors outside the database, backups and restore drills, audit retention
 * and export, operational status for the staff panel and Prometheus.
 */
import type { DomainModule } from '../index.js';
import type { Runtime } from '../../platform/runtime.js';
import { createDocumentStorage } from '../../platform/storage/index.js';
import { defineAuditAnchorQueue, scheduleAuditAnchors } from './audit-anchor.queue.js';
import { backupStatus } from './backup/backup-jobs.service.js';
import { defineBackupQueue, scheduleBackups } from './backup/backup.queue.js';
import { backupMetrics } from './operations.metrics.js';
import { operationsRoutes } from './operations.routes.js';

export { AUDIT_ANCHOR_QUEUE } from './audit-anchor.queue.js';
export { BACKUP_QUEUE } from './backup/backup.queue.js';
export { backupStatus, runBackup, runRestoreDrill } from './backup/backup-jobs.service.js';
export type { BackupStatus } from './backup/backup-jobs.service.js';
export { BackupRefusedError, listBackups, readManifest, restoreBackup } from './backup/restore.service.js';
export type { RestoreReport } from './backup/restore.service.js';
export type { BackupManifest } from './backup/backup-format.js';

/** Registers the operations queues. */
export const operationsModule: DomainModule = {
  name: 'operations',
  register(runtime) {
    defineAuditAnchorQueue(runtime);
    defineBackupQueue(runtime);
    const backupDeps = { config: runtime.config, storage: createDocumentStorage(runtime.config) };
    runtime.metricSources.push(backupMetrics(() => backupStatus(backupDeps)));
  },
  mount(app, runtime) {
    app.use('/api/v1/operations', operationsRoutes(runtime));
  },
};

/** Installs the operations schedules (worker processes call this at boot). */
export async function scheduleOperations(runtime: Runtime): Promise<void> {
  await scheduleAuditAnchors(runtime);
  await scheduleBackups(runtime);
}
