/**
 * What an automation rule is: a name, who hears about it when it fails for good, and a handler
 * that re-reads the records behind its job and either acts or says why it did nothing. Triggers
 * (domain events or schedules) are wired in each rule's `register`, so one file holds one rule.
 */
import type { Config } from '../../config.js';
import type { Scheduler } from './scheduler.js';
import type { SmsProvider } from './sms/sms-provider.js';

/** Every rule, by name (also the BullMQ job name and the metrics label). */
export const RULE_NAMES = ['reminder', 'hold_release_notice', 'no_show_notice', 'sms_fallback'] as const;
/** One rule name. */
export type RuleName = (typeof RULE_NAMES)[number];

/** Who gets the escalation when a rule's job fails after its last attempt. */
export type EscalationTeam = 'frontdesk' | 'accounts';

/** A job's data: ids only (the handler re-reads everything else). */
export interface RuleJobData {
  clinicId: string;
  /** The record the job is about, e.g. the appointment. */
  subjectId: string;
  /** Rule-specific ids or numbers (reminder offset, start time in epoch seconds, outbound id). */
  params?: Record<string, string | number>;
}

/** A handler's result: it acted, or it found nothing to do (with a reason code, never text). */
export type RuleOutcome = { done: true; detail?: string } | { done: false; skipped: string };

/** What a handler and a trigger get: config, the scheduler and the SMS provider. */
export interface RuleDeps {
  config: Config;
  scheduler: Scheduler;
  sms: SmsProvider;
}

/** One rule. */
export interface AutomationRule {
  name: RuleName;
  escalateTo: EscalationTeam;
  /** What the subject id names (for escalations and the status view). */
  subjectType: string;
  /** Subscribes the rule's triggers (domain events) to schedule or drop its jobs. */
  register(deps: RuleDeps): void;
  /** Runs one job: re-read, re-check, act once. Throw to retry. */
  run(data: RuleJobData, deps: RuleDeps, jobId: string): Promise<RuleOutcome>;
}

/** The outcome for "nothing to do because …". */
export const skipped = (reason: string): RuleOutcome => ({ done: false, skipped: reason });
/** The outcome for "done". */
export const done = (detail?: string): RuleOutcome => (detail ? { done: true, detail } : { done: true });
