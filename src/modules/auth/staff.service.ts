/**
 * Staff management: create accounts, list them, change roles or active state, unlock after a
 * lockout, reset MFA after a lost phone. Deactivation and MFA resets end every session at once;
 * role changes apply at the next request (roles are re-read per request).
 */
import type { Actor } from '../../platform/actor.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import type { Runtime } from '../../platform/runtime.js';
import { recordSecurityEvent } from './auth.audit.js';
import { loginLimits } from './login-limits.js';
import { hashPassword } from './password.js';
import { SessionStore } from './session.store.js';
import { Staff } from './staff.model.js';
import type { StaffDoc, StaffRole } from './staff.model.js';

/** What the API shows of a staff account (never the hash or MFA secrets). */
export interface StaffView {
  id: string;
  name: string;
  email: string;
  roles: StaffRole[];
  active: boolean;
  doctorId?: string;
  mfaEnabled: boolean;
  lockedUntil?: string;
  createdAt?: string;
}

/** Input for a new account; the password is checked for length by the schema. */
export interface NewStaff {
  name: string;
  email: string;
  password: string;
  roles: StaffRole[];
  doctorId?: string;
}

/** A change to an account by an admin. */
export interface StaffPatch {
  roles?: StaffRole[];
  active?: boolean;
  unlock?: boolean;
  resetMfa?: boolean;
}

/** Converts a stored account to its API view. */
export function toStaffView(doc: StaffDoc, now = Date.now()): StaffView {
  return {
    id: String(doc._id),
    name: doc.name,
    email: doc.email,
    roles: [...doc.roles] as StaffRole[],
    active: doc.active,
    ...(doc.doctorId ? { doctorId: String(doc.doctorId) } : {}),
    mfaEnabled: doc.mfa?.enabled ?? false,
    ...(doc.lockedUntil && doc.lockedUntil.getTime() > now ? { lockedUntil: doc.lockedUntil.toISOString() } : {}),
    ...(doc.createdAt ? { createdAt: doc.createdAt.toISOString() } : {}),
  };
}

/** Creates an account in the actor's clinic; 409 `email_taken` when the email is in use there. */
export async function createStaff(
  actor: Actor,
  input: NewStaff,
  { trustFirstDevice = false } = {},
): Promise<StaffView> {
  assertCan(actor, 'create', 'staff', { clinicId: actor.clinicId });
  const password = await hashPassword(input.password);
  try {
    const doc = await Staff.create({
      clinicId: actor.clinicId,
      name: input.name,
      email: input.email.trim().toLowerCase(),
      roles: [...new Set(input.roles)],
      ...(input.doctorId ? { doctorId: input.doctorId } : {}),
      password,
      passwordChangedAt: new Date(),
      trustFirstDevice,
    });
    const view = toStaffView(doc.toObject() as StaffDoc);
    await recordSecurityEvent(
      actor,
      'staff.created',
      { type: 'staff', id: view.id },
      { roles: view.roles, active: view.active },
    );
    return view;
  } catch (error) {
    if ((error as { code?: number }).code === 11000)
      throw new AppError('email_taken', 409, 'A staff account with this email already exists in this clinic');
    throw error;
  }
}

/** Every account of the actor's clinic, by name. */
export async function listStaff(actor: Actor): Promise<StaffView[]> {
  assertCan(actor, 'read', 'staff');
  const docs = await Staff.find({ clinicId: actor.clinicId }).sort({ name: 1 }).limit(1000).lean<StaffDoc[]>();
  return docs.map((doc) => toStaffView(doc));
}

async function assertAdminRemains(actor: Actor, target: StaffDoc, patch: StaffPatch): Promise<void> {
  const wasActiveAdmin = target.active && target.roles.includes('admin');
  const staysActiveAdmin = (patch.active ?? target.active) && (patch.roles ?? target.roles).includes('admin');
  if (!wasActiveAdmin || staysActiveAdmin) return;
  const others = await Staff.countDocuments({
    clinicId: actor.clinicId,
    _id: { $ne: target._id },
    roles: 'admin',
    active: true,
  });
  if (others === 0)
    throw conflict('This is the last active admin; make someone else admin first', { reason: 'last_admin' });
}

