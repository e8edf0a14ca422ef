/**
 * The automation module: small, explicit rules that run by themselves — reminders before a visit,
 * notices after a lapsed hold or a missed visit, and an SMS when WhatsApp cannot deliver. Each rule
 * is one file under rules/ (trigger, deterministic job id, a handler that re-reads and re-checks);
 * they share one queue with retries (exponential backoff and jitter), one escalation per job that
 * fails for good, Prometheus metrics and a per-day status (GET /api/v1/automation/status).
 */
import type { DomainModule } from '../index.js';
import './automation-delivery.model.js';
import './automation-run.model.js';
import './escalation.model.js';
import { automationRoutes } from './automation.routes.js';
import type { AutomationRule, RuleDeps } from './rule.js';
import { holdReleaseNoticeRule } from './rules/hold-release-notice.rule.js';
import { noShowNoticeRule } from './rules/no-show-notice.rule.js';
import { reminderRule } from './rules/reminder.rule.js';
import { smsFallbackRule } from './rules/sms-fallback.rule.js';
import { defineAutomationQueue } from './scheduler.js';
import { createGupshupProvider } from './sms/gupshup.provider.js';

// For the staff panel (status, escalations), the booking conversation (reminder replies), the
// patient portal (SMS OTPs through the same provider) and tests.
export { AUTOMATION_QUEUE } from './scheduler.js';
export { automationStatus } from './automation-status.js';
export type { AutomationStatus } from './automation-status.js';
export type { RuleDayStatus } from './automation-runs.js';
export { listEscalations, resolveEscalation } from './escalations.js';
export type { EscalationView } from './escalations.js';
export { ruleSwitches, updateRuleSwitches } from './automation-settings.js';
export { RULE_NAMES } from './rule.js';
export type { RuleName } from './rule.js';
export { handleReminderReply } from './rules/reminder-replies.js';
export { reminderJobId } from './rules/reminder.rule.js';
export { createGupshupProvider } from './sms/gupshup.provider.js';
export { SmsError } from './sms/sms-provider.js';
export type { SmsProvider, SmsToSend } from './sms/sms-provider.js';

/** Every rule, in the order the README lists them. */
const RULES: readonly AutomationRule[] = [reminderRule, holdReleaseNoticeRule, noShowNoticeRule, smsFallbackRule];

/** Registers the automation queue and every rule's triggers; mounts /api/v1/automation. */
export const automationModule: DomainModule = {
  name: 'automation',
  register(runtime) {
    const rules = new Map(RULES.map((rule) => [rule.name, rule]));
    const sms = createGupshupProvider(runtime.config.sms);
    const scheduler = defineAutomationQueue(runtime, rules, () => deps);
    const deps: RuleDeps = { config: runtime.config, scheduler, sms };
    for (const rule of RULES) rule.register(deps);
  },
  mount(app, runtime) {
    app.use('/api/v1/automation', automationRoutes(runtime));
  },
};
