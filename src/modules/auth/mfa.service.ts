/**
 * TOTP MFA for staff: enrol (a secret, its otpauth URI and QR), confirm with a first code, then a
 * code at every sign-in. Each accepted code's time step is stored and the write is
 * conditional on it being newer, so a code cannot be used twice, even by two requests at once.
 * The secrets are encrypted at rest by the Staff model (see staff.model.ts).
 */
import { AppError, conflict } from '../../platform/errors.js';
import type { Runtime } from '../../platform/runtime.js';
import { recordSecurityEvent } from './auth.audit.js';
import { loginLimits } from './login-limits.js';
import type { ResolvedSession } from './session.service.js';
import { SessionStore } from './session.store.js';
import { Staff } from './staff.model.js';
import type { StaffDoc } from './staff.model.js';
import { newTotpSecret, otpauthUri, qrCodeDataUrl, totpStepOf } from './totp.js';

/** What enrolment hands the authenticator app. */
export interface Enrolment {
  otpauthUri: string;
  /** PNG QR code of the URI as a `data:` URL. */
  qrCode: string;
  /** The secret in base32, for typing into an app that cannot scan. */
  manualEntryKey: string;
}

const invalidCode = () =>
  new AppError('invalid_code', 401, 'That code is not right; check the time on your phone and try again');
const replayedCode = () => new AppError('code_already_used', 401, 'That code was already used; wait for the next one');

/** Starts (or restarts) enrolment for a staff member who has no confirmed MFA yet. */
export async function startEnrolment(resolved: ResolvedSession): Promise<Enrolment> {
  if (resolved.staff.mfa?.enabled)
    throw conflict('An authenticator app is already enrolled; ask an admin to reset it', {
      reason: 'mfa_already_enrolled',
    });
  const secret = newTotpSecret();
  const updated = await Staff.updateOne(
    { _id: resolved.staff._id, clinicId: resolved.clinic.id, 'mfa.enabled': { $ne: true } },
    { $set: { 'mfa.pendingSecret': secret } },
  );
  if (updated.matchedCount === 0)
    throw conflict('An authenticator app is already enrolled', { reason: 'mfa_already_enrolled' });
  const uri = otpauthUri(secret, resolved.staff.email);
  return { otpauthUri: uri, qrCode: await qrCodeDataUrl(uri), manualEntryKey: secret };
}

/** Confirms enrolment with the first code; MFA is on from then, and this session counts as verified. */
export async function confirmEnrolment(
  runtime: Runtime,
  resolved: ResolvedSession,
  code: string,
  now = Date.now(),
): Promise<void> {
  const staffId = String(resolved.staff._id);
  const limits = loginLimits(runtime);
  await limits.chargeCode(staffId);
  const staff = await Staff.findOne({ _id: staffId, clinicId: resolved.clinic.id })
    .select('+mfa.pendingSecret')
    .lean<StaffDoc>();
  const secret = staff?.mfa?.pendingSecret;
  if (!staff || staff.mfa?.enabled || !secret) throw conflict('Start enrolment first', { reason: 'mfa_not_started' });
  const step = totpStepOf(secret, code, now);
  if (step === null) throw invalidCode();

  const confirmed = await Staff.updateOne(
    { _id: staffId, clinicId: resolved.clinic.id, 'mfa.enabled': { $ne: true } },
    {
      $set: { 'mfa.enabled': true, 'mfa.secret': secret, 'mfa.lastUsedStep': step, 'mfa.enrolledAt': new Date(now) },
      $unset: { 'mfa.pendingSecret': 1 },
    },
  );
  if (confirmed.modifiedCount === 0)
    throw conflict('An authenticator app is already enrolled', { reason: 'mfa_already_enrolled' });
  await limits.refundCode(staffId);
  await new SessionStore(runtime.redis, runtime.config).markMfaVerified(resolved.id, now);
  await recordSecurityEvent(
    resolved.actor,
    'auth.mfa_enrolled',
    { type: 'staff', id: staffId },
    { mfaEnabled: { from: false, to: true } },
  );
}

/** Checks a sign-in code; a wrong code is 401 `invalid_code`, a code whose step was already used is 401 `code_already_used`. */
export async function verifyCode(
  runtime: Runtime,
  resolved: ResolvedSession,
  code: string,
  now = Date.now(),
): Promise<void> {
  const staffId = String(resolved.staff._id);
  const limits = loginLimits(runtime);
  await limits.chargeCode(staffId);
  const staff = await Staff.findOne({ _id: staffId, clinicId: resolved.clinic.id })
    .select('+mfa.secret')
    .lean<StaffDoc>();
  const secret = staff?.mfa?.secret;
  if (!staff?.mfa?.enabled || !secret)
    throw conflict('No authenticator app is enrolled', { reason: 'mfa_not_enrolled' });
  const step = totpStepOf(secret, code, now);
  if (step === null) throw invalidCode();

  const accepted = await Staff.updateOne(
    { _id: staffId, clinicId: resolved.clinic.id, 'mfa.enabled': true, 'mfa.lastUsedStep': { $lt: step } },
    { $set: { 'mfa.lastUsedStep': step } },
  );
  if (accepted.modifiedCount === 0) throw replayedCode();
  await limits.refundCode(staffId);
  await new SessionStore(runtime.redis, runtime.config).markMfaVerified(resolved.id, now);
}
