/**
 * Versioned clinical documents (prescriptions, diet plans): each visit has one series, issued as
 * version 1, 2, 3 … Issuing inserts a new immutable document (the unique index on
 * `{ clinicId, visitId, version }` decides a race) and then marks older active versions
 * superseded; nothing is edited in place, and every version stays readable with who issued it
 * and when. If the process dies between the insert and the supersede, the next issue repairs it
 * and readers treat the highest version as current.
 */
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import type { Model, Schema, Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import type { DocumentDelivery } from '../messaging/patient-documents.js';
import { canonicalJson } from '../../platform/audit/audit-hash.js';
import { recordedContentHash } from '../../platform/audit/recorded-hash.js';
import { conflict, notFound, unprocessable } from '../../platform/errors.js';
import { authorSchema } from './author.schema.js';
import type { ClinicalAuthor } from './author.schema.js';
import { assertClinicalWrite } from './clinical-access.js';
import { clinicalAuthorOf } from './clinical-author.js';
import { lockRecords } from './record-lock.js';
import type { VisitRecord } from './visit.model.js';

/** A version is active until a newer one supersedes it. */
export const ISSUED_STATUSES = ['active', 'superseded'] as const;
/** One issued-document status. */
export type IssuedStatus = (typeof ISSUED_STATUSES)[number];

/** The fields every issued document carries, besides its own content. */
export interface IssuedRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  visitId: Types.ObjectId;
  appointmentId: Types.ObjectId;
  patientId: Types.ObjectId;
  doctorId: Types.ObjectId;
  version: number;
  status: IssuedStatus;
  issuedAt: Date;
  issuedBy: ClinicalAuthor;
  /** SHA-256 of the canonical content, ids, version, issuer and time (printed on the PDF). */
  contentHash: string;
  supersededAt?: Date;
  supersededByVersion?: number;
  pdf?: { key: string; bytes: number; generatedAt: Date };
}

