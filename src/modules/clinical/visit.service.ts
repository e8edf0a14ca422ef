/**
 * Visits: opened when the appointment is checked in (or on demand), autosaved as a draft with an
 * optimistic version, and locked by sign-off. Every save is a conditional update on
 * `{ status: 'draft', version }`, so a stale tab gets 409 instead of overwriting, and a replay of
 * the save that already went through (a retried request) is answered as a success.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { diffFields } from '../../platform/audit/audit-diff.js';
import { canonicalJson } from '../../platform/audit/audit-hash.js';
import { phiDigest } from '../../platform/crypto/keyring.js';
import { publish } from '../../platform/domain-events.js';
import { conflict, notFound, unprocessable } from '../../platform/errors.js';
import { getAppointment } from '../appointments/appointment.service.js';
import { assertClinicalWrite, authorizeClinicalRead, recordClinicalRead } from './clinical-access.js';
import { clinicalAuthorOf } from './clinical-author.js';
import { NOTE_HASH_VERSION, noteHash } from './note-hash.js';
import { draftBody, signBody, vitalsBody } from './visit.schemas.js';
import type { DraftInput } from './visit.schemas.js';
import { Visit } from './visit.model.js';
import type { VisitRecord } from './visit.model.js';
import { toDraftSaved, toVisitDetail, toVisitShell } from './visit.views.js';
import type { DraftSaved, VisitDetail, VisitShell } from './visit.views.js';
import { normaliseVitals } from './vitals.js';

/** Appointment states in which a visit exists: the patient has arrived. */
const VISIT_STATES = ['checked_in', 'in_consult', 'completed'];
/** Note fields a draft save may write (the audit diff digests all of them). */
const NOTE_FIELDS = ['vitals', 'chiefComplaint', 'soap', 'diagnoses', 'followUp'] as const;
const SOAP_SECTIONS = ['subjective', 'objective', 'assessment', 'plan'] as const;

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

/** The stored visit `visitId` of `clinicId`, or 404. */
export async function loadVisit(clinicId: string, visitId: string): Promise<VisitRecord> {
  const visit = Types.ObjectId.isValid(visitId)
    ? await Visit.findOne({ _id: visitId, clinicId }).lean<VisitRecord>()
    : null;
  if (!visit) throw notFound('Visit');
  return visit;
}

/** The stored visit of an appointment, if one was opened. */
export async function visitOfAppointment(clinicId: string, appointmentId: string): Promise<VisitRecord | null> {
  return Visit.findOne({ clinicId, appointmentId }).lean<VisitRecord>();
}

/**
 * The visit of `appointmentId`, created if missing (idempotent: the unique index on the
 * appointment decides a race). The system does it at check-in; front desk and the appointment's
 * own doctor may too. 409 unless the patient has arrived.
 */
export async function openVisit(actor: Actor, appointmentId: string): Promise<VisitRecord> {
  const appointment = await getAppointment(actor, appointmentId);
  assertClinicalWrite(actor, 'create', 'visits', {
    clinicId: actor.clinicId,
    patientId: appointment.patientId,
    doctorId: appointment.doctorId,
  });
  const existing = await visitOfAppointment(actor.clinicId, appointment.id);
  if (existing) return existing;
  if (!VISIT_STATES.includes(appointment.status)) {
    throw conflict('The patient has not been checked in for this appointment yet', {
      reason: 'not_checked_in',
      currentStatus: appointment.status,
    });
  }
  let created: VisitRecord;
  try {
    const doc = await Visit.create({
      clinicId: actor.clinicId,
      appointmentId: appointment.id,
      patientId: appointment.patientId,
      doctorId: appointment.doctorId,
      startAt: appointment.startAt,
      localDate: appointment.localDate,
      createdBy: { id: actor.id, type: actor.type },
    });
    created = doc.toObject() as VisitRecord;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return (await visitOfAppointment(actor.clinicId, appointment.id))!;
  }
  await audit.record({
    actor,
    action: 'visit.opened',
    entity: { type: 'visit', id: created._id },
    diff: [{ field: 'appointmentId', to: appointment.id }],
  });
  return created;
}

