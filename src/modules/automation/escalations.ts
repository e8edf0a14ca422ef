/** Escalations: raised once per failed job, listed per team, resolved by a person (audited). */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { conflict, notFound } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import { assertCan } from '../../platform/rbac/can.js';
import { Escalation } from './escalation.model.js';
import type { EscalationRecord } from './escalation.model.js';

/** An escalation as the API and the staff panel show it. */
export interface EscalationView {
  id: string;
  rule: string;
  team: 'frontdesk' | 'accounts';
  subject: { type: string; id: string };
  reason: string;
  status: 'open' | 'resolved';
  createdAt: Date;
  resolvedAt?: Date;
  resolvedBy?: string;
}

function toView(record: EscalationRecord): EscalationView {
  return {
    id: String(record._id),
    rule: record.rule,
    team: record.team,
    subject: { type: record.subject.type, id: record.subject.id },
    reason: record.reason,
    status: record.status,
    createdAt: record.createdAt,
    ...(record.resolvedAt ? { resolvedAt: record.resolvedAt } : {}),
    ...(record.resolvedBy ? { resolvedBy: record.resolvedBy } : {}),
  };
}

/** Raises the escalation for `key` (a job id) unless it exists: true when this call raised it. */
export async function raiseEscalation(input: {
  key: string;
  clinicId: string;
  rule: string;
  team: 'frontdesk' | 'accounts';
  subject: { type: string; id: string };
  reason: string;
}): Promise<boolean> {
  const result = await Escalation.updateOne(
    { key: input.key },
    { $setOnInsert: { ...input, status: 'open' } },
    { upsert: true },
  ).catch((error: { code?: number }) => {
    // Two workers raising the same key at once: the unique index lets one insert.
    if (error.code === 11000) return { upsertedCount: 0 };
    throw error;
  });
  if (result.upsertedCount === 1) log().warn({ key: input.key, rule: input.rule, team: input.team }, 'escalated');
  return result.upsertedCount === 1;
}

/** Escalations of the actor's clinic, open first, optionally for one team or status. */
export async function listEscalations(
  actor: Actor,
  filter: { status?: 'open' | 'resolved'; team?: 'frontdesk' | 'accounts' } = {},
): Promise<EscalationView[]> {
  assertCan(actor, 'read', 'automation');
  const records = await Escalation.find({
    clinicId: actor.clinicId,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.team ? { team: filter.team } : {}),
  })
    .sort({ createdAt: -1 })
    .limit(500)
    .lean<EscalationRecord[]>();
  return records.map(toView);
}

/** Marks an open escalation resolved by the actor (409 if someone already did). */
export async function resolveEscalation(actor: Actor, id: string): Promise<EscalationView> {
  assertCan(actor, 'update', 'automation');
  if (!Types.ObjectId.isValid(id)) throw notFound('Escalation');
  const updated = await Escalation.findOneAndUpdate(
    { _id: id, clinicId: actor.clinicId, status: 'open' },
    { $set: { status: 'resolved', resolvedAt: new Date(), resolvedBy: actor.id } },
    { new: true },
  ).lean<EscalationRecord>();
  if (!updated) {
    const exists = await Escalation.exists({ _id: id, clinicId: actor.clinicId });
    if (!exists) throw notFound('Escalation');
    throw conflict('This escalation was already resolved', { currentStatus: 'resolved' });
  }
  await audit.record({
    actor,
    action: 'automation.escalation_resolved',
    entity: { type: 'automation_escalation', id },
    diff: [{ field: 'status', from: 'open', to: 'resolved' }],
  });
  return toView(updated);
}