/** Schema fields of an issued document, to spread into its schema next to its content. */
export function issuedSchemaFields() {
  return {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    visitId: { type: mongoose.Schema.Types.ObjectId, required: true },
    appointmentId: { type: mongoose.Schema.Types.ObjectId, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    doctorId: { type: mongoose.Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true, min: 1 },
    status: { type: String, enum: ISSUED_STATUSES, default: 'active' },
    issuedAt: { type: Date, required: true },
    issuedBy: { type: authorSchema, required: true },
    contentHash: { type: String, required: true },
    supersededAt: { type: Date },
    supersededByVersion: { type: Number },
    pdf: { key: { type: String }, bytes: { type: Number }, generatedAt: { type: Date } },
  };
}

/** Makes the schema's documents immutable except for superseding and the stored PDF's key; adds the series indexes. */
export function lockIssuedSeries(schema: Schema, entity: string): void {
  lockRecords(schema, {
    entity,
    mutable: ['status', 'supersededAt', 'supersededByVersion', 'pdf'],
    setOnlyTo: { status: 'superseded' },
  });
  // One version number per visit's series; the latest version of a visit: sort by version desc.
  schema.index({ clinicId: 1, visitId: 1, version: -1 }, { unique: true });
  // A patient's active documents, newest first (history, pharmacy counter).
  schema.index({ clinicId: 1, patientId: 1, status: 1, issuedAt: -1 });
}

/** Which series a service works on. */
export interface SeriesSpec {
  /** Singular name for messages, e.g. `prescription`. */
  label: string;
  resource: 'prescriptions' | 'diet_plans';
  model: Model<unknown>;
  /** Refuse issuing without a registration number on the doctor's profile (prescriptions must print it). */
  requireRegistration: boolean;
}

/** The issued document `id` of the actor's clinic, or 404. */
export async function loadIssued<T extends IssuedRecord>(spec: SeriesSpec, clinicId: string, id: string): Promise<T> {
  const record = mongoose.isValidObjectId(id) ? await spec.model.findOne({ _id: id, clinicId }).lean<T>() : null;
  if (!record) throw notFound(spec.label.charAt(0).toUpperCase() + spec.label.slice(1));
  return record;
}

/** Every version of a visit's series, newest first. */
export async function seriesOfVisit<T extends IssuedRecord>(
  spec: SeriesSpec,
  clinicId: string,
  visitId: string | Types.ObjectId,
): Promise<T[]> {
  return spec.model.find({ clinicId, visitId }).sort({ version: -1 }).lean<T[]>();
}

/** A patient's active documents across visits, newest first. */
export async function activeOfPatient<T extends IssuedRecord>(
  spec: SeriesSpec,
  clinicId: string,
  patientId: string | Types.ObjectId,
  limit = 10,
): Promise<T[]> {
  return spec.model.find({ clinicId, patientId, status: 'active' }).sort({ issuedAt: -1 }).limit(limit).lean<T[]>();
}

function contentHashOf(
  spec: SeriesSpec,
  fields: Omit<IssuedRecord, '_id' | 'status' | 'contentHash'>,
  content: Record<string, unknown>,
): string {
  const body = {
    v: 1,
    kind: spec.label,
    clinicId: String(fields.clinicId),
    visitId: String(fields.visitId),
    patientId: String(fields.patientId),
    doctorId: String(fields.doctorId),
    version: fields.version,
    issuedAt: fields.issuedAt.toISOString(),
    issuedBy: fields.issuedBy,
    content,
  };
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/**
 * Issues the next version of the visit's series with `content`, by the visit's own doctor.
 * `supersedesVersion` (0 for the first) is the version the doctor was looking at: 409 if another
 * was issued meanwhile. Returns the stored document.
 */
export async function issueNextVersion<T extends IssuedRecord>(
  spec: SeriesSpec,
  actor: Actor,
  visit: VisitRecord,
  content: Record<string, unknown>,
  supersedesVersion: number | undefined,
): Promise<T> {
  const latest = await spec.model
    .findOne({ clinicId: visit.clinicId, visitId: visit._id }, { version: 1 })
    .sort({ version: -1 })
    .lean<{ version: number }>();
  const latestVersion = latest?.version ?? 0;
  assertClinicalWrite(actor, latestVersion === 0 ? 'create' : 'update', spec.resource, visit);
  if (supersedesVersion !== undefined && supersedesVersion !== latestVersion) {
    throw conflict(`Another version of this ${spec.label} was issued meanwhile; reload it first`, {
      reason: 'stale_version',
      currentVersion: latestVersion,
    });
  }
  const author = await clinicalAuthorOf(actor);
  if (spec.requireRegistration && !author.registrationNumber) {
    throw unprocessable(
      `Add your medical registration number to your profile before issuing a ${spec.label}; it must be printed on it`,
      { reason: 'registration_number_missing' },
    );
  }
  const fields = {
    clinicId: visit.clinicId,
    visitId: visit._id,
    appointmentId: visit.appointmentId,
    patientId: visit.patientId,
    doctorId: visit.doctorId,
    version: latestVersion + 1,
    issuedAt: new Date(),
    issuedBy: author,
  };
  let created: T;
  try {
    created = (
      await spec.model.create({
        ...fields,
        ...content,
        status: 'active',
        contentHash: contentHashOf(spec, fields, content),
      })
    ).toObject() as unknown as T;
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
    throw conflict(`Another version of this ${spec.label} was issued at the same moment; reload it first`, {
      reason: 'stale_version',
    });
  }
  await spec.model.updateMany(
    { clinicId: visit.clinicId, visitId: visit._id, version: { $lt: fields.version }, status: 'active' },
    { $set: { status: 'superseded', supersededAt: fields.issuedAt, supersededByVersion: fields.version } },
  );
  return created;
}

/** Records where the rendered PDF of `record` is stored. */
export async function attachPdf(
  spec: SeriesSpec,
  record: IssuedRecord,
  pdf: { key: string; bytes: number },
): Promise<void> {
  await spec.model.updateOne(
    { _id: record._id, clinicId: record.clinicId },
    { $set: { pdf: { ...pdf, generatedAt: new Date() } } },
  );
}

/** What every issued-document view shows besides its content. */
export interface IssuedView {
  id: string;
  visitId: string;
  appointmentId: string;
  patientId: string;
  doctorId: string;
  version: number;
  status: IssuedStatus;
  issuedAt: Date;
  issuedBy: ClinicalAuthor;
  contentHash: string;
  supersededAt?: Date;
  supersededByVersion?: number;
  /** The version's WhatsApp message (null: not sent); absent where it was not looked up (issued-delivery.ts). */
  whatsapp?: DocumentDelivery | null;
}

/** Maps the common fields of an issued document. */
export function toIssuedView(record: IssuedRecord): IssuedView {
  const author = record.issuedBy;
  return {
    id: String(record._id),
    visitId: String(record.visitId),
    appointmentId: String(record.appointmentId),
    patientId: String(record.patientId),
    doctorId: String(record.doctorId),
    version: record.version,
    status: record.status,
    issuedAt: record.issuedAt,
    issuedBy: {
      staffId: author.staffId,
      doctorId: author.doctorId,
      name: author.name,
      ...(author.registrationNumber ? { registrationNumber: author.registrationNumber } : {}),
      ...(author.qualifications ? { qualifications: author.qualifications } : {}),
    },
    contentHash: record.contentHash,
    ...(record.supersededAt ? { supersededAt: record.supersededAt } : {}),
    ...(record.supersededByVersion ? { supersededByVersion: record.supersededByVersion } : {}),
  };
}

/** What an issued document's verification found. */
export interface IssuedIntegrityReport {
  id: string;
  version: number;
  /** True when the stored content hash equals the one its `…issued` audit event recorded. */
  ok: boolean;
  storedHash: string;
  recordedHash: string | null;
  checkedAt: Date;
}

/**
 * Compares the stored content hash with the one the issuing audit event recorded in the keyed,
 * anchored chain: a document edited and re-hashed in the database no longer matches it.
 */
export async function checkIssuedIntegrity(spec: SeriesSpec, record: IssuedRecord): Promise<IssuedIntegrityReport> {
  const entityType = spec.resource === 'prescriptions' ? 'prescription' : 'diet_plan';
  const recordedHash = await recordedContentHash(
    String(record.clinicId),
    { type: entityType, id: String(record._id) },
    `${entityType}.issued`,
  );
  return {
    id: String(record._id),
    version: record.version,
    ok: recordedHash !== null && recordedHash === record.contentHash,
    storedHash: record.contentHash,
    recordedHash,
    checkedAt: new Date(),
  };
}
