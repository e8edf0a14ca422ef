/**
 * How an audit event is hashed. The hash covers every recorded field plus the previous event's
 * hash, in a canonical JSON (sorted keys, no undefined), so any edit, deletion or reordering of
 * stored events shows up as a mismatch when the chain is walked.
 *
 * Since v2 the hash is an HMAC-SHA256 under an audit key from config (AUDIT_HMAC_KEYS) that the
 * database never holds, named by `keyId` on the event for rotation: someone who can write to the
 * database can no longer recompute a forged event's hash (with a bare sha256 they could, and did).
 * v1 events (no keyId, bare sha256) from before the key existed still verify, but only as the
 * oldest part of a chain: an unkeyed event after a keyed one is a forgery (verify-chain.ts).
 */
import { createHash, createHmac } from 'node:crypto';
import { auditChainKey } from '../crypto/keyring.js';

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
  /** Which audit key the hash is an HMAC under; absent on legacy (v1, bare sha256) events. */
  keyId?: string | null;
}

/** Raised when an event names an audit key this process does not hold. */
export class UnknownAuditKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`audit key "${keyId}" is not configured (AUDIT_HMAC_KEYS)`);
    this.name = 'UnknownAuditKeyError';
  }
}

function hashedBody(event: HashedAuditFields, version: 1 | 2): Record<string, unknown> {
  return {
    v: version,
    ...(version === 2 ? { keyId: event.keyId } : {}),
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
}

/** The v1 hash: bare sha256 of the canonical JSON. Only for verifying events written before audit keys. */
export function legacyAuditEventHash(event: HashedAuditFields): string {
  return createHash('sha256')
    .update(canonicalJson(hashedBody(event, 1)), 'utf8')
    .digest('hex');
}

/**
 * The event's hash: HMAC-SHA256 under its `keyId`'s audit key (v2), or the legacy sha256 for an
 * event without a keyId. Throws UnknownAuditKeyError for a key id that is not configured.
 */
export function auditEventHash(event: HashedAuditFields): string {
  if (!event.keyId) return legacyAuditEventHash(event);
  const key = auditChainKey(event.keyId);
  if (!key) throw new UnknownAuditKeyError(event.keyId);
  return createHmac('sha256', key.key)
    .update(canonicalJson(hashedBody(event, 2)), 'utf8')
    .digest('hex');
}

/** The id of the audit key new events are keyed with. */
export function currentAuditKeyId(): string {
  return auditChainKey()!.id;
}
