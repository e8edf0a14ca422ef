/**
 * The `audit-anchors` queue: every AUDIT_ANCHOR_EVERY_MINUTES (at most hourly) a worker writes each
 * clinic's audit chain head to write-once storage (platform/audit/anchors.ts). A repeatable job
 * scheduler (an upsert, so every worker may install it at boot) plus one run at boot.
 */
import { writeAnchors } from '../../platform/audit/anchors.js';
import type { AnchorResult } from '../../platform/audit/anchors.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { createDocumentStorage } from '../../platform/storage/index.js';

/** Name of the queue and of its job scheduler. */
export const AUDIT_ANCHOR_QUEUE = 'audit-anchors';

const jobOptions = { attempts: 5, backoff: { type: 'exponential', delay: 10_000 } };

/** Defines the queue; its processor anchors every clinic's head. */
export function defineAuditAnchorQueue(runtime: Runtime): void {
  const storage = createDocumentStorage(runtime.config);
  runtime.queues.define<Record<string, never>>({
    name: AUDIT_ANCHOR_QUEUE,
    defaultJobOptions: jobOptions,
    async process(): Promise<AnchorResult[]> {
      const results = await writeAnchors(storage, { retainDays: runtime.config.audit.anchorRetainDays });
      log().info({ clinics: results.length, written: results.filter((r) => r.written).length }, 'audit heads anchored');
      return results;
    },
  });
}

/** Installs the repeating schedule and queues a run now (its id names the minute, so restarts add one at most). */
export async function scheduleAuditAnchors(runtime: Runtime, now = new Date()): Promise<void> {
  const queue = runtime.queues.queue(AUDIT_ANCHOR_QUEUE);
  await queue.upsertJobScheduler(
    AUDIT_ANCHOR_QUEUE,
    { every: runtime.config.audit.anchorEveryMs },
    { name: 'anchor', data: {}, opts: jobOptions },
  );
  await queue.add('anchor', {}, { jobId: `anchor-boot-${now.toISOString().slice(0, 16).replace(/\D/g, '')}` });
}