/** Applies an admin's change to an account; refuses to remove the clinic's last active admin. */
export async function updateStaff(
  runtime: Runtime,
  actor: Actor,
  staffId: string,
  patch: StaffPatch,
): Promise<StaffView> {
  assertCan(actor, 'update', 'staff', { clinicId: actor.clinicId });
  const target = await Staff.findOne({ _id: staffId, clinicId: actor.clinicId }).lean<StaffDoc>();
  if (!target) throw notFound('Staff member');
  await assertAdminRemains(actor, target, patch);

  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  if (patch.roles) set.roles = [...new Set(patch.roles)];
  if (patch.active !== undefined) set.active = patch.active;
  if (patch.unlock) {
    set.failedAttempts = 0;
    unset.lockedUntil = 1;
  }
  if (patch.resetMfa) {
    // Field by field: encrypted paths may only be $set or $unset whole, never through their parent.
    set['mfa.enabled'] = false;
    Object.assign(unset, { 'mfa.secret': 1, 'mfa.pendingSecret': 1, 'mfa.lastUsedStep': 1, 'mfa.enrolledAt': 1 });
  }
  const updated = await Staff.findOneAndUpdate(
    { _id: staffId, clinicId: actor.clinicId },
    { ...(Object.keys(set).length ? { $set: set } : {}), ...(Object.keys(unset).length ? { $unset: unset } : {}) },
    { new: true },
  ).lean<StaffDoc>();
  if (!updated) throw notFound('Staff member');

  if (patch.active === false || patch.resetMfa)
    await new SessionStore(runtime.redis, runtime.config).destroyAllFor(staffId);
  if (patch.unlock) await loginLimits(runtime).clearAccount(actor.clinicId, updated.email);

  const diff: Record<string, unknown> = {};
  if (patch.roles) diff.roles = { from: target.roles, to: updated.roles };
  if (patch.active !== undefined) diff.active = { from: target.active, to: updated.active };
  if (patch.unlock) diff.unlocked = true;
  if (Object.keys(diff).length > 0)
    await recordSecurityEvent(actor, 'staff.updated', { type: 'staff', id: staffId }, diff);
  if (patch.resetMfa)
    await recordSecurityEvent(
      actor,
      'auth.mfa_reset',
      { type: 'staff', id: staffId },
      { mfaEnabled: { from: Boolean(target.mfa?.enabled), to: false } },
    );
  return toStaffView(updated);
}

/**
 * Points the account `staffId` at the Doctor profile `doctorId`: its Actor carries that
 * `doctorId` from the next request (sessions re-read the account). One conditional update claims
 * the account, so two profiles can never share it. 404 when the account is not in the clinic,
 * 409 `staff_not_doctor` without the doctor role, 409 `staff_linked` when another profile has it.
 */
export async function linkDoctorProfile(actor: Actor, staffId: string, doctorId: string): Promise<void> {
  assertCan(actor, 'update', 'staff', { clinicId: actor.clinicId });
  const before = await Staff.findOneAndUpdate(
    { _id: staffId, clinicId: actor.clinicId, roles: 'doctor', doctorId: { $in: [null, doctorId] } },
    { $set: { doctorId } },
    { new: false },
  ).lean<StaffDoc>();
  if (!before) {
    const staff = await Staff.findOne({ _id: staffId, clinicId: actor.clinicId }).lean<StaffDoc>();
    if (!staff) throw notFound('Staff member');
    if (!staff.roles.includes('doctor'))
      throw conflict('Only a staff account with the doctor role can be linked to a doctor profile', {
        reason: 'staff_not_doctor',
      });
    throw conflict('This staff account already belongs to another doctor profile', { reason: 'staff_linked' });
  }
  if (String(before.doctorId ?? '') !== doctorId) {
    await recordSecurityEvent(
      actor,
      'staff.updated',
      { type: 'staff', id: staffId },
      { doctorId: { from: null, to: doctorId } },
    );
  }
}

/** Clears the account's link to `doctorId`; does nothing when it points elsewhere or nowhere. */
export async function unlinkDoctorProfile(actor: Actor, staffId: string, doctorId: string): Promise<void> {
  assertCan(actor, 'update', 'staff', { clinicId: actor.clinicId });
  const result = await Staff.updateOne(
    { _id: staffId, clinicId: actor.clinicId, doctorId },
    { $unset: { doctorId: 1 } },
  );
  if (result.modifiedCount === 1) {
    await recordSecurityEvent(
      actor,
      'staff.updated',
      { type: 'staff', id: staffId },
      { doctorId: { from: doctorId, to: null } },
    );
  }
}
