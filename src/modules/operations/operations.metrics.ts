/** Prometheus gauges for backups and restore drills, read from the recorded runs at scrape time. */
import { Gauge } from 'prom-client';
import type { MetricSource } from '../../platform/metrics.js';
import type { BackupStatus } from './backup/backup-jobs.service.js';

const seconds = (at: Date | undefined) => (at ? at.getTime() / 1000 : 0);

/** The backup gauges, fed by `status` (one read per scrape). */
export function backupMetrics(status: () => Promise<BackupStatus>): MetricSource {
  return (registry) => {
    let pending: Promise<BackupStatus | null> | undefined;
    // All gauges of one scrape share one read.
    const read = () => {
      pending ??= status()
        .catch(() => null)
        .finally(() => setTimeout(() => (pending = undefined), 1000));
      return pending;
    };
    const gauge = (name: string, help: string, value: (s: BackupStatus) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const current = await read();
          if (current) this.set(value(current));
        },
      });
    gauge('cinic_backup_last_success_timestamp_seconds', 'When the last successful backup was written (Unix s)', (s) =>
      seconds(s.lastSuccessfulBackup?.at),
    );
    gauge(
      'cinic_backup_last_size_bytes',
      'Size of the last successful backup archive',
      (s) => s.lastSuccessfulBackup?.bytes ?? 0,
    );
    gauge('cinic_restore_drill_last_timestamp_seconds', 'When the last restore drill ran (Unix s)', (s) =>
      seconds(s.lastDrill?.at),
    );
    gauge('cinic_restore_drill_last_success', '1 when the last restore drill passed, 0 when it failed', (s) =>
      s.lastDrill ? Number(s.lastDrill.ok) : 1,
    );
    gauge(
      'cinic_restore_drill_last_duration_seconds',
      'How long the last restore drill took',
      (s) => (s.lastDrill?.durationMs ?? 0) / 1000,
    );
    gauge('cinic_backup_alert', '1 when the backup alert fires (stale backup or failed drill)', (s) =>
      Number(s.alert.firing),
    );
  };
}
