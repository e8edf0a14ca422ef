/**
 * Device approval. A sign-in from a device token this staff member has not used before creates
 * a pending device; sessions on it stay unusable until an admin approves it (when the clinic's
 * `deviceApproval` setting is on). The installation's first admin gets their first device
 * approved automatically, so a new installation can be set up at all.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import type { ClinicView } from '../clinics/clinic.service.js';
import { recordSecurityEvent } from './auth.audit.js';
import { Device } from './device.model.js';
import type { DeviceDoc, DeviceStatus } from './device.model.js';
import { deviceLabel } from './device.label.js';
import { Staff } from './staff.model.js';

/** What the API shows of a device. */
export interface DeviceView {
  id: string;
  staffId: string;
  label: string;
  status: DeviceStatus;
  decidedBy?: string;
  decidedAt?: string;
  lastSeenAt?: string;
  createdAt?: string;
}

/** Converts a stored device to its API view. */
export function toDeviceView(doc: DeviceDoc): DeviceView {
  return {
    id: String(doc._id),
    staffId: String(doc.staffId),
    label: doc.label,
    status: doc.status,
    ...(doc.decidedBy ? { decidedBy: doc.decidedBy } : {}),
    ...(doc.decidedAt ? { decidedAt: doc.decidedAt.toISOString() } : {}),
    ...(doc.lastSeenAt ? { lastSeenAt: doc.lastSeenAt.toISOString() } : {}),
    ...(doc.createdAt ? { createdAt: doc.createdAt.toISOString() } : {}),
  };
}

const deviceTokenPattern = /^[A-Za-z0-9_-]{43}$/;

function tokenHash(config: Config, token: string): string {
  return createHmac('sha256', config.security.sessionSecret).update(`device:${token}`).digest('base64url');
}

/** 403 for a device an admin rejected. */
export const deviceRejected = () =>
  new AppError('device_rejected', 403, 'This device was rejected by an admin; ask an admin to approve it');

async function initialStatus(
  clinic: ClinicView,
  staffId: string,
): Promise<{ status: DeviceStatus; decidedBy?: string }> {
  if (!clinic.security.deviceApproval) return { status: 'approved', decidedBy: 'system:approval-off' };
  // Consumed with a conditional write, so two first sign-ins at once approve only one device.
  const consumed = await Staff.updateOne(
    { _id: staffId, clinicId: clinic.id, trustFirstDevice: true },
    { $set: { trustFirstDevice: false } },
  );
  return consumed.modifiedCount === 1 ? { status: 'approved', decidedBy: 'system:first-admin' } : { status: 'pending' };
}

/**
 * Finds or registers the device a sign-in comes from. Returns the device and the token to keep
 * in the device cookie (a new one when the client sent none or a malformed one).
 */
export async function deviceForSignIn(
  config: Config,
  clinic: ClinicView,
  staffId: string,
  presentedToken: string | undefined,
  userAgent: string | undefined,
): Promise<{ device: DeviceDoc; token: string }> {
  const token =
    presentedToken && deviceTokenPattern.test(presentedToken) ? presentedToken : randomBytes(32).toString('base64url');
  const filter = { clinicId: clinic.id, staffId, tokenHash: tokenHash(config, token) };
  const now = new Date();
  const existing = await Device.findOneAndUpdate(
    filter,
    { $set: { lastSeenAt: now } },
    { new: true },
  ).lean<DeviceDoc>();
  if (existing) {
    if (existing.status === 'rejected') throw deviceRejected();
    return { device: existing, token };
  }
  const { status, decidedBy } = await initialStatus(clinic, staffId);
  try {
    const created = await Device.create({
      ...filter,
      label: deviceLabel(userAgent),
      status,
      lastSeenAt: now,
      ...(decidedBy ? { decidedBy, decidedAt: now } : {}),
    });
    return { device: created.toObject() as DeviceDoc, token };
  } catch (error) {
    // The same device signing in twice at once: the unique index keeps one; use it.
    if ((error as { code?: number }).code !== 11000) throw error;
    const winner = await Device.findOne(filter).lean<DeviceDoc>();
    if (!winner) throw error;
    if (winner.status === 'rejected') throw deviceRejected();
    return { device: winner, token };
  }
}

/** The device with `deviceId` in `clinicId`, or null. */
export function findDevice(clinicId: string, deviceId: string): Promise<DeviceDoc | null> {
  return Device.findOne({ _id: deviceId, clinicId }).lean<DeviceDoc>();
}

/** Devices of the actor's clinic, newest first, optionally only those in `status`. */
export async function listDevices(actor: Actor, status?: DeviceStatus): Promise<DeviceView[]> {
  assertCan(actor, 'read', 'devices');
  const docs = await Device.find({ clinicId: actor.clinicId, ...(status ? { status } : {}) })
    .sort({ createdAt: -1 })
    .limit(200)
    .lean<DeviceDoc[]>();
  return docs.map(toDeviceView);
}

/**
 * Approves or rejects a device (a rejected device can be approved later and vice versa).
 * Deciding the state a device is already in changes nothing and is not audited again.
 */
export async function decideDevice(
  actor: Actor,
  deviceId: string,
  status: Exclude<DeviceStatus, 'pending'>,
): Promise<DeviceView> {
  assertCan(actor, 'approve', 'devices', { clinicId: actor.clinicId });
  const updated = await Device.findOneAndUpdate(
    { _id: deviceId, clinicId: actor.clinicId, status: { $ne: status } },
    { $set: { status, decidedBy: actor.id, decidedAt: new Date() } },
    { new: true },
  ).lean<DeviceDoc>();
  if (!updated) {
    const current = await findDevice(actor.clinicId, deviceId);
    if (!current) throw notFound('Device');
    return toDeviceView(current);
  }
  await recordSecurityEvent(
    actor,
    status === 'approved' ? 'auth.device_approved' : 'auth.device_rejected',
    { type: 'device', id: deviceId },
    {
      status,
      staffId: String(updated.staffId),
    },
  );
  return toDeviceView(updated);
}

/** True when `token` is an approved device of staff member `staffId` (it then skips the account-wide sign-in limit). */
export async function isApprovedDeviceOf(
  config: Config,
  clinicId: string,
  staffId: string,
  token: string | undefined,
): Promise<boolean> {
  if (!token || !deviceTokenPattern.test(token)) return false;
  const found = await Device.exists({ clinicId, staffId, tokenHash: tokenHash(config, token), status: 'approved' });
  return found !== null;
}
