/** Writes to AutomationRun (schedule, outcome) and the per-rule status of a clinic day. */
import type { Types } from 'mongoose';
import { localDateOf } from '../scheduling/index.js';
import { AutomationRun } from './automation-run.model.js';
import type { AutomationRunRecord, RunStatus } from './automation-run.model.js';

/** Notes that `jobId` is due at `dueAt` (again scheduled if it had been dropped). */
export async function noteScheduled(
  jobId: string,
  run: { clinicId: string; rule: string; subjectId: string; dueAt: Date; timezone: string },
): Promise<void> {
  await AutomationRun.updateOne(
    { _id: jobId },
    {
      $set: {
        clinicId: run.clinicId,
        rule: run.rule,
        subjectId: run.subjectId,
        dueAt: run.dueAt,
        localDate: localDateOf(run.dueAt, run.timezone),
        status: 'scheduled',
      },
      $setOnInsert: { attempts: 0 },
    },
    { upsert: true },
  );
}

/** Marks a still-scheduled job as dropped (its trigger went away before it ran). */
export async function noteDropped(jobId: string, reason: string): Promise<void> {
  await AutomationRun.updateOne({ _id: jobId, status: 'scheduled' }, { $set: { status: 'dropped', reason } });
}

/** Records a finished attempt's outcome (`failed` only after the last attempt). */
export async function noteOutcome(
  jobId: string,
  outcome: { status: Exclude<RunStatus, 'scheduled' | 'dropped'>; reason?: string; latenessMs?: number },
  fallback: { clinicId: string; rule: string; subjectId: string; dueAt: Date; timezone: string },
): Promise<void> {
  await AutomationRun.updateOne(
    { _id: jobId },
    {
      $set: {
        status: outcome.status,
        finishedAt: new Date(),
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        ...(outcome.latenessMs !== undefined ? { latenessMs: outcome.latenessMs } : {}),
      },
      $inc: { attempts: 1 },
      $setOnInsert: {
        clinicId: fallback.clinicId,
        rule: fallback.rule,
        subjectId: fallback.subjectId,
        dueAt: fallback.dueAt,
        localDate: localDateOf(fallback.dueAt, fallback.timezone),
      },
    },
    { upsert: true },
  );
}

/** One rule's day: how many jobs are scheduled, done, skipped, failed, dropped, and how late they ran. */
export interface RuleDayStatus {
  rule: string;
  counts: Record<RunStatus, number>;
  lateness: { p50Ms: number | null; maxMs: number | null };
  /** Skip reasons with their counts (e.g. `cancelled`, `consent_withdrawn`). */
  skippedBy: Record<string, number>;
}

/** Per rule, the runs due on `localDate` in `clinicId`. */
export async function ruleDayStatus(
  clinicId: string | Types.ObjectId,
  localDate: string,
  rules: readonly string[],
): Promise<RuleDayStatus[]> {
  const runs = await AutomationRun.find({ clinicId, localDate }, { rule: 1, status: 1, reason: 1, latenessMs: 1 }).lean<
    Pick<AutomationRunRecord, 'rule' | 'status' | 'reason' | 'latenessMs'>[]
  >();
  return rules.map((rule) => {
    const mine = runs.filter((run) => run.rule === rule);
    const counts = { scheduled: 0, done: 0, skipped: 0, failed: 0, dropped: 0 };
    const skippedBy: Record<string, number> = {};
    for (const run of mine) {
      counts[run.status] += 1;
      if (run.status === 'skipped' && run.reason) skippedBy[run.reason] = (skippedBy[run.reason] ?? 0) + 1;
    }
    const late = mine
      .map((run) => run.latenessMs)
      .filter((ms): ms is number => typeof ms === 'number')
      .sort((a, b) => a - b);
    return {
      rule,
      counts,
      skippedBy,
      lateness: {
        p50Ms: late.length ? late[Math.floor((late.length - 1) / 2)]! : null,
        maxMs: late.length ? late[late.length - 1]! : null,
      },
    };
  });
}
