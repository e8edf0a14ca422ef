/**
 * How an audit event is hashed. The hash covers every recorded field plus the previous event's
 * hash, in a canonical JSON (sorted keys, no undefined), so any edit, deletion or reordering of
 * stored events shows up as a mismatch when the chain is walked.
 */
import { createHash } from 'node:crypto';

/** The prevHash of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level; undefined members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/** One change in an audit diff: non-PHI values as they were, PHI as keyed digests. */
export interface AuditDiffEntry {
  field: string;
  from?: unknown;
  to?: unknown;
}

/** The fields of an event that its hash covers (everything but `_id` and `hash`). */
export interface HashedAuditFields {
  clinicId: string;
  seq: number;
  at: Date;
  actor: { type: string; id: string; roles: readonly string[] };
  action: string;
  entity: { type: string; id: string };
  diff: readonly AuditDiffEntry[];
  requestId?: string | null;
  prevHash: string;
}

/** sha256 (hex) of the canonical JSON of the event's fields, chained through prevHash. */
export function auditEventHash(event: HashedAuditFields): string {
  const body = {
    v: 1,
    clinicId: event.clinicId,
    seq: event.seq,
    at: event.at.toISOString(),
    actor: { type: event.actor.type, id: event.actor.id, roles: [...event.actor.roles] },
    action: event.action,
    entity: { type: event.entity.type, id: event.entity.id },
    diff: event.diff,
    requestId: event.requestId ?? null,
    prevHash: event.prevHash,
  };
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}
