/**
 * What a signature covers, and its hash. The signed content is put into one canonical JSON form
 * (sorted keys, absent values as null, dates as ISO strings) and hashed with SHA-256; the same
 * function runs at sign-off and at verification, so any later change to the stored note, its ids,
 * the signer or the signing time shows up as a mismatch. Addenda chain onto the note: each one's
 * hash covers its own content and the hash before it.
 *
 * `NOTE_HASH_VERSION` names this canonical form; a future form gets a new number and old notes
 * keep verifying under the form they were signed with.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../platform/audit/audit-hash.js';
import type { AddendumRecord, ClinicalAuthor, VisitRecord } from './visit.model.js';

/** The canonical form in use. */
export const NOTE_HASH_VERSION = 1;

/** The fields of a visit that its signature covers. */
export type SignableVisit = Pick<
  VisitRecord,
  | '_id'
  | 'clinicId'
  | 'appointmentId'
  | 'patientId'
  | 'doctorId'
  | 'vitals'
  | 'chiefComplaint'
  | 'soap'
  | 'diagnoses'
  | 'followUp'
>;

function sha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

function authorOf(author: ClinicalAuthor) {
  return {
    staffId: author.staffId,
    doctorId: author.doctorId,
    name: author.name,
    registrationNumber: author.registrationNumber ?? null,
    qualifications: author.qualifications ?? null,
  };
}

/** The canonical signed content of `visit` as signed by `signer` at `signedAt`. */
export function signedContentOf(visit: SignableVisit, signedAt: Date, signer: ClinicalAuthor): Record<string, unknown> {
  const soap = visit.soap ?? {};
  return {
    v: NOTE_HASH_VERSION,
    clinicId: String(visit.clinicId),
    visitId: String(visit._id),
    appointmentId: String(visit.appointmentId),
    patientId: String(visit.patientId),
    doctorId: String(visit.doctorId),
    vitals: visit.vitals ?? null,
    chiefComplaint: visit.chiefComplaint ?? null,
    soap: {
      subjective: soap.subjective ?? null,
      objective: soap.objective ?? null,
      assessment: soap.assessment ?? null,
      plan: soap.plan ?? null,
    },
    diagnoses: visit.diagnoses ?? [],
    followUp: visit.followUp ?? null,
    signedAt: signedAt.toISOString(),
    signer: authorOf(signer),
  };
}

/** SHA-256 (hex) of the signed content. */
export function noteHash(visit: SignableVisit, signedAt: Date, signer: ClinicalAuthor): string {
  return sha256(signedContentOf(visit, signedAt, signer));
}

/** SHA-256 (hex) of one addendum, chained to `prevHash` (the previous addendum's hash, or the note's). */
export function addendumHash(visitId: string, addendum: Omit<AddendumRecord, 'hash'>): string {
  return sha256({
    v: NOTE_HASH_VERSION,
    visitId,
    seq: addendum.seq,
    at: addendum.at.toISOString(),
    author: authorOf(addendum.author),
    text: addendum.text,
    reason: addendum.reason,
    prevHash: addendum.prevHash,
  });
}

/** What a verification found. */
export interface IntegrityReport {
  visitId: string;
  status: VisitRecord['status'];
  /** True when the note is signed and every hash matches. */
  ok: boolean;
  /** Why it could not be checked: the note is not signed, or its stored ciphertext no longer opens. */
  problem?: 'not_signed' | 'unreadable';
  note?: { storedHash: string; computedHash: string; match: boolean };
  addenda: { seq: number; match: boolean; chained: boolean }[];
  /** The content hash the `visit.signed` audit event recorded, and whether the stored one still equals it. */
  audit?: { recordedHash: string | null; match: boolean };
  checkedAt: Date;
}

/** Recomputes the note's hash and every addendum's, and checks the chain links. */
export function checkIntegrity(visit: VisitRecord, now = new Date()): IntegrityReport {
  const visitId = String(visit._id);
  if (visit.status !== 'signed' || !visit.signedAt || !visit.signedBy || !visit.contentHash) {
    return { visitId, status: visit.status, ok: false, problem: 'not_signed', addenda: [], checkedAt: now };
  }
  const computedHash = noteHash(visit, visit.signedAt, visit.signedBy);
  const note = { storedHash: visit.contentHash, computedHash, match: computedHash === visit.contentHash };
  let previous = visit.contentHash;
  const addenda = [...(visit.addenda ?? [])]
    .sort((a, b) => a.seq - b.seq)
    .map((addendum, index) => {
      const { hash, ...content } = addendum;
      const result = {
        seq: addendum.seq,
        match: addendumHash(visitId, content) === hash,
        chained: addendum.prevHash === previous && addendum.seq === index + 1,
      };
      previous = hash;
      return result;
    });
  const ok =
    note.match &&
    addenda.every((entry) => entry.match && entry.chained) &&
    addenda.length === (visit.addendaCount ?? addenda.length);
  return { visitId, status: visit.status, ok, note, addenda, checkedAt: now };
}
