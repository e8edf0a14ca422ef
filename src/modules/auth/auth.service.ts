/**
 * Staff sign-in, sign-out, "who am I" and password change.
 *
 * Sign-in order matters: rate limits first (cheap, and they bound the hashing work), then the
 * lockout, then the password (an unknown email spends the same hashing time), then the device.
 * A correct password on a locked account is still refused, so a lock cannot be guessed through.
 */
import { systemActor } from '../../platform/actor.js';
import { AppError, tooManyRequests, unauthenticated } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { ensureDefaultClinic, findClinicBySlug } from '../clinics/clinic.service.js';
import type { ClinicView } from '../clinics/clinic.service.js';
import { recordSecurityEvent } from './auth.audit.js';
import { deviceForSignIn, toDeviceView } from './device.service.js';
import type { DeviceView } from './device.service.js';
import { LOCKOUT, loginLimits } from './login-limits.js';
import { hashPassword, needsRehash, verifyAgainstDecoy, verifyPassword } from './password.js';
import type { PasswordHash } from './password.js';
import { clinicRequiresMfa, sessionStateOf, staffActor } from './session.service.js';
import type { ResolvedSession, SessionState } from './session.service.js';
import { SessionStore } from './session.store.js';
import { Staff } from './staff.model.js';
import type { StaffDoc } from './staff.model.js';
import { toStaffView } from './staff.service.js';
import type { StaffView } from './staff.service.js';

/** What a sign-in presents. */
export interface SignInInput {
  email: string;
  password: string;
  /** Clinic slug; the installation's default clinic when omitted. */
  clinic?: string;
  ip: string;
  userAgent?: string;
  deviceToken?: string;
  /** A session cookie the client still held; it is ended so ids never carry across sign-ins. */
  previousSessionId?: string;
}

/** What /login and /me answer. */
export interface SessionView {
  staff: StaffView;
  clinic: { id: string; slug: string; name: string };
  session: { state: SessionState; mfaRequired: boolean; idleExpiresAt: string; absoluteExpiresAt: string };
  device: DeviceView;
}

/** A completed sign-in: the cookies to set and the body to send. */
export interface SignInResult {
  sessionId: string;
  deviceToken: string;
  view: SessionView;
}

const invalidCredentials = () => new AppError('invalid_credentials', 401, 'Email or password is wrong');

async function clinicFor(slug: string | undefined): Promise<ClinicView> {
  if (!slug) return ensureDefaultClinic();
  const clinic = await findClinicBySlug(slug);
  if (!clinic) throw invalidCredentials();
  return clinic;
}

/** Counts a wrong password; the attempt that reaches the limit locks the account. */
async function recordFailure(clinic: ClinicView, staff: StaffDoc, now: number): Promise<void> {
  const counted = await Staff.findOneAndUpdate(
    { _id: staff._id, clinicId: clinic.id },
    { $inc: { failedAttempts: 1 } },
    { new: true },
  ).lean<StaffDoc>();
  if (!counted || counted.failedAttempts < LOCKOUT.maxFailures) return;
  const lockedUntil = new Date(now + LOCKOUT.durationMs);
  // Conditional on the count, so parallel failures start one lockout, not several.
  const locked = await Staff.updateOne(
    { _id: staff._id, clinicId: clinic.id, failedAttempts: { $gte: LOCKOUT.maxFailures } },
    { $set: { lockedUntil, failedAttempts: 0 } },
  );
  if (locked.modifiedCount === 1) {
    await recordSecurityEvent(
      systemActor(clinic.id, 'auth:lockout'),
      'auth.lockout',
      { type: 'staff', id: String(staff._id) },
      { lockedUntil: lockedUntil.toISOString() },
    );
    log().warn({ staffId: String(staff._id) }, 'staff account locked after failed sign-ins');
  }
  throw tooManyRequests(
    'Too many wrong passwords; the account is locked for a while',
    LOCKOUT.durationMs / 1000,
    'account_locked',
  );
}

function toSessionView(
  resolved: Pick<ResolvedSession, 'staff' | 'clinic' | 'device' | 'state' | 'mfaRequired' | 'idleExpiresAt' | 'record'>,
): SessionView {
  return {
    staff: toStaffView(resolved.staff),
    clinic: { id: resolved.clinic.id, slug: resolved.clinic.slug, name: resolved.clinic.name },
    session: {
      state: resolved.state,
      mfaRequired: resolved.mfaRequired,
      idleExpiresAt: new Date(resolved.idleExpiresAt).toISOString(),
      absoluteExpiresAt: new Date(resolved.record.deadline).toISOString(),
    },
    device: toDeviceView(resolved.device),
  };
}

