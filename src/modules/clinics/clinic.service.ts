/**
 * Clinic lookups and the security settings the auth module reads on every sign-in.
 */
import type { Actor, Role } from '../../platform/actor.js';
import { notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { recordSecurityEvent } from '../auth/auth.audit.js';
import { Clinic, DEFAULT_CLINIC_SLUG } from './clinic.model.js';
import type { ClinicDoc, ClinicSecuritySettings } from './clinic.model.js';

/** What callers see of a clinic. */
export interface ClinicView {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  security: ClinicSecuritySettings;
}

function toView(doc: ClinicDoc): ClinicView {
  const security = doc.settings?.security;
  return {
    id: String(doc._id),
    slug: doc.slug,
    name: doc.name,
    timezone: doc.timezone ?? 'Asia/Kolkata',
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
export async function updateSecuritySettings(actor: Actor, patch: Partial<ClinicSecuritySettings>): Promise<ClinicView> {
  assertCan(actor, 'update', 'clinic_settings', { clinicId: actor.clinicId });
  const set: Record<string, unknown> = {};
  if (patch.deviceApproval !== undefined) set['settings.security.deviceApproval'] = patch.deviceApproval;
  if (patch.mfaRequiredRoles !== undefined) set['settings.security.mfaRequiredRoles'] = [...new Set(patch.mfaRequiredRoles)];
  const doc = await Clinic.findOneAndUpdate({ _id: actor.clinicId }, { $set: set }, { new: true }).lean<ClinicDoc>();
  if (!doc) throw notFound('Clinic');
  await recordSecurityEvent(actor, 'clinic.security_settings_changed', { type: 'clinic', id: actor.clinicId }, set);
  return toView(doc);
}
