/**
 * An escalation: a rule gave up after its last attempt, and a person must look. One per failed
 * job (the unique `key` is the job id), whatever the number of retries or workers.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';

/** An escalation as stored. */
export interface EscalationRecord {
  _id: Types.ObjectId;
  key: string;
  clinicId: Types.ObjectId;
  rule: string;
  team: 'frontdesk' | 'accounts';
  subject: { type: string; id: string };
  /** A code, never text from the error (which might quote a response). */
  reason: string;
  status: 'open' | 'resolved';
  resolvedAt?: Date;
  resolvedBy?: string;
  createdAt: Date;
}

const escalationSchema = new mongoose.Schema(
  {
    key: { type: String, required: true },
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    rule: { type: String, required: true },
    team: { type: String, enum: ['frontdesk', 'accounts'], required: true },
    subject: {
      type: { type: String, required: true },
      id: { type: String, required: true },
    },
    reason: { type: String, required: true, maxlength: 80 },
    status: { type: String, enum: ['open', 'resolved'], default: 'open' },
    resolvedAt: { type: Date },
    resolvedBy: { type: String },
  },
  { timestamps: true, collection: 'automation_escalations' },
);

// One escalation per failed job.
escalationSchema.index({ key: 1 }, { unique: true });
// The inbox: a team's open items, newest first.
escalationSchema.index({ clinicId: 1, status: 1, team: 1, createdAt: -1 });

/** The Escalation model. */
export const Escalation = mongoose.model('AutomationEscalation', escalationSchema);
