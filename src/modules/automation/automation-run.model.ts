/**
 * One record per rule job (its deterministic id): when it is due, and what became of it. The
 * rule-status view counts these per rule and clinic day; nothing here is PHI (ids and codes).
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';

/** What became of a job. `dropped`: its trigger went away (cancelled, rescheduled) before it ran. */
export const RUN_STATUSES = ['scheduled', 'done', 'skipped', 'failed', 'dropped'] as const;
/** One run status. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run as stored. */
export interface AutomationRunRecord {
  _id: string;
  clinicId: Types.ObjectId;
  rule: string;
  subjectId: string;
  dueAt: Date;
  /** Clinic-local date of `dueAt` (the status view is per day). */
  localDate: string;
  status: RunStatus;
  reason?: string;
  attempts: number;
  latenessMs?: number;
  finishedAt?: Date;
}

const runSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    rule: { type: String, required: true },
    subjectId: { type: String, required: true },
    dueAt: { type: Date, required: true },
    localDate: { type: String, required: true },
    status: { type: String, enum: RUN_STATUSES, required: true },
    reason: { type: String, maxlength: 80 },
    attempts: { type: Number, default: 0 },
    latenessMs: { type: Number },
    finishedAt: { type: Date },
  },
  { timestamps: true, collection: 'automation_runs' },
);

// The status view: one clinic day, grouped by rule and status.
runSchema.index({ clinicId: 1, localDate: 1, rule: 1, status: 1 });
// A subject's pending jobs of a rule (reminders of an appointment, to move or drop them).
runSchema.index({ subjectId: 1, rule: 1, status: 1 });

/** The AutomationRun model. */
export const AutomationRun = mongoose.model('AutomationRun', runSchema);
