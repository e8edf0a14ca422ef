/**
 * The `backups` queue: the nightly backup (then pruning) and the nightly restore drill, on cron
 * schedules in Asia/Kolkata (BACKUP_CRON, BACKUP_DRILL_CRON). Installation-wide, not per clinic.
 * Job schedulers are upserts, so every worker may install them at boot.
 */
import type { Job } from 'bullmq';
import type { Runtime } from '../../../platform/runtime.js';
import { createDocumentStorage } from '../../../platform/storage/index.js';
import { runBackup, runRestoreDrill } from './backup-jobs.service.js';

/** Name of the queue. */
export const BACKUP_QUEUE = 'backups';

type BackupJobName = 'backup' | 'drill';

const jobOptions = { attempts: 2, backoff: { type: 'fixed', delay: 5 * 60_000 } };

/** Defines the queue: `backup` writes and prunes, `drill` restores the latest into a scratch database. */
export function defineBackupQueue(runtime: Runtime): void {
  const deps = { config: runtime.config, storage: createDocumentStorage(runtime.config) };
  runtime.queues.define<Record<string, never>>({
    name: BACKUP_QUEUE,
    defaultJobOptions: jobOptions,
    async process(job: Job<Record<string, never>>) {
      if ((job.name as BackupJobName) === 'drill') return runRestoreDrill(deps);
      const manifest = await runBackup(deps);
      return { backupId: manifest.id, bytes: manifest.archive.bytes };
    },
  });
}

/** Installs the nightly backup and drill schedules. */
export async function scheduleBackups(runtime: Runtime): Promise<void> {
  const queue = runtime.queues.queue(BACKUP_QUEUE);
  const tz = 'Asia/Kolkata';
  await queue.upsertJobScheduler(
    'nightly-backup',
    { pattern: runtime.config.backup.cron, tz },
    { name: 'backup', data: {}, opts: jobOptions },
  );
  await queue.upsertJobScheduler(
    'nightly-drill',
    { pattern: runtime.config.backup.drillCron, tz },
    { name: 'drill', data: {}, opts: { attempts: 1 } },
  );
}
