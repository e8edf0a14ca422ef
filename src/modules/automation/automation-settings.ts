/**
 * A clinic's automation settings: each rule on or off. Reminder offsets are the clinic's
 * scheduling setting `reminderOffsetsMinutes` (24 h and 2 h by default), which predates this
 * module. Stored per clinic in this module's own collection; missing means the defaults.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { assertCan } from '../../platform/rbac/can.js';
import { RULE_NAMES } from './rule.js';
import type { RuleName } from './rule.js';

/** Rule switches, by rule. */
export type RuleSwitches = Record<RuleName, boolean>;

const DEFAULTS: RuleSwitches = Object.fromEntries(RULE_NAMES.map((rule) => [rule, true])) as RuleSwitches;

const settingsSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    enabled: { type: mongoose.Schema.Types.Mixed, default: {} },
  },
  { timestamps: true, collection: 'automation_settings' },
);
// One settings document per clinic.
settingsSchema.index({ clinicId: 1 }, { unique: true });

const AutomationSettings = mongoose.model('AutomationSettings', settingsSchema);

/** The clinic's rule switches, defaults filled in. */
export async function ruleSwitches(clinicId: string | Types.ObjectId): Promise<RuleSwitches> {
  const doc = await AutomationSettings.findOne({ clinicId }).lean<{ enabled?: Partial<RuleSwitches> }>();
  return { ...DEFAULTS, ...(doc?.enabled ?? {}) };
}

/** True while `rule` is on for the clinic. */
export async function ruleEnabled(clinicId: string | Types.ObjectId, rule: RuleName): Promise<boolean> {
  return (await ruleSwitches(clinicId))[rule];
}

/** Turns rules on or off (admin, through clinic_settings); audited. */
export async function updateRuleSwitches(actor: Actor, patch: Partial<RuleSwitches>): Promise<RuleSwitches> {
  assertCan(actor, 'update', 'clinic_settings', { clinicId: actor.clinicId });
  const before = await ruleSwitches(actor.clinicId);
  const set = Object.fromEntries(Object.entries(patch).map(([rule, on]) => [`enabled.${rule}`, on]));
  await AutomationSettings.updateOne({ clinicId: actor.clinicId }, { $set: set }, { upsert: true });
  const after = await ruleSwitches(actor.clinicId);
  await audit.record({
    actor,
    action: 'automation.settings_changed',
    entity: { type: 'clinic', id: actor.clinicId },
    diff: Object.keys(patch).map((rule) => ({
      field: `enabled.${rule}`,
      from: before[rule as RuleName],
      to: after[rule as RuleName],
    })),
  });
  return after;
}
