/** The rule-status view: per rule, a clinic day's scheduled / done / skipped / failed counts and lateness. */
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getClinic } from '../clinics/index.js';
import { localDateOf } from '../scheduling/index.js';
import { ruleDayStatus } from './automation-runs.js';
import type { RuleDayStatus } from './automation-runs.js';
import { ruleSwitches } from './automation-settings.js';
import { RULE_NAMES } from './rule.js';

/** One clinic day of every rule. */
export interface AutomationStatus {
  date: string;
  rules: (RuleDayStatus & { enabled: boolean })[];
}

/** The status of every rule on `date` (clinic-local, default today) for the actor's clinic. */
export async function automationStatus(actor: Actor, date?: string): Promise<AutomationStatus> {
  assertCan(actor, 'read', 'automation');
  const clinic = await getClinic(actor.clinicId);
  const day = date ?? localDateOf(new Date(), clinic.timezone);
  const [rules, switches] = await Promise.all([
    ruleDayStatus(actor.clinicId, day, RULE_NAMES),
    ruleSwitches(actor.clinicId),
  ]);
  return {
    date: day,
    rules: rules.map((rule) => ({ ...rule, enabled: switches[rule.rule as keyof typeof switches] })),
  };
}
