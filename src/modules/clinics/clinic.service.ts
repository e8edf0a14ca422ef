/**
 * Clinic lookups and the security settings the auth module reads on every sign-in.
 */
import type { Actor, Role } from '../../platform/actor.js';
import { notFound } from '../../platform/errors.js';
import { audit } from '../../platform/audit/audit.service.js';
import { diffFields } from '../../platform/audit/audit-diff.js';
import { publish } from '../../platform/domain-events.js';
import { assertCan } from '../../platform/rbac/can.js';
import { DISCOUNT_LIMITS } from '../../platform/rbac/policy.js';
import { recordSecurityEvent } from '../auth/auth.audit.js';
import { Clinic, DEFAULT_CLINIC_SLUG, DISCOUNT_LIMITED_ROLES } from './clinic.model.js';
import type { BillingSettings, ClinicDoc, ClinicSecuritySettings, SchedulingSettings } from './clinic.model.js';

/** What callers see of a clinic. */
export interface ClinicView {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  gstin?: string;
  stateCode?: string;
  phone?: string;
  address: { line1?: string; line2?: string; city?: string; state?: string; pincode?: string };
  security: ClinicSecuritySettings;
  scheduling: SchedulingSettings;
  billing: BillingSettings;
}

/** Defaults for clinics stored before a setting existed (mongoose applies them only on save). */
const schedulingDefaults: SchedulingSettings = {
  slotMinutes: 15,
  bookingHorizonDays: 14,
  prepaymentRequired: false,
  prepaymentPaise: 0,
  holdMinutes: 15,
  noShowGraceMinutes: 20,
  reminderOffsetsMinutes: [24 * 60, 120],
  patientCancelCutoffHours: 2,
  fullRefundHours: 24,
  partialRefundHours: 4,
  partialRefundPercent: 50,
  overbookRoles: ['admin', 'frontdesk'],
  holidays: [],
};

function schedulingOf(doc: ClinicDoc): SchedulingSettings {
  const stored = (doc.settings?.scheduling ?? {}) as Partial<SchedulingSettings>;
  const defined = Object.fromEntries(
    Object.entries(stored).filter(([, value]) => value !== undefined && value !== null),
  );
  return {
    ...schedulingDefaults,
    ...defined,
    reminderOffsetsMinutes: [...(stored.reminderOffsetsMinutes ?? schedulingDefaults.reminderOffsetsMinutes)],
    overbookRoles: [...(stored.overbookRoles ?? schedulingDefaults.overbookRoles)] as Role[],
    holidays: (stored.holidays ?? []).map((holiday) => ({
      date: holiday.date,
      ...(holiday.name ? { name: holiday.name } : {}),
    })),
  };
}

/** The clinic's discount limits over the policy defaults: the one place billing and RBAC read them from. */
function billingOf(doc: ClinicDoc): BillingSettings {
  const stored = (doc.settings?.billing?.discountLimitsPercent ?? {}) as Partial<Record<string, number | null>>;
  const limits = Object.fromEntries(
    DISCOUNT_LIMITED_ROLES.map((role) => [role, stored[role] ?? DISCOUNT_LIMITS[role] ?? 0]),
  );
  return { discountLimitsPercent: limits as BillingSettings['discountLimitsPercent'] };
}