/** Signs a staff member in and starts a session (usable at once, or pending device/MFA). */
export async function signIn(runtime: Runtime, input: SignInInput, now = Date.now()): Promise<SignInResult> {
  const clinic = await clinicFor(input.clinic);
  const email = input.email.trim().toLowerCase();
  const limits = loginLimits(runtime);
  await limits.chargeSignIn(clinic.id, email, input.ip);

  const staff = await Staff.findOne({ clinicId: clinic.id, email }).select('+password').lean<StaffDoc>();
  if (!staff) {
    await verifyAgainstDecoy(input.password);
    throw invalidCredentials();
  }
  if (staff.lockedUntil && staff.lockedUntil.getTime() > now) {
    throw tooManyRequests(
      'Too many wrong passwords; the account is locked for a while',
      (staff.lockedUntil.getTime() - now) / 1000,
      'account_locked',
    );
  }
  const password = staff.password as PasswordHash;
  if (!(await verifyPassword(input.password, password))) {
    await recordFailure(clinic, staff, now);
    throw invalidCredentials();
  }
  // Only someone who knows the password learns that the account is switched off.
  if (!staff.active) throw new AppError('account_disabled', 403, 'This account is disabled; ask an admin');

  await limits.refundSignIn(clinic.id, email, input.ip);
  const reset: Record<string, unknown> = {};
  if (staff.failedAttempts > 0 || staff.lockedUntil) Object.assign(reset, { failedAttempts: 0, lockedUntil: null });
  if (needsRehash(password)) reset.password = await hashPassword(input.password);
  if (Object.keys(reset).length > 0) await Staff.updateOne({ _id: staff._id, clinicId: clinic.id }, { $set: reset });

  const { device, token } = await deviceForSignIn(
    runtime.config,
    clinic,
    String(staff._id),
    input.deviceToken,
    input.userAgent,
  );
  const store = new SessionStore(runtime.redis, runtime.config);
  if (input.previousSessionId && SessionStore.isSessionId(input.previousSessionId))
    await store.destroy(input.previousSessionId);
  const { id, record } = await store.create(
    { staffId: String(staff._id), clinicId: clinic.id, deviceId: String(device._id) },
    now,
  );

  const state = sessionStateOf(record, staff, device, clinic);
  await recordSecurityEvent(
    staffActor(staff),
    'auth.login',
    { type: 'staff', id: String(staff._id) },
    { deviceId: String(device._id), deviceStatus: device.status, state },
  );
  const view = toSessionView({
    staff,
    clinic,
    device,
    state,
    mfaRequired: Boolean(staff.mfa?.enabled) || clinicRequiresMfa(clinic, staff),
    idleExpiresAt: Math.min(now + store.idleMs, record.deadline),
    record,
  });
  return { sessionId: id, deviceToken: token, view };
}

/** Ends the session `sessionId` if it is live; signing out twice is not an error. */
export async function signOut(runtime: Runtime, sessionId: string | undefined): Promise<void> {
  if (!SessionStore.isSessionId(sessionId)) return;
  const store = new SessionStore(runtime.redis, runtime.config);
  const record = await store.touch(sessionId);
  await store.destroy(sessionId, record?.staffId);
  if (!record) return;
  const staff = await Staff.findOne({ _id: record.staffId, clinicId: record.clinicId }).lean<StaffDoc>();
  const actor = staff ? staffActor(staff) : systemActor(record.clinicId, 'auth:logout');
  await recordSecurityEvent(actor, 'auth.logout', { type: 'staff', id: record.staffId });
}

/** The body of GET /me for a resolved session. */
export function describeSession(resolved: ResolvedSession): SessionView {
  return toSessionView(resolved);
}

/** Changes the caller's password after checking the current one (rate-limited per account); every other session ends. */
export async function changePassword(
  runtime: Runtime,
  resolved: ResolvedSession,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const staff = await Staff.findOne({ _id: resolved.staff._id, clinicId: resolved.clinic.id })
    .select('+password')
    .lean<StaffDoc>();
  if (!staff) throw unauthenticated();
  // A stolen session must not become a way to guess the password: same per-account limit as sign-in.
  const limits = loginLimits(runtime);
  await limits.chargeAccount(resolved.clinic.id, staff.email);
  if (!(await verifyPassword(currentPassword, staff.password as PasswordHash)))
    throw new AppError('invalid_credentials', 401, 'The current password is wrong');
  await limits.refundAccount(resolved.clinic.id, staff.email);
  await Staff.updateOne(
    { _id: staff._id, clinicId: resolved.clinic.id },
    { $set: { password: await hashPassword(newPassword), passwordChangedAt: new Date() } },
  );
  await new SessionStore(runtime.redis, runtime.config).destroyAllFor(String(staff._id), resolved.id);
  await recordSecurityEvent(resolved.actor, 'auth.password_changed', { type: 'staff', id: String(staff._id) });
}