/** Opens the visit of a checked-in appointment and returns it without clinical content (front desk). */
export async function openVisitShell(actor: Actor, appointmentId: string): Promise<VisitShell> {
  return toVisitShell(await openVisit(actor, appointmentId));
}

/** One visit with its note, for a reader the access rules admit; audited. Patients see signed notes only. */
export async function getVisit(actor: Actor, visitId: string): Promise<VisitDetail> {
  const visit = await loadVisit(actor.clinicId, visitId);
  const grant = await authorizeClinicalRead(actor, 'visits', visit);
  if (actor.type === 'patient' && visit.status !== 'signed') throw notFound('Visit');
  await recordClinicalRead(actor, grant, {
    action: 'visit.viewed',
    entity: { type: 'visit', id: visit._id },
    patientId: visit.patientId,
  });
  return toVisitDetail(visit);
}

function lockedError() {
  return conflict('This visit note is signed and locked; add an addendum instead', { reason: 'record_locked' });
}

function staleError(visit: VisitRecord) {
  return conflict('The note was saved from somewhere else meanwhile; reload it before saving again', {
    reason: 'stale_version',
    currentVersion: visit.version,
    ...(visit.lastSave?.at ? { savedAt: visit.lastSave.at, savedBy: visit.lastSave.by } : {}),
  });
}

type ParsedDraft = ReturnType<typeof draftBody.parse>;

/** The note fields as they will be after applying `data` (only fields the draft names). */
function nextValues(data: ParsedDraft): Map<string, unknown> {
  const next = new Map<string, unknown>();
  const blankToNull = (value: string | null | undefined) =>
    value === undefined ? undefined : value === null || value === '' ? null : value;
  if (data.chiefComplaint !== undefined) next.set('chiefComplaint', blankToNull(data.chiefComplaint));
  for (const section of SOAP_SECTIONS) {
    const value = blankToNull(data.soap?.[section]);
    if (value !== undefined) next.set(`soap.${section}`, value);
  }
  if (data.diagnoses !== undefined)
    next.set('diagnoses', data.diagnoses && data.diagnoses.length > 0 ? data.diagnoses : null);
  if (data.followUp !== undefined) {
    const followUp = data.followUp && {
      ...(data.followUp.advice ? { advice: data.followUp.advice } : {}),
      ...(data.followUp.inDays ? { inDays: data.followUp.inDays } : {}),
    };
    next.set('followUp', followUp && Object.keys(followUp).length > 0 ? followUp : null);
  }
  if (data.vitals !== undefined) {
    const vitals = data.vitals && normaliseVitals(data.vitals);
    next.set('vitals', vitals && Object.keys(vitals).length > 0 ? vitals : null);
  }
  return next;
}

function currentValue(visit: VisitRecord, path: string): unknown {
  if (path.startsWith('soap.')) return visit.soap?.[path.slice(5) as (typeof SOAP_SECTIONS)[number]] ?? null;
  return visit[path as (typeof NOTE_FIELDS)[number]] ?? null;
}

function noteSnapshot(visit: VisitRecord): Record<string, unknown> {
  return {
    vitals: visit.vitals,
    chiefComplaint: visit.chiefComplaint,
    soap: visit.soap,
    diagnoses: visit.diagnoses,
    followUp: visit.followUp,
  };
}

/**
 * Saves the editor's draft: `version` must be the stored one (409 `stale_version` otherwise, with
 * the current version); a repeat of the last save (same base version, same content) returns the
 * saved state; a save that changes nothing writes nothing. Signed notes refuse (409). Audited with
 * digests of the changed fields.
 */
