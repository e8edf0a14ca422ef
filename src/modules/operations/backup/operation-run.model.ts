/**
 * OperationRun: the outcome of each backup and restore drill (when, how long, how big, pass/fail,
 * why), read by /api/v1/operations/status (staff panel) and the Prometheus gauges.
 */
import mongoose, { Schema } from 'mongoose';

/** The kinds of runs recorded. */
export const OPERATION_KINDS = ['backup', 'drill'] as const;

/** One recorded run. */
export interface OperationRunRecord {
  kind: (typeof OPERATION_KINDS)[number];
  at: Date;
  ok: boolean;
  backupId?: string;
  durationMs: number;
  bytes?: number;
  documents?: number;
  /** Why it failed: a code and message, never data. */
  error?: string;
}

const schema = new Schema<OperationRunRecord>(
  {
    kind: { type: String, enum: OPERATION_KINDS, required: true },
    at: { type: Date, required: true },
    ok: { type: Boolean, required: true },
    backupId: { type: String },
    durationMs: { type: Number, required: true },
    bytes: { type: Number },
    documents: { type: Number },
    error: { type: String },
  },
  { collection: 'operation_runs', versionKey: false },
);
// The latest run of a kind (and the latest successful one): { kind, ok, at: -1 } sorted by at desc.
schema.index({ kind: 1, ok: 1, at: -1 });
schema.index({ kind: 1, at: -1 });

/** The operation_runs model. */
export const OperationRun = mongoose.model<OperationRunRecord>('OperationRun', schema);
