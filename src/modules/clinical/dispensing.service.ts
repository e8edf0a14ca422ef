/**
 * The pharmacy counter: record what was dispensed against the current version of a prescription
 * (never a superseded one), line by line; audited. Dispensing records show line ids and outcomes;
 * the medicines themselves are read from the prescription by those allowed to.
 */
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { diffFields } from '../../platform/audit/audit-diff.js';
import { conflict, unprocessable } from '../../platform/errors.js';
import { assertCan, can } from '../../platform/rbac/can.js';
import { recordClinicalRead } from './clinical-access.js';
import { Dispensing } from './dispensing.model.js';
import type { DispensedLine, DispensingRecord } from './dispensing.model.js';
import { loadIssued } from './issued-series.js';
import type { PrescriptionRecord } from './prescription.model.js';
import { dispensingBody } from './prescription.schemas.js';
import type { DispensingInput } from './prescription.schemas.js';
import { PRESCRIPTIONS } from './prescription.service.js';

/** A dispensing record as the API shows it (the note only to prescription readers). */
export interface DispensingView {
  id: string;
  prescriptionId: string;
  prescriptionVersion: number;
  patientId: string;
  items: DispensedLine[];
  note?: string;
  dispensedBy: { staffId: string };
  dispensedAt: Date;
}

function toDispensingView(record: DispensingRecord, withNote: boolean): DispensingView {
  return {
    id: String(record._id),
    prescriptionId: String(record.prescriptionId),
    prescriptionVersion: record.prescriptionVersion,
    patientId: String(record.patientId),
    items: record.items.map((line) => ({
      itemId: line.itemId,
      status: line.status,
      ...(line.quantity !== undefined ? { quantity: line.quantity } : {}),
    })),
    ...(withNote && record.note ? { note: record.note } : {}),
    dispensedBy: { staffId: record.dispensedBy.staffId },
    dispensedAt: record.dispensedAt,
  };
}

/**
 * Records what the pharmacy dispensed for each line of `prescriptionId`: 409 when that version was
 * superseded (dispense the current one), 422 for a line that is not on it. Audited.
 */
export async function recordDispensing(
  actor: Actor,
  prescriptionId: string,
  input: DispensingInput,
): Promise<DispensingView> {
  const data = dispensingBody.parse(input);
  const prescription = await loadIssued<PrescriptionRecord>(PRESCRIPTIONS, actor.clinicId, prescriptionId);
  assertCan(actor, 'create', 'dispensing', { clinicId: actor.clinicId, patientId: prescription.patientId });
  if (prescription.status !== 'active') {
    throw conflict(
      `Version ${prescription.version} was replaced by version ${prescription.supersededByVersion ?? 'a newer one'}; dispense the current version`,
      {
        reason: 'superseded',
        ...(prescription.supersededByVersion ? { currentVersion: prescription.supersededByVersion } : {}),
      },
    );
  }
  const known = new Set(prescription.items.map((item) => item.id));
  const unknown = data.items.filter((line) => !known.has(line.itemId));
  if (unknown.length > 0)
    throw unprocessable('Some lines are not on this prescription', {
      reason: 'unknown_item',
      itemIds: unknown.map((line) => line.itemId),
    });

  const created = await Dispensing.create({
    clinicId: actor.clinicId,
    prescriptionId: prescription._id,
    prescriptionVersion: prescription.version,
    patientId: prescription.patientId,
    items: data.items,
    ...(data.note ? { note: data.note } : {}),
    dispensedBy: { staffId: actor.id },
    dispensedAt: new Date(),
  });
  const record = created.toObject() as unknown as DispensingRecord;
  await audit.record({
    actor,
    action: 'dispensing.recorded',
    entity: { type: 'prescription', id: prescription._id },
    diff: [
      { field: 'dispensingId', to: String(record._id) },
      { field: 'version', to: prescription.version },
      {
        field: 'lines',
        to: data.items.map(
          (line) => `${line.itemId}:${line.status}${line.quantity !== undefined ? `:${line.quantity}` : ''}`,
        ),
      },
      ...(data.note ? diffFields(null, { note: data.note }, { phi: ['note'] }) : []),
    ],
  });
  return toDispensingView(record, true);
}

/** The dispensing history of a prescription version, oldest first; audited. */
export async function listDispensings(actor: Actor, prescriptionId: string): Promise<DispensingView[]> {
  const prescription = await loadIssued<PrescriptionRecord>(PRESCRIPTIONS, actor.clinicId, prescriptionId);
  assertCan(actor, 'read', 'dispensing', { clinicId: actor.clinicId, patientId: prescription.patientId });
  const records = await Dispensing.find({ clinicId: actor.clinicId, prescriptionId: prescription._id })
    .sort({ dispensedAt: 1 })
    .lean<DispensingRecord[]>();
  const basis = actor.type === 'patient' ? 'own_patient' : actor.type === 'system' ? 'system' : 'dispensing';
  await recordClinicalRead(
    actor,
    { basis },
    {
      action: 'dispensing.viewed',
      entity: { type: 'prescription', id: prescription._id },
      patientId: prescription.patientId,
    },
  );
  const withNote = can(actor, 'read', 'prescriptions', { clinicId: actor.clinicId, patientId: prescription.patientId });
  return records.map((record) => toDispensingView(record, withNote));
}
