/**
 * AuditEvent: one hash-chained, append-only record of who did what to which record.
 *
 * Each clinic has its own chain (`seq` 1, 2, 3… unique per clinic). Appends in different clinics
 * never contend, a clinic's trail can be exported and verified on its own, and multi-clinic
 * hosting stays one collection. A clinic's events still form a single total order, which is what
 * a chain needs.
 *
 * Append-only is enforced twice: no code path updates or deletes events, and the hooks below
 * refuse every mongoose update, replace and delete. Raw driver access bypasses hooks, which is
 * what the hash chain and `npm run audit:verify` are for (in production, also give the app's
 * database user only insert and find on this collection).
 */
import mongoose, { Schema } from 'mongoose';
import type { HydratedDocument } from 'mongoose';
import { ROLES } from '../actor.js';
import { AppError } from '../errors.js';
import type { HashedAuditFields } from './audit-hash.js';

/** A stored audit event. */
export interface AuditEventRecord extends HashedAuditFields {
  hash: string;
}

const hex64 = /^[0-9a-f]{64}$/;

// `$type` as the type key, because actor and entity have fields literally named `type`.
const schema = new Schema<AuditEventRecord>(
  {
    clinicId: { $type: String, required: true },
    seq: { $type: Number, required: true, min: 1 },
    at: { $type: Date, required: true },
    actor: {
      type: { $type: String, enum: ['staff', 'patient', 'system'], required: true },
      id: { $type: String, required: true },
      roles: { $type: [{ $type: String, enum: ROLES }] },
    },
    action: { $type: String, required: true },
    entity: {
      type: { $type: String, required: true },
      id: { $type: String, required: true },
    },
    diff: { $type: Schema.Types.Mixed, required: true },
    requestId: { $type: String },
    prevHash: { $type: String, required: true, match: hex64 },
    // Which audit key (AUDIT_HMAC_KEYS) the hash is an HMAC under; absent on legacy sha256 events.
    keyId: { $type: String },
    hash: { $type: String, required: true, match: hex64 },
  },
  { typeKey: '$type', collection: 'audit_events', versionKey: false, minimize: false, strict: 'throw' },
);

// The chain: audit.record reads the head (highest seq) and inserts seq + 1; two appenders that
// read the same head collide here and the loser retries. verifyAuditChain walks it in order.
schema.index({ clinicId: 1, seq: 1 }, { unique: true });
// A record's history, newest first: { clinicId, 'entity.type', 'entity.id' } sorted by seq desc.
schema.index({ clinicId: 1, 'entity.type': 1, 'entity.id': 1, seq: -1 });

function appendOnly(): AppError {
  return new AppError('audit_append_only', 500, 'Audit events are append-only; they cannot be changed or deleted');
}

schema.pre(['updateOne', 'deleteOne'], { document: true, query: true }, function () {
  throw appendOnly();
});
schema.pre(
  ['updateMany', 'replaceOne', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete', 'deleteMany'],
  { document: false, query: true },
  function () {
    throw appendOnly();
  },
);
schema.pre('save', function (this: HydratedDocument<AuditEventRecord>) {
  if (!this.isNew) throw appendOnly();
});
// Only audit.record computes seq and hashes, so it is the only way in.
schema.pre('insertMany', function (next) {
  next(new AppError('audit_append_only', 500, 'Append audit events through audit.record'));
});
schema.pre('bulkWrite', function (next) {
  next(new AppError('audit_append_only', 500, 'Append audit events through audit.record'));
});

/** The audit_events model. */
export const AuditEvent = mongoose.model<AuditEventRecord>('AuditEvent', schema);
