/**
 * Backup retention: the newest backup of each of the last N days, weeks (ISO, Monday first) and
 * months is kept (default 14 / 8 / 12, BACKUP_RETAIN_*); the rest are deleted by the nightly job.
 */
import type { DocumentStorage } from '../../../platform/storage/index.js';
import { backupKeys, backupTimeOf } from './backup-format.js';
import { listBackups } from './restore.service.js';

/** How many periods of each kind to keep. */
export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

function weekOf(at: Date): string {
  const monday = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  return monday.toISOString().slice(0, 10);
}

/** Which of `ids` (backup ids) the policy keeps; the newest is always kept. */
export function backupsToKeep(ids: readonly string[], policy: RetentionPolicy): Set<string> {
  const newestFirst = [...ids].sort().reverse();
  const keep = new Set<string>(newestFirst.slice(0, 1));
  const buckets: [number, (at: Date) => string][] = [
    [policy.daily, (at) => at.toISOString().slice(0, 10)],
    [policy.weekly, weekOf],
    [policy.monthly, (at) => at.toISOString().slice(0, 7)],
  ];
  for (const [limit, periodOf] of buckets) {
    const seen = new Set<string>();
    for (const id of newestFirst) {
      const period = periodOf(backupTimeOf(id));
      if (seen.has(period)) continue;
      if (seen.size >= limit) break;
      seen.add(period);
      keep.add(id);
    }
  }
  return keep;
}

/** Deletes the backups the policy does not keep; returns their ids. */
export async function pruneBackups(storage: DocumentStorage, policy: RetentionPolicy): Promise<string[]> {
  const ids = await listBackups(storage);
  const keep = backupsToKeep(ids, policy);
  const pruned = ids.filter((id) => !keep.has(id));
  for (const id of pruned) {
    const keys = backupKeys(id);
    // Archive first: a manifest without its archive is refused by name, never half-restored.
    await storage.delete(keys.archive);
    await storage.delete(keys.manifest);
  }
  return pruned;
}
