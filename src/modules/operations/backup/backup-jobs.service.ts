/**
 * What the nightly jobs and the scripts run: a backup (then pruning), and the restore drill —
 * restore the latest backup into a scratch database on the same server, verify it, drop it.
 * Each run is recorded (OperationRun) for the staff panel and Prometheus.
 */
import mongoose from 'mongoose';
import type { Config } from '../../../config.js';
import { log } from '../../../platform/logger.js';
import type { DocumentStorage } from '../../../platform/storage/index.js';
import { createBackup } from './backup.service.js';
import { backupTimeOf } from './backup-format.js';
import type { BackupManifest } from './backup-format.js';
import { OperationRun } from './operation-run.model.js';
import type { OperationRunRecord } from './operation-run.model.js';
import { pruneBackups } from './retention.js';
import { listBackups, restoreBackup } from './restore.service.js';
import type { RestoreReport } from './restore.service.js';

/** Dependencies of the backup jobs. */
export interface BackupDeps {
  config: Config;
  storage: DocumentStorage;
}

function errorText(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return `${e.code ?? 'error'}: ${e.message ?? String(error)}`.slice(0, 500);
}

/** Backs up the app's database, records the run and prunes old backups. */
export async function runBackup({ config, storage }: BackupDeps, now = new Date()): Promise<BackupManifest> {
  const started = Date.now();
  try {
    const manifest = await createBackup({ config, storage, db: mongoose.connection.db! }, now);
    const documents = Object.values(manifest.collections).reduce((sum, c) => sum + c.count, 0);
    await OperationRun.create({
      kind: 'backup',
      at: now,
      ok: true,
      backupId: manifest.id,
      durationMs: Date.now() - started,
      bytes: manifest.archive.bytes,
      documents,
    });
    const pruned = await pruneBackups(storage, config.backup.retain);
    log().info(
      { backupId: manifest.id, bytes: manifest.archive.bytes, documents, pruned: pruned.length },
      'backup written',
    );
    return manifest;
  } catch (error) {
    await OperationRun.create({
      kind: 'backup',
      at: now,
      ok: false,
      durationMs: Date.now() - started,
      error: errorText(error),
    });
    throw error;
  }
}

/** The scratch database a drill restores into (dropped before and after). */
export function drillDatabaseName(config: Config): string {
  return `${config.mongo.dbName}_drill`.slice(0, 63);
}

/** Restores the latest backup into a scratch database, verifies, drops it, and records the result. */
export async function runRestoreDrill({ config, storage }: BackupDeps, now = new Date()): Promise<OperationRunRecord> {
  const started = Date.now();
  const client = mongoose.connection.getClient();
  const scratch = client.db(drillDatabaseName(config));
  let report: RestoreReport | undefined;
  let failure: string | undefined;
  const latest = (await listBackups(storage)).at(-1);
  try {
    if (!latest) throw new Error('no backup to drill');
    await scratch.dropDatabase();
    report = await restoreBackup({ config, storage, db: scratch }, latest);
    if (!report.ok) {
      failure = [
        report.mismatched.length ? `collections differ: ${report.mismatched.join(', ')}` : '',
        report.chain.ok ? '' : `audit chain: ${report.chain.firstBroken?.code} at seq ${report.chain.firstBroken?.seq}`,
        report.encryptedFields.failed ? `${report.encryptedFields.failed} encrypted document(s) do not open` : '',
      ]
        .filter(Boolean)
        .join('; ');
    }
  } catch (error) {
    failure = errorText(error);
  } finally {
    await scratch.dropDatabase().catch(() => undefined);
  }
  const run: OperationRunRecord = {
    kind: 'drill',
    at: now,
    ok: !failure,
    ...(latest ? { backupId: latest } : {}),
    durationMs: Date.now() - started,
    ...(report ? { bytes: report.bytes, documents: report.documents } : {}),
    ...(failure ? { error: failure } : {}),
  };
  await OperationRun.create(run);
  if (failure) log().error({ backupId: latest, error: failure }, 'restore drill failed');
  else log().info({ backupId: latest, durationMs: run.durationMs }, 'restore drill passed');
  return run;
}

/** The backup and drill state the staff panel and the metrics show, with the one alert. */
export interface BackupStatus {
  lastBackup: OperationRunRecord | null;
  lastSuccessfulBackup: OperationRunRecord | null;
  lastDrill: OperationRunRecord | null;
  /** One alert for both conditions: no successful backup within BACKUP_STALE_HOURS, or the last drill failed. */
  alert: { firing: boolean; reasons: string[] };
}

/** The newest backup in storage as a run (the record of it may predate a restore that wiped the runs). */
async function newestStoredBackup(storage: DocumentStorage): Promise<OperationRunRecord | null> {
  const id = (await listBackups(storage)).at(-1);
  if (!id) return null;
  const at = backupTimeOf(id);
  return Number.isNaN(at.getTime()) ? null : { kind: 'backup', at, ok: true, backupId: id, durationMs: 0 };
}

/** Reads the latest runs (and the newest stored backup) and decides whether the backup alert fires. */
export async function backupStatus({ config, storage }: BackupDeps, now = new Date()): Promise<BackupStatus> {
  const latest = (filter: Record<string, unknown>) =>
    OperationRun.findOne(filter, { _id: 0 }).sort({ at: -1 }).lean<OperationRunRecord>();
  const [lastBackup, recordedSuccess, stored, lastDrill] = await Promise.all([
    latest({ kind: 'backup' }),
    latest({ kind: 'backup', ok: true }),
    newestStoredBackup(storage).catch(() => null),
    latest({ kind: 'drill' }),
  ]);
  const lastSuccessfulBackup =
    stored && (!recordedSuccess || stored.at.getTime() > recordedSuccess.at.getTime() + 60_000)
      ? stored
      : recordedSuccess;
  const reasons: string[] = [];
  if (!lastSuccessfulBackup || now.getTime() - lastSuccessfulBackup.at.getTime() > config.backup.staleMs) {
    reasons.push(`no successful backup in the last ${Math.round(config.backup.staleMs / 3_600_000)} h`);
  }
  if (lastDrill && !lastDrill.ok) reasons.push(`the last restore drill failed: ${lastDrill.error ?? 'unknown'}`);
  return { lastBackup, lastSuccessfulBackup, lastDrill, alert: { firing: reasons.length > 0, reasons } };
}
