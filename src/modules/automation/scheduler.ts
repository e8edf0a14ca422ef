/**
 * The automation queue: one BullMQ queue whose job names are rule names. Jobs have deterministic
 * ids (no `:`), hold ids only, retry with exponential backoff and jitter, and after the last
 * attempt raise one escalation. Every outcome is counted (Prometheus) and recorded per job
 * (AutomationRun) for the rule-status view.
 */
import { UnrecoverableError } from 'bullmq';
import type { Job, Queue } from 'bullmq';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { getClinic } from '../clinics/index.js';
import { ruleJobs, ruleLateness } from './automation.metrics.js';
import { noteDropped, noteOutcome, noteScheduled } from './automation-runs.js';
import { raiseEscalation } from './escalations.js';
import type { AutomationRule, RuleDeps, RuleJobData, RuleName } from './rule.js';

/** The queue's name. */
export const AUTOMATION_QUEUE = 'automation';

/** BullMQ refuses custom ids with `:` (unless exactly three parts): ours never have one. */
export function assertJobId(jobId: string): string {
  if (!/^[A-Za-z0-9_.-]{1,200}$/.test(jobId)) throw new TypeError(`Invalid automation job id: ${jobId}`);
  return jobId;
}

/** Schedules and drops rule jobs. */
export class Scheduler {
  constructor(
    readonly queue: Queue<RuleJobData>,
    private readonly options: { attempts: number; backoffMs: number },
  ) {}

  /**
   * Schedules `rule`'s job `jobId` at `dueAt` (now if past). A job with that id already queued,
   * running or finished is left alone: a repeated trigger adds nothing.
   */
  async schedule(rule: RuleName, jobId: string, data: RuleJobData, dueAt: Date): Promise<void> {
    const existing = await this.queue.getJob(assertJobId(jobId));
    if (existing) return;
    const { timezone } = await getClinic(data.clinicId);
    await noteScheduled(jobId, { clinicId: data.clinicId, rule, subjectId: data.subjectId, dueAt, timezone });
    await this.queue.add(rule, data, {
      jobId,
      delay: Math.max(0, dueAt.getTime() - Date.now()),
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs, jitter: 0.5 },
    });
  }

  /** Removes a job that has not run yet (a running one finishes and re-checks on its own). */
  async drop(jobId: string, reason: string): Promise<void> {
    const job = await this.queue.getJob(jobId);
    const state = job ? await job.getState() : undefined;
    if (job && (state === 'delayed' || state === 'waiting' || state === 'prioritized')) {
      await job.remove().catch(() => undefined);
    }
    await noteDropped(jobId, reason);
  }

  /** Ids of this rule's jobs that have not run yet (delayed or waiting) whose id starts with `prefix`. */
  async pendingIds(prefix: string): Promise<string[]> {
    const jobs = await this.queue.getJobs(['delayed', 'waiting', 'prioritized'], 0, 5000);
    return jobs.map((job) => job?.id ?? '').filter((id) => id.startsWith(prefix));
  }
}

/** Builds the processor that runs `rules` with `deps`. */
export function createRuleProcessor(
  rules: ReadonlyMap<string, AutomationRule>,
  deps: () => RuleDeps,
): (job: Job<RuleJobData>) => Promise<string> {
  return async (job) => {
    const rule = rules.get(job.name);
    if (!rule) throw new Error(`No automation rule named ${job.name}`);
    const jobId = job.id!;
    const dueAt = new Date(job.timestamp + (job.opts.delay ?? 0));
    const attempt = job.attemptsMade + 1;
    const latenessMs = attempt === 1 ? Math.max(0, (job.processedOn ?? Date.now()) - dueAt.getTime()) : undefined;
    if (latenessMs !== undefined) ruleLateness.observe({ rule: rule.name }, latenessMs / 1000);
    const { timezone } = await getClinic(job.data.clinicId);
    const run = { clinicId: job.data.clinicId, rule: rule.name, subjectId: job.data.subjectId, dueAt, timezone };
    try {
      const outcome = await rule.run(job.data, deps(), jobId);
      ruleJobs.inc({ rule: rule.name, outcome: outcome.done ? 'done' : 'skipped' });
      await noteOutcome(
        jobId,
        outcome.done
          ? { status: 'done', ...(outcome.detail ? { reason: outcome.detail } : {}), ...lateness(latenessMs) }
          : { status: 'skipped', reason: outcome.skipped, ...lateness(latenessMs) },
        run,
      );
      return outcome.done ? 'done' : `skipped:${outcome.skipped}`;
    } catch (error) {
      // UnrecoverableError: a retry cannot help (e.g. a permanent provider refusal), so this is the last attempt.
      const last = attempt >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
      const reason = (error as { code?: unknown }).code;
      const code = typeof reason === 'string' && /^[a-z0-9_]{1,60}$/.test(reason) ? reason : 'error';
      if (!last) {
        ruleJobs.inc({ rule: rule.name, outcome: 'retried' });
        log().info({ jobId, rule: rule.name, attempt, code }, 'automation job will retry');
        throw error;
      }
      ruleJobs.inc({ rule: rule.name, outcome: 'failed' });
      await noteOutcome(jobId, { status: 'failed', reason: code, ...lateness(latenessMs) }, run);
      await raiseEscalation({
        key: jobId,
        clinicId: job.data.clinicId,
        rule: rule.name,
        team: rule.escalateTo,
        subject: { type: rule.subjectType, id: job.data.subjectId },
        reason: code,
      });
      throw error;
    }
  };
}

function lateness(ms: number | undefined): { latenessMs?: number } {
  return ms === undefined ? {} : { latenessMs: ms };
}

/** Defines the automation queue for `rules` and returns its scheduler. */
export function defineAutomationQueue(
  runtime: Runtime,
  rules: ReadonlyMap<string, AutomationRule>,
  deps: () => RuleDeps,
): Scheduler {
  const { attempts, backoffMs, concurrency } = runtime.config.automation;
  const queue = runtime.queues.define<RuleJobData>({
    name: AUTOMATION_QUEUE,
    process: createRuleProcessor(rules, deps),
    concurrency,
  });
  return new Scheduler(queue, { attempts, backoffMs });
}
