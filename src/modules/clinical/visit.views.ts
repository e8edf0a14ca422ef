/** What callers see of a visit: the full note (clinical readers), a shell (front desk) or a history line. */
import type { AddendumRecord, ClinicalAuthor, Diagnosis, FollowUp, VisitRecord, VisitStatus } from './visit.model.js';
import type { Vitals } from './vitals.js';

/** One addendum as shown. */
export interface AddendumView {
  seq: number;
  at: Date;
  author: ClinicalAuthor;
  text: string;
  reason: string;
  hash: string;
}

/** The signature of a signed note. */
export interface SignatureView {
  signedAt: Date;
  signer: ClinicalAuthor;
  contentHash: string;
  hashVersion: number;
}

/** A visit opened in the editor or the record. */
export interface VisitDetail {
  id: string;
  appointmentId: string;
  patientId: string;
  doctorId: string;
  startAt: Date;
  localDate: string;
  status: VisitStatus;
  /** Send it back with the next draft save or sign-off. */
  version: number;
  vitals: Vitals | null;
  chiefComplaint: string | null;
  soap: { subjective: string | null; objective: string | null; assessment: string | null; plan: string | null };
  diagnoses: Diagnosis[];
  followUp: FollowUp | null;
  lastSavedAt?: Date;
  signature?: SignatureView;
  addenda: AddendumView[];
  createdAt: Date;
  updatedAt: Date;
}

/** A visit without clinical content: what front desk gets when it opens one at check-in. */
export interface VisitShell {
  id: string;
  appointmentId: string;
  patientId: string;
  doctorId: string;
  status: VisitStatus;
  startAt: Date;
  localDate: string;
  createdAt: Date;
}

/** A past visit in a patient's history. */
export interface VisitSummary {
  id: string;
  appointmentId: string;
  doctorId: string;
  doctorName?: string;
  startAt: Date;
  localDate: string;
  status: VisitStatus;
  chiefComplaint: string | null;
  diagnoses: Diagnosis[];
  signedAt?: Date;
  addendaCount: number;
}

/** The answer to a draft save: small, so autosave stays cheap. */
export interface DraftSaved {
  id: string;
  status: VisitStatus;
  version: number;
  savedAt: Date;
  vitals: Vitals | null;
}

function toAddendumView(addendum: AddendumRecord): AddendumView {
  return {
    seq: addendum.seq,
    at: addendum.at,
    author: toAuthor(addendum.author),
    text: addendum.text,
    reason: addendum.reason,
    hash: addendum.hash,
  };
}

function toAuthor(author: ClinicalAuthor): ClinicalAuthor {
  return {
    staffId: author.staffId,
    doctorId: author.doctorId,
    name: author.name,
    ...(author.registrationNumber ? { registrationNumber: author.registrationNumber } : {}),
    ...(author.qualifications ? { qualifications: author.qualifications } : {}),
  };
}

/** Maps a stored visit to the shell view. */
export function toVisitShell(visit: VisitRecord): VisitShell {
  return {
    id: String(visit._id),
    appointmentId: String(visit.appointmentId),
    patientId: String(visit.patientId),
    doctorId: String(visit.doctorId),
    status: visit.status,
    startAt: visit.startAt,
    localDate: visit.localDate,
    createdAt: visit.createdAt,
  };
}

/** Maps a stored visit (encrypted fields opened) to the full view. */
export function toVisitDetail(visit: VisitRecord): VisitDetail {
  const soap = visit.soap ?? {};
  return {
    ...toVisitShell(visit),
    version: visit.version ?? 0,
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
    ...(visit.lastSave?.at ? { lastSavedAt: visit.lastSave.at } : {}),
    ...(visit.status === 'signed' && visit.signedAt && visit.signedBy && visit.contentHash
      ? {
          signature: {
            signedAt: visit.signedAt,
            signer: toAuthor(visit.signedBy),
            contentHash: visit.contentHash,
            hashVersion: visit.hashVersion ?? 1,
          },
        }
      : {}),
    addenda: [...(visit.addenda ?? [])].sort((a, b) => a.seq - b.seq).map(toAddendumView),
    updatedAt: visit.updatedAt,
  };
}

/** Maps a stored visit to a line of the patient's history. */
export function toVisitSummary(visit: VisitRecord, doctorName?: string): VisitSummary {
  return {
    id: String(visit._id),
    appointmentId: String(visit.appointmentId),
    doctorId: String(visit.doctorId),
    ...(doctorName ? { doctorName } : {}),
    startAt: visit.startAt,
    localDate: visit.localDate,
    status: visit.status,
    chiefComplaint: visit.chiefComplaint ?? null,
    diagnoses: visit.diagnoses ?? [],
    ...(visit.signedAt ? { signedAt: visit.signedAt } : {}),
    addendaCount: visit.addendaCount ?? 0,
  };
}

/** Maps a stored visit to the autosave answer. */
export function toDraftSaved(visit: VisitRecord): DraftSaved {
  return {
    id: String(visit._id),
    status: visit.status,
    version: visit.version ?? 0,
    savedAt: visit.lastSave?.at ?? visit.updatedAt,
    vitals: visit.vitals ?? null,
  };
}
