/**
 * After sign-off a note changes only by addenda: each one is appended by a conditional `$push` on
 * the current addenda count (so two racing addenda cannot both become number n), carries its
 * author, time, text and reason, and is hashed into a chain that starts at the note's hash.
 * Verification recomputes the note's hash and walks that chain.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { recordedContentHash } from '../../platform/audit/recorded-hash.js';
import { diffFields } from '../../platform/audit/audit-diff.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { can } from '../../platform/rbac/can.js';
import { assertClinicalWrite, authorizeClinicalRead, recordClinicalRead } from './clinical-access.js';
import type { ReadGrant } from './clinical-access.js';
import { clinicalAuthorOf } from './clinical-author.js';
import { addendumHash, checkIntegrity } from './note-hash.js';
import type { IntegrityReport } from './note-hash.js';
import { addendumBody } from './visit.schemas.js';
import type { AddendumInput } from './visit.schemas.js';
import { Visit } from './visit.model.js';
import type { AddendumRecord, VisitRecord } from './visit.model.js';
import { loadVisit } from './visit.service.js';
import type { AddendumView } from './visit.views.js';

/** Racing addenda retry this often before giving up with 409. */
const APPEND_ATTEMPTS = 5;

/** A double-submitted addendum (same author, text and reason moments after the last one) is answered, not appended twice. */
const REPEAT_WINDOW_MS = 2 * 60_000;

function isRepeat(last: AddendumRecord, actor: Actor, data: { text: string; reason: string }): boolean {
  return (
    last.author.staffId === actor.id &&
    last.text === data.text &&
    last.reason === data.reason &&
    Date.now() - last.at.getTime() < REPEAT_WINDOW_MS
  );
}

function toAddendumView(addendum: AddendumRecord): AddendumView {
  return {
    seq: addendum.seq,
    at: addendum.at,
    author: addendum.author,
    text: addendum.text,
    reason: addendum.reason,
    hash: addendum.hash,
  };
}

/**
 * Appends an addendum to the actor's own signed note (409 on a draft: edit the draft instead).
 * Audited with digests of the text and reason; a double submit returns the addendum already made.
 */
export async function addAddendum(actor: Actor, visitId: string, input: AddendumInput): Promise<AddendumView> {
  const data = addendumBody.parse(input);
  let visit = await loadVisit(actor.clinicId, visitId);
  assertClinicalWrite(actor, 'update', 'visits', visit);
  if (visit.status !== 'signed')
    throw conflict('The note is still a draft; change the draft instead of adding an addendum', {
      reason: 'not_signed',
    });
  const author = await clinicalAuthorOf(actor);

  for (let attempt = 1; attempt <= APPEND_ATTEMPTS; attempt++) {
    const count = visit.addendaCount ?? 0;
    const last = [...visit.addenda].sort((a, b) => b.seq - a.seq)[0];
    if (last && isRepeat(last, actor, data)) return toAddendumView(last);
    const content: Omit<AddendumRecord, 'hash'> = {
      seq: count + 1,
      at: new Date(),
      author,
      text: data.text,
      reason: data.reason,
      prevHash: last?.hash ?? visit.contentHash!,
    };
    const addendum: AddendumRecord = { ...content, hash: addendumHash(String(visit._id), content) };
    const result = await Visit.updateOne(
      { _id: visit._id, clinicId: visit.clinicId, status: 'signed', addendaCount: count },
      { $push: { addenda: addendum }, $inc: { addendaCount: 1 } },
    );
    if (result.modifiedCount === 1) {
      await audit.record({
        actor,
        action: 'visit.addendum_added',
        entity: { type: 'visit', id: visit._id },
        diff: [
          ...diffFields(
            null,
            { addendumText: data.text, addendumReason: data.reason },
            { phi: ['addendumText', 'addendumReason'] },
          ),
          { field: 'addendumSeq', to: addendum.seq },
          { field: 'addendumHash', to: addendum.hash },
        ],
      });
      return toAddendumView(addendum);
    }
    visit = await loadVisit(actor.clinicId, visitId);
  }
  throw conflict('Other addenda are being added to this note right now; try again', { reason: 'addendum_contention' });
}

/** May `actor` check a note's integrity? Auditors (audit readers) may, and anyone who may read the note. */
async function integrityGrant(actor: Actor, visit: VisitRef): Promise<ReadGrant> {
  if (actor.type === 'staff' && can(actor, 'read', 'audit')) return { basis: 'auditor' };
  return authorizeClinicalRead(actor, 'visits', visit);
}

type VisitRef = Pick<VisitRecord, '_id' | 'clinicId' | 'patientId' | 'doctorId' | 'status'>;

/** The visit's ids and status only: readable even when tampered ciphertext no longer opens. */
async function loadVisitRef(clinicId: string, visitId: string): Promise<VisitRef> {
  const ref = Types.ObjectId.isValid(visitId)
    ? await Visit.findOne(
        { _id: visitId, clinicId },
        { clinicId: 1, patientId: 1, doctorId: 1, status: 1 },
      ).lean<VisitRef>()
    : null;
  if (!ref) throw notFound('Visit');
  return ref;
}

/**
 * Recomputes the signed note's SHA-256 and every addendum's and reports whether they still match
 * what was stored at signing (a mismatch means the stored record was altered behind the
 * application's back; so does a ciphertext that no longer opens). Reveals hashes only; audited.
 */
export async function verifyVisitIntegrity(actor: Actor, visitId: string): Promise<IntegrityReport> {
  const ref = await loadVisitRef(actor.clinicId, visitId);
  const grant = await integrityGrant(actor, ref);
  let report: IntegrityReport;
  try {
    report = checkIntegrity(await loadVisit(actor.clinicId, visitId));
    if (report.note) {
      // A note edited and re-hashed in the database matches itself, but not the hash its signing recorded in the keyed chain.
      const recordedHash = await recordedContentHash(
        actor.clinicId,
        { type: 'visit', id: report.visitId },
        'visit.signed',
      );
      const match = recordedHash === report.note.storedHash;
      report = { ...report, ok: report.ok && match, audit: { recordedHash, match } };
    }
  } catch (error) {
    if (!(error instanceof AppError) || !error.code.startsWith('field_')) throw error;
    report = {
      visitId: String(ref._id),
      status: ref.status,
      ok: false,
      problem: 'unreadable',
      addenda: [],
      checkedAt: new Date(),
    };
  }
  await recordClinicalRead(actor, grant, {
    action: 'visit.integrity_checked',
    entity: { type: 'visit', id: ref._id },
    patientId: ref.patientId,
    details: [{ field: 'ok', to: report.ok }],
  });
  return report;
}
