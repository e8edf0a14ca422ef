/** Reading and changing a clinic's reporting settings (admin; audited without the owner's number). */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { assertCan } from '../../platform/rbac/can.js';
import { ReportSettings } from './report-settings.model.js';
import type { EveningSummarySettings, ReportSettingsRecord } from './report-settings.model.js';

const DEFAULTS: EveningSummarySettings = { enabled: false, time: '21:00', ownerPhone: null, language: 'en' };

/** The clinic's evening summary settings with defaults applied (no access check: jobs read it). */
export async function eveningSummarySettings(clinicId: string): Promise<EveningSummarySettings> {
  const stored = await ReportSettings.findOne({ clinicId: new Types.ObjectId(clinicId) }).lean<ReportSettingsRecord>();
  const summary = stored?.eveningSummary ?? {};
  return {
    enabled: summary.enabled ?? DEFAULTS.enabled,
    time: summary.time ?? DEFAULTS.time,
    ownerPhone: summary.ownerPhone ?? null,
    language: summary.language ?? DEFAULTS.language,
  };
}

/** What an admin sees: the number masked to its last four digits. */
export function maskedSettings(settings: EveningSummarySettings): EveningSummarySettings {
  return { ...settings, ownerPhone: settings.ownerPhone ? `••••${settings.ownerPhone.slice(-4)}` : null };
}

/** Changes the evening summary settings; the audit diff names the fields changed, never the number. */
export async function updateEveningSummary(
  actor: Actor,
  patch: Partial<EveningSummarySettings>,
): Promise<EveningSummarySettings> {
  assertCan(actor, 'update', 'kpis', { clinicId: actor.clinicId });
  const before = await eveningSummarySettings(actor.clinicId);
  const after = { ...before, ...patch };
  await ReportSettings.updateOne(
    { clinicId: new Types.ObjectId(actor.clinicId) },
    {
      $set: {
        clinicId: new Types.ObjectId(actor.clinicId),
        'eveningSummary.enabled': after.enabled,
        'eveningSummary.time': after.time,
        'eveningSummary.language': after.language,
        'eveningSummary.ownerPhone': after.ownerPhone,
      },
    },
    { upsert: true },
  );
  const diff = (['enabled', 'time', 'language'] as const)
    .filter((field) => before[field] !== after[field])
    .map((field) => ({ field: `eveningSummary.${field}`, from: before[field], to: after[field] }));
  if (before.ownerPhone !== after.ownerPhone)
    diff.push({ field: 'eveningSummary.ownerPhone', from: '[changed]', to: '[changed]' });
  await audit.record({
    actor,
    action: 'report_settings.updated',
    entity: { type: 'clinic', id: actor.clinicId },
    diff,
  });
  return after;
}