function toView(doc: ClinicDoc): ClinicView {
  const security = doc.settings?.security;
  return {
    id: String(doc._id),
    slug: doc.slug,
    name: doc.name,
    timezone: doc.timezone ?? 'Asia/Kolkata',
    ...(doc.gstin ? { gstin: doc.gstin } : {}),
    ...(doc.stateCode ? { stateCode: doc.stateCode } : {}),
    ...(doc.phone ? { phone: doc.phone } : {}),
    address: { ...(doc.address ?? {}) } as ClinicView['address'],
    scheduling: schedulingOf(doc),
    billing: billingOf(doc),
    security: {
      deviceApproval: security?.deviceApproval ?? true,
      mfaRequiredRoles: [...(security?.mfaRequiredRoles ?? [])] as Role[],
    },
  };
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

/** Creates the installation's default clinic if it is missing (safe to call from every process at boot). */
export async function ensureDefaultClinic(): Promise<ClinicView> {
  const upsert = () =>
    Clinic.findOneAndUpdate(
      { slug: DEFAULT_CLINIC_SLUG },
      { $setOnInsert: { slug: DEFAULT_CLINIC_SLUG, name: 'CINIC Clinic' } },
      { upsert: true, new: true, setDefaultsOnInsert: true },
    ).lean<ClinicDoc>();
  try {
    return toView((await upsert())!);
  } catch (error) {
    // Two processes booting at once: the unique slug index lets one insert; the other re-reads.
    if (!isDuplicateKey(error)) throw error;
    return toView((await upsert())!);
  }
}

/** The clinic with `clinicId`, or 404. */
export async function getClinic(clinicId: string): Promise<ClinicView> {
  const doc = await Clinic.findById(clinicId).lean<ClinicDoc>();
  if (!doc) throw notFound('Clinic');
  return toView(doc);
}

/** The clinic with `slug`, or null. */
export async function findClinicBySlug(slug: string): Promise<ClinicView | null> {
  const doc = await Clinic.findOne({ slug: slug.toLowerCase() }).lean<ClinicDoc>();
  return doc ? toView(doc) : null;
}

/** Changes device approval and the MFA-required roles; admin only, audited. */
export async function updateSecuritySettings(
  actor: Actor,
  patch: Partial<ClinicSecuritySettings>,
): Promise<ClinicView> {
  assertCan(actor, 'update', 'clinic_settings', { clinicId: actor.clinicId });
  const set: Record<string, unknown> = {};
  if (patch.deviceApproval !== undefined) set['settings.security.deviceApproval'] = patch.deviceApproval;
  if (patch.mfaRequiredRoles !== undefined)
    set['settings.security.mfaRequiredRoles'] = [...new Set(patch.mfaRequiredRoles)];
  const doc = await Clinic.findOneAndUpdate({ _id: actor.clinicId }, { $set: set }, { new: true }).lean<ClinicDoc>();
  if (!doc) throw notFound('Clinic');
  await recordSecurityEvent(actor, 'clinic.security_settings_changed', { type: 'clinic', id: actor.clinicId }, set);
  return toView(doc);
}

/** Changeable clinic profile fields (name, GST identity, address, timezone). */
export interface ClinicProfilePatch {
  name?: string;
  timezone?: string;
  gstin?: string;
  stateCode?: string;
  phone?: string;
  address?: ClinicView['address'];
}

/** Updates the clinic profile; admin only, audited (field names and non-PHI values). */
export async function updateClinicProfile(actor: Actor, patch: ClinicProfilePatch): Promise<ClinicView> {
  assertCan(actor, 'update', 'clinic_settings', { clinicId: actor.clinicId });
  const before = await Clinic.findOneAndUpdate(
    { _id: actor.clinicId },
    { $set: { ...patch } },
    { new: false, runValidators: true },
  ).lean<ClinicDoc>();
  if (!before) throw notFound('Clinic');
  const after = await getClinic(actor.clinicId);
  await audit.record({
    actor,
    action: 'clinic.profile_changed',
    entity: { type: 'clinic', id: actor.clinicId },
    diff: diffFields(toView(before), after, { fields: Object.keys(patch) }),
  });
  // Slots are wall-clock times in the clinic's zone: a new zone moves every future slot.
  if (patch.timezone && patch.timezone !== toView(before).timezone)
    await publish('clinic.scheduling_changed', { clinicId: actor.clinicId, fields: ['timezone'] });
  return after;
}

/** Updates scheduling settings (slot length, prepayment, holds, reminders, refund rules, holidays); admin only, audited. */
export async function updateSchedulingSettings(actor: Actor, patch: Partial<SchedulingSettings>): Promise<ClinicView> {
  assertCan(actor, 'update', 'clinic_settings', { clinicId: actor.clinicId });
  const set = Object.fromEntries(Object.entries(patch).map(([key, value]) => [`settings.scheduling.${key}`, value]));
  const before = await Clinic.findOneAndUpdate(
    { _id: actor.clinicId },
    { $set: set },
    { new: false, runValidators: true },
  ).lean<ClinicDoc>();
  if (!before) throw notFound('Clinic');
  const after = await getClinic(actor.clinicId);
  await audit.record({
    actor,
    action: 'clinic.scheduling_settings_changed',
    entity: { type: 'clinic', id: actor.clinicId },
    diff: diffFields(schedulingOf(before), after.scheduling, { fields: Object.keys(patch) }),
  });
  await publish('clinic.scheduling_changed', { clinicId: actor.clinicId, fields: Object.keys(patch) });
  return after;
}

/** Changes billing settings (per-role discount limits, in percent of the bill); admin only, audited. */
export async function updateBillingSettings(
  actor: Actor,
  patch: { discountLimitsPercent: Partial<BillingSettings['discountLimitsPercent']> },
): Promise<ClinicView> {
  assertCan(actor, 'update', 'clinic_settings', { clinicId: actor.clinicId });
  const set = Object.fromEntries(
    Object.entries(patch.discountLimitsPercent).map(([role, limit]) => [
      `settings.billing.discountLimitsPercent.${role}`,
      limit,
    ]),
  );
  const before = await Clinic.findOneAndUpdate(
    { _id: actor.clinicId },
    { $set: set },
    { new: false, runValidators: true },
  ).lean<ClinicDoc>();
  if (!before) throw notFound('Clinic');
  const after = await getClinic(actor.clinicId);
  await audit.record({
    actor,
    action: 'clinic.billing_settings_changed',
    entity: { type: 'clinic', id: actor.clinicId },
    diff: diffFields(billingOf(before).discountLimitsPercent, after.billing.discountLimitsPercent, {
      fields: Object.keys(patch.discountLimitsPercent),
    }),
  });
  return after;
}

/** Every clinic's id (installation-wide jobs such as the nightly KPIs schedule one run per clinic). */
export async function clinicIds(): Promise<string[]> {
  const ids = (await Clinic.distinct('_id')) as unknown[];
  return ids.map(String);
}
