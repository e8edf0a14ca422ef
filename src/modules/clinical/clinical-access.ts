/**
 * Who may read and write clinical records: the policy table (rbac/policy.ts) first, then the
 * record rules below — the one place they live.
 *
 * - Writing: only the visit's own doctor (`own_doctor` in the table) writes notes, prescriptions,
 *   diet plans and lab orders; front desk may open a visit shell and enter lab results.
 * - Reading, doctors: a patient's record is open to a doctor while there is a care relationship —
 *   an appointment of that patient with that doctor that is upcoming, today, or started within
 *   the last CARE_WINDOW_DAYS days, and not cancelled or a no-show — or under a running
 *   break-glass grant. A doctor also reads results of lab tests they ordered (follow-up duty).
 * - Reading, pharmacy: prescriptions only (the table grants no visits), for dispensing.
 * - Reading, patients: their own (and their family profiles') signed records.
 * - Front desk, accounts and admin read no clinical content at all.
 *
 * Every granted read is audited (`recordClinicalRead`) naming the basis it was granted on.
 */
import type { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import type { AuditDiffEntry } from '../../platform/audit/audit-hash.js';
import { forbidden } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import type { Action } from '../../platform/rbac/policy.js';
import { ACTIVE_STATUSES } from '../appointments/appointment.lifecycle.js';
import { Appointment } from '../appointments/appointment.model.js';
import { activeBreakGlass } from './break-glass.service.js';

/** How far back an appointment keeps a doctor's access to the patient's record open. */
export const CARE_WINDOW_DAYS = 30;

/** The clinical resources of the policy table. */
export type ClinicalResource = 'visits' | 'prescriptions' | 'diet_plans' | 'lab_results';

/** Why a read was allowed (recorded in its audit event). */
export type ReadBasis =
  | 'system'
  | 'auditor'
  | 'own_patient'
  | 'dispensing'
  | 'result_entry'
  | 'care_relationship'
  | 'ordering_doctor'
  | 'break_glass';

/** A granted read: its basis and, under break-glass, the grant. */
export interface ReadGrant {
  basis: ReadBasis;
  grantId?: string;
}

/** The fields the rules look at. */
export interface ClinicalRecordRef {
  clinicId: Types.ObjectId | string;
  patientId: Types.ObjectId | string;
  doctorId?: Types.ObjectId | string;
}

function policyRecord(record: ClinicalRecordRef) {
  return {
    clinicId: String(record.clinicId),
    patientId: String(record.patientId),
    ...(record.doctorId ? { doctorId: String(record.doctorId) } : {}),
  };
}

/** True when `doctorId` has an appointment with `patientId` that is upcoming or within the care window. */
export async function hasCareRelationship(
  clinicId: string,
  doctorId: string,
  patientId: string,
  now = new Date(),
): Promise<boolean> {
  const since = new Date(now.getTime() - CARE_WINDOW_DAYS * 24 * 60 * 60_000);
  // Uses the { clinicId, patientId, startAt } index; a patient has few appointments.
  const found = await Appointment.exists({
    clinicId,
    patientId,
    doctorId,
    status: { $in: [...ACTIVE_STATUSES] },
    startAt: { $gte: since },
  });
  return found !== null;
}

function noCareRelationship(patientId: string) {
  return forbidden(
    `You have no appointment with this patient in the last ${CARE_WINDOW_DAYS} days or upcoming; state a reason to break the glass if you must see the record`,
    {
      reason: 'no_care_relationship',
      breakGlass: `/api/v1/clinical-history/${patientId}/break-glass`,
    },
  );
}

/** The basis on which a staff doctor may read `patientId`'s record now, or a 403. */
async function doctorBasis(actor: Actor, patientId: string, orderedByActor: boolean): Promise<ReadGrant> {
  if (actor.doctorId && (await hasCareRelationship(actor.clinicId, actor.doctorId, patientId)))
    return { basis: 'care_relationship' };
  if (orderedByActor) return { basis: 'ordering_doctor' };
  const grant = await activeBreakGlass(actor, patientId);
  if (grant) return { basis: 'break_glass', grantId: String(grant._id) };
  throw noCareRelationship(patientId);
}

/**
 * Decides whether `actor` may read `record` of `resource`: the policy table, then the record
 * rules of this file. `orderedByActor` marks a lab test this doctor ordered. Throws 403.
 */
export async function authorizeClinicalRead(
  actor: Actor,
  resource: ClinicalResource,
  record: ClinicalRecordRef,
  options: { orderedByActor?: boolean } = {},
): Promise<ReadGrant> {
  assertCan(actor, 'read', resource, policyRecord(record));
  if (actor.type === 'system') return { basis: 'system' };
  if (actor.type === 'patient') return { basis: 'own_patient' };
  if (resource === 'prescriptions' && actor.roles.includes('pharmacy')) return { basis: 'dispensing' };
  return doctorBasis(actor, String(record.patientId), options.orderedByActor ?? false);
}

/** Throws 403 unless `actor` may `action` this record (own doctor for notes, orders and versions). */
export function assertClinicalWrite(
  actor: Actor,
  action: Action,
  resource: ClinicalResource,
  record: ClinicalRecordRef,
): void {
  assertCan(actor, action, resource, policyRecord(record));
}

/** What was read, for the audit trail. */
export interface ClinicalRead {
  action: string;
  entity: { type: string; id: string | { toString(): string } };
  /** The patient whose record was read; list reads spanning patients name them in `details`. */
  patientId?: string | { toString(): string };
  details?: AuditDiffEntry[];
}

/** Writes the audit event of a granted read: who viewed what, on which basis (the time is the event's). */
export async function recordClinicalRead(actor: Actor, grant: ReadGrant, read: ClinicalRead): Promise<void> {
  await audit.record({
    actor,
    action: read.action,
    entity: read.entity,
    diff: [
      { field: 'access', to: grant.basis },
      ...(grant.grantId ? [{ field: 'breakGlassId', to: grant.grantId }] : []),
      ...(read.patientId !== undefined ? [{ field: 'patientId', to: String(read.patientId) }] : []),
      ...(read.details ?? []),
    ],
  });
}
