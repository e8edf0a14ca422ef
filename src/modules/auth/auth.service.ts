/**
 * Staff sign-in, sign-out, "who am I" and password change.
 *
 * Sign-in order matters: the IP limit and the account+source lock first (cheap, atomic, and they
 * bound the hashing work), then the account-wide limit unless the request comes from the staff
 * member's own approved device, then the password (an unknown email spends the same hashing time
 * and counts the same), then the device. A correct password from a locked source is still refused,
 * so a lock cannot be guessed through; the same account signs in from its other sources.
 */
import { systemActor } from '../../platform/actor.js';
import { AppError, unauthenticated } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { ensureDefaultClinic, findClinicBySlug } from '../clinics/clinic.service.js';
import type { ClinicView } from '../clinics/clinic.service.js';
import { recordSecurityEvent } from './auth.audit.js';
import { deviceForSignIn, isApprovedDeviceOf, toDeviceView } from './device.service.js';
import type { DeviceView } from './device.service.js';
import { accountLocked, LOCKOUT, loginLimits } from './login-limits.js';
import type { PairCharge } from './login-limits.js';
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
  /** Security notices for the staff member (e.g. "sign-in from 203.0.113.9 was locked at 10:02"), until dismissed. */
  notices: { kind: string; at: string; until?: string; source?: string }[];
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

/**
 * A wrong password was checked: counts it on a known account (for admins) and, when it was the
 * pair's last allowed attempt, locks that account+source pair. Unknown emails lock the same way
 * (same answers and counts); only a real account gets the audit event and the notice.
 */
async function recordFailure(
  runtime: Runtime,
  clinic: ClinicView,
  staff: StaffDoc | null,
  email: string,
  ip: string,
  charge: PairCharge,
  now: number,
): Promise<void> {
  if (staff) await Staff.updateOne({ _id: staff._id, clinicId: clinic.id }, { $inc: { failedAttempts: 1 } });
  if (charge.count < LOCKOUT.maxFailures) return;
  const { durationMs, level } = await loginLimits(runtime).lockPair(clinic.id, email, ip);
  if (staff) {
    const until = new Date(now + durationMs);
    await Staff.updateOne(
      { _id: staff._id, clinicId: clinic.id },
      {
        $max: { lockedUntil: until },
        $push: {
          notices: {
            $each: [{ kind: 'sign_in_locked', at: new Date(now), until, source: ip.slice(0, 64) }],
            $slice: -10,
          },
        },
      },
    );
    await recordSecurityEvent(
      systemActor(clinic.id, 'auth:lockout'),
      'auth.lockout',
      { type: 'staff', id: String(staff._id) },
      { lockedUntil: until.toISOString(), source: ip, lockNumber: level },
    );
    log().warn({ staffId: String(staff._id), lockNumber: level }, 'staff sign-in locked for one source');
  }
  throw accountLocked(durationMs / 1000);
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
    notices: (resolved.staff.notices ?? []).map((notice) => ({
      kind: notice.kind,
      at: new Date(notice.at).toISOString(),
      ...(notice.until ? { until: new Date(notice.until).toISOString() } : {}),
      ...(notice.source ? { source: notice.source } : {}),
    })),
  };
}

/** Clears the signed-in staff member's security notices (they have read them). */
export async function dismissNotices(resolved: ResolvedSession): Promise<void> {
  await Staff.updateOne({ _id: resolved.staff._id, clinicId: resolved.clinic.id }, { $set: { notices: [] } });
}

/** Signs a staff member in and starts a session (usable at once, or pending device/MFA). */
export async function signIn(runtime: Runtime, input: SignInInput, now = Date.now()): Promise<SignInResult> {
  const clinic = await clinicFor(input.clinic);
  const email = input.email.trim().toLowerCase();
  const limits = loginLimits(runtime);
  await limits.chargeIp(input.ip);
  const charge = await limits.chargePair(clinic.id, email, input.ip);

  const staff = await Staff.findOne({ clinicId: clinic.id, email }).select('+password').lean<StaffDoc>();
  // The staff member's own approved device is not held by guessing spread over other sources.
  const ownDevice = staff
    ? await isApprovedDeviceOf(runtime.config, clinic.id, String(staff._id), input.deviceToken)
    : false;
  if (!ownDevice) await limits.chargeAccountWide(clinic.id, email);
  if (!staff) {
    await verifyAgainstDecoy(input.password);
    await recordFailure(runtime, clinic, null, email, input.ip, charge, now);
    throw invalidCredentials();
  }
  const password = staff.password as PasswordHash;
  if (!(await verifyPassword(input.password, password))) {
    await recordFailure(runtime, clinic, staff, email, input.ip, charge, now);
    throw invalidCredentials();
  }
  // Only someone who knows the password learns that the account is switched off.
  if (!staff.active) throw new AppError('account_disabled', 403, 'This account is disabled; ask an admin');

  await limits.refundSignIn(clinic.id, email, input.ip, !ownDevice);
  const reset: Record<string, unknown> = {};
  if (staff.failedAttempts > 0) reset.failedAttempts = 0;
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