export async function saveDraft(actor: Actor, visitId: string, input: DraftInput): Promise<DraftSaved> {
  const data = draftBody.parse(input);
  const visit = await loadVisit(actor.clinicId, visitId);
  assertClinicalWrite(actor, 'update', 'visits', visit);
  if (visit.status === 'signed') throw lockedError();
  const next = nextValues(data);
  const digest = phiDigest(canonicalJson(Object.fromEntries(next)));
  const isReplay = (current: VisitRecord) =>
    current.lastSave?.baseVersion === data.version &&
    current.lastSave.digest === digest &&
    current.version === data.version + 1;
  if (data.version !== visit.version) {
    if (isReplay(visit)) return toDraftSaved(visit);
    throw staleError(visit);
  }
  const changed = [...next].filter(
    ([path, value]) => canonicalJson(currentValue(visit, path)) !== canonicalJson(value),
  );
  if (changed.length === 0) return toDraftSaved(visit);

  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  for (const [path, value] of changed) {
    if (value === null) unset[path] = 1;
    else set[path] = value;
  }
  const now = new Date();
  set.lastSave = { baseVersion: data.version, digest, at: now, by: actor.id };
  const saved = await Visit.findOneAndUpdate(
    { _id: visit._id, clinicId: visit.clinicId, status: 'draft', version: data.version },
    { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}), $inc: { version: 1 } },
    { new: true },
  ).lean<VisitRecord>();
  if (!saved) {
    const current = await loadVisit(actor.clinicId, visitId);
    if (current.status === 'signed') throw lockedError();
    if (isReplay(current)) return toDraftSaved(current);
    throw staleError(current);
  }
  await audit.record({
    actor,
    action: 'visit.draft_saved',
    entity: { type: 'visit', id: visit._id },
    diff: [
      ...diffFields(noteSnapshot(visit), noteSnapshot(saved), { phi: NOTE_FIELDS }),
      { field: 'version', from: visit.version, to: saved.version },
    ],
  });
  return toDraftSaved(saved);
}

/** Saves the vitals (replacing the previous set) as a draft save with the same version rules. */
export async function saveVitals(
  actor: Actor,
  visitId: string,
  input: { version: number; vitals: unknown },
): Promise<DraftSaved> {
  const data = vitalsBody.parse(input);
  return saveDraft(actor, visitId, { version: data.version, vitals: data.vitals });
}

function hasNote(visit: VisitRecord): boolean {
  return Boolean(
    visit.chiefComplaint ||
      SOAP_SECTIONS.some((section) => visit.soap?.[section]) ||
      (visit.diagnoses ?? []).length > 0,
  );
}

/**
 * Signs the note at `version` (the one the doctor saw): stores the SHA-256 of the canonical
 * signed content, the signer and the time in one conditional update, after which the model refuses
 * any change to the note. A retry of a sign-off that already went through returns the signed note.
 * Publishes `visit.signed`.
 */
export async function signVisit(actor: Actor, visitId: string, input: { version: number }): Promise<VisitDetail> {
  const data = signBody.parse(input);
  const visit = await loadVisit(actor.clinicId, visitId);
  assertClinicalWrite(actor, 'sign', 'visits', visit);
  if (visit.status === 'signed') {
    if (visit.signedBy?.staffId === actor.id && visit.version === data.version + 1) return toVisitDetail(visit);
    throw conflict('This visit note is already signed', { reason: 'already_signed' });
  }
  if (data.version !== visit.version) throw staleError(visit);
  if (!hasNote(visit))
    throw unprocessable('There is nothing to sign yet: write the complaint, the note or a diagnosis first', {
      reason: 'empty_note',
    });

  const signer = await clinicalAuthorOf(actor);
  const signedAt = new Date();
  const contentHash = noteHash(visit, signedAt, signer);
  const signed = await Visit.findOneAndUpdate(
    { _id: visit._id, clinicId: visit.clinicId, status: 'draft', version: data.version },
    {
      $set: { status: 'signed', signedAt, signedBy: signer, contentHash, hashVersion: NOTE_HASH_VERSION },
      $inc: { version: 1 },
    },
    { new: true },
  ).lean<VisitRecord>();
  if (!signed) {
    const current = await loadVisit(actor.clinicId, visitId);
    throw current.status === 'signed'
      ? conflict('This visit note is already signed', { reason: 'already_signed' })
      : staleError(current);
  }
  await audit.record({
    actor,
    action: 'visit.signed',
    entity: { type: 'visit', id: visit._id },
    diff: [
      { field: 'status', from: 'draft', to: 'signed' },
      { field: 'contentHash', to: contentHash },
      { field: 'signedAt', to: signedAt.toISOString() },
    ],
  });
  await publish('visit.signed', {
    clinicId: actor.clinicId,
    visitId: String(visit._id),
    appointmentId: String(visit.appointmentId),
    doctorId: String(visit.doctorId),
    patientId: String(visit.patientId),
  });
  return toVisitDetail(signed);
}
