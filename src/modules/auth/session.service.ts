/**
 * Turns a session cookie into a signed-in staff member and the state of their session. The
 * account, device and clinic settings are re-read on every request, so deactivation, role
 * changes, device rejection and a newly required MFA take effect at once.
 *
 * States, in the order they are checked:
 *   device_pending          the device waits for an admin (only /me, logout)
 *   mfa_enrolment_required  the clinic requires MFA for a role held, none enrolled (enrol/confirm)
 *   mfa_pending             MFA enrolled, code not yet given in this session (verify)
 *   active                  everything is open, subject to RBAC
 */
import type { Actor } from '../../platform/actor.js';
import { AppError, unauthenticated } from '../../platform/errors.js';
import type { Runtime } from '../../platform/runtime.js';
import { getClinic } from '../clinics/clinic.service.js';
import type { ClinicView } from '../clinics/clinic.service.js';
import type { DeviceDoc } from './device.model.js';
import { deviceRejected, findDevice } from './device.service.js';
import { SessionStore } from './session.store.js';
import type { SessionRecord } from './session.store.js';
import { Staff } from './staff.model.js';
import type { StaffDoc } from './staff.model.js';

/** Where a session stands; only `active` sessions act through the API. */
export type SessionState = 'device_pending' | 'mfa_enrolment_required' | 'mfa_pending' | 'active';

/** A live session with everything the request needs. */
export interface ResolvedSession {
  id: string;
  record: SessionRecord;
  staff: StaffDoc;
  device: DeviceDoc;
  clinic: ClinicView;
  state: SessionState;
  /** Whether this staff member must use MFA (enrolled, or required by the clinic for a role). */
  mfaRequired: boolean;
  /** The staff member as an Actor (set even before the session is active, for audit). */
  actor: Actor;
  /** Epoch ms when the session dies if unused. */
  idleExpiresAt: number;
}

/** True when the clinic requires MFA for any role `staff` holds. */
export function clinicRequiresMfa(clinic: ClinicView, staff: Pick<StaffDoc, 'roles'>): boolean {
  return staff.roles.some((role) => clinic.security.mfaRequiredRoles.includes(role));
}

/** The state of a session given its account, device and clinic settings. */
export function sessionStateOf(
  record: SessionRecord,
  staff: StaffDoc,
  device: DeviceDoc,
  clinic: ClinicView,
): SessionState {
  if (device.status === 'pending' && clinic.security.deviceApproval) return 'device_pending';
  if (record.mfaVerifiedAt !== undefined) return 'active';
  if (staff.mfa?.enabled) return 'mfa_pending';
  if (clinicRequiresMfa(clinic, staff)) return 'mfa_enrolment_required';
  return 'active';
}

/** The Actor for a staff account. */
export function staffActor(staff: StaffDoc): Actor {
  return {
    type: 'staff',
    id: String(staff._id),
    roles: [...staff.roles],
    clinicId: String(staff.clinicId),
    ...(staff.doctorId ? { doctorId: String(staff.doctorId) } : {}),
  };
}

/** The error a session in `state` gets on an endpoint that does not serve that state. */
export function stateError(state: SessionState): AppError {
  switch (state) {
    case 'active':
      return new AppError('session_active', 409, 'This session is already fully signed in');
    case 'device_pending':
      return new AppError('device_pending', 403, 'This device is waiting for an admin to approve it');
    case 'mfa_enrolment_required':
      return new AppError(
        'mfa_enrolment_required',
        403,
        'Your clinic requires an authenticator app: enrol at /api/v1/auth/mfa/enrol',
      );
    case 'mfa_pending':
      return new AppError('mfa_required', 403, 'Enter the code from your authenticator app at /api/v1/auth/mfa/verify');
  }
}

/**
 * Resolves the session `sessionId` (sliding its idle timeout); 401 when it is missing, expired or
 * its account is gone or inactive, 403 `device_rejected` (and the session ends) when its device was rejected.
 */
export async function resolveSession(
  runtime: Runtime,
  sessionId: string | undefined,
  now = Date.now(),
): Promise<ResolvedSession> {
  if (!SessionStore.isSessionId(sessionId)) throw unauthenticated();
  const store = new SessionStore(runtime.redis, runtime.config);
  const record = await store.touch(sessionId, now);
  if (!record) throw unauthenticated('Your session has ended; sign in again');

  const [staff, device, clinic] = await Promise.all([
    Staff.findOne({ _id: record.staffId, clinicId: record.clinicId }).lean<StaffDoc>(),
    findDevice(record.clinicId, record.deviceId),
    getClinic(record.clinicId).catch(() => null),
  ]);
  if (!staff || !staff.active || !device || !clinic) {
    await store.destroy(sessionId, record.staffId);
    throw unauthenticated('Your session has ended; sign in again');
  }
  if (device.status === 'rejected') {
    await store.destroy(sessionId, record.staffId);
    throw deviceRejected();
  }
  return {
    id: sessionId,
    record,
    staff,
    device,
    clinic,
    state: sessionStateOf(record, staff, device, clinic),
    mfaRequired: Boolean(staff.mfa?.enabled) || clinicRequiresMfa(clinic, staff),
    actor: staffActor(staff),
    idleExpiresAt: Math.min(now + store.idleMs, record.deadline),
  };
}
