/**
 * Break-glass access: a doctor with no care relationship to a patient states why they need the
 * record (an emergency, a colleague's patient) and reads it for a limited time. Granting is
 * audited with a digest of the reason; every read made under the grant is audited naming it.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { diffFields } from '../../platform/audit/audit-diff.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import { assertCan } from '../../platform/rbac/can.js';
import { patientRecord } from '../patients/patient.service.js';
import { BreakGlassGrant } from './break-glass.model.js';
import type { BreakGlassRecord } from './break-glass.model.js';

/** How long a grant lasts: long enough for an emergency consultation, short enough to need renewing. */
export const BREAK_GLASS_MINUTES = 60;

/** A grant as the API returns it (the reason stays in the record, not the answer). */
export interface BreakGlassView {
  id: string;
  patientId: string;
  grantedAt: Date;
  expiresAt: Date;
}

/** The actor's grant for `patientId` that is still running at `now`, if any. */
export async function activeBreakGlass(
  actor: Actor,
  patientId: string,
  now = new Date(),
): Promise<BreakGlassRecord | null> {
  if (actor.type !== 'staff' || !Types.ObjectId.isValid(patientId)) return null;
  return BreakGlassGrant.findOne({ clinicId: actor.clinicId, staffId: actor.id, patientId, expiresAt: { $gt: now } })
    .sort({ expiresAt: -1 })
    .lean<BreakGlassRecord>();
}

/**
 * Grants the signed-in doctor time-limited read access to `patientId`'s clinical record for the
 * stated `reason`. Only doctors may break the glass; the grant and its reason are audited.
 */
export async function breakGlass(
  actor: Actor,
  patientId: string,
  reason: string,
  now = new Date(),
): Promise<BreakGlassView> {
  assertCan(actor, 'read', 'visits');
  if (actor.type !== 'staff' || !actor.roles.includes('doctor'))
    throw forbidden('Only doctors may break the glass', { reason: 'not_a_doctor' });
  const patient = await patientRecord(actor.clinicId, patientId);
  if (!patient) throw notFound('Patient');
  const grant = await BreakGlassGrant.create({
    clinicId: actor.clinicId,
    patientId: patient._id,
    staffId: actor.id,
    ...(actor.doctorId ? { doctorId: actor.doctorId } : {}),
    reason,
    grantedAt: now,
    expiresAt: new Date(now.getTime() + BREAK_GLASS_MINUTES * 60_000),
  });
  await audit.record({
    actor,
    action: 'clinical.break_glass',
    entity: { type: 'patient', id: patient._id },
    diff: [
      ...diffFields(null, { reason }, { phi: ['reason'] }),
      { field: 'grantId', to: String(grant._id) },
      { field: 'expiresAt', to: grant.expiresAt.toISOString() },
    ],
  });
  // Warn-level so monitoring can alert on break-glass use; ids only.
  log().warn(
    { grantId: String(grant._id), patientId: String(patient._id), staffId: actor.id },
    'break-glass access granted',
  );
  return {
    id: String(grant._id),
    patientId: String(patient._id),
    grantedAt: grant.grantedAt,
    expiresAt: grant.expiresAt,
  };
}
