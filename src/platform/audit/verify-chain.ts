/**
 * Walks each clinic's audit chain in seq order and reports the first broken link: an edited event
 * (its keyed hash no longer matches its content), a deleted one (a gap in seq, or a prevHash that
 * does not match the event before), a reordered one (seq is hashed, so moving an event breaks
 * both), or a forgery re-hashed without the audit key (an unkeyed event after keyed ones, or a
 * keyed hash that does not match). Deleting the newest events leaves a valid but shorter chain:
 * the anchors (heads kept outside the database, anchors.ts) catch that, and any event that no
 * longer matches an anchored head.
 */
import type { Model } from 'mongoose';
import { AuditEvent } from './audit-event.model.js';
import type { AuditEventRecord } from './audit-event.model.js';
import type { AnchorSource, ChainHead } from './anchors.js';
import { GENESIS_HASH, UnknownAuditKeyError, auditEventHash } from './audit-hash.js';

/** Why a link is broken. */
export type BrokenLinkCode =
  | 'seq_gap'
  | 'seq_duplicate'
  | 'prev_hash_mismatch'
  | 'hash_mismatch'
  | 'unkeyed'
  | 'unknown_key'
  | 'malformed'
  | 'anchor_mismatch'
  | 'truncated'
  | 'anchor_forged';

/** The first broken link found. */
export interface BrokenLink {
  clinicId: string;
  seq: number;
  code: BrokenLinkCode;
  reason: string;
}

/** Outcome of a verification: `checked` events, over `chains` clinics (and `anchors` compared, when given). */
export interface ChainReport {
  ok: boolean;
  checked: number;
  chains: number;
  firstBroken?: BrokenLink;
  /** Anchored heads compared with the chain (only when anchor sources were given). */
  anchors?: number;
  /** Events from before audit keys (bare sha256), accepted only as the oldest part of a chain. */
  legacy?: number;
}

/** An event source walked before the hot collection (archived segments), in seq order. */
export type EarlierEvents = (clinicId: string) => AsyncIterable<AuditEventRecord>;

/** What to verify against. */
export interface VerifyOptions {
  clinicId?: string;
  /** Heads kept outside the database (storage anchors, backup manifest heads). */
  anchors?: readonly AnchorSource[];
  /** Events archived out of MongoDB, walked first; the hot collection continues after them. */
  earlier?: EarlierEvents;
  /** Clinics with archived events only (none left hot). */
  earlierClinicIds?: () => Promise<string[]>;
  /** The events collection to walk (default: the app's; a restore drill passes its scratch database's). */
  events?: Model<AuditEventRecord>;
}

interface WalkState {
  previous?: AuditEventRecord;
  keyedSeen: boolean;
  legacy: number;
}

type Problem = Omit<BrokenLink, 'clinicId' | 'seq'>;

function computeHash(event: AuditEventRecord): string | Problem {
  try {
    return auditEventHash({
      ...event,
      diff: event.diff ?? [],
      actor: { ...event.actor, roles: event.actor?.roles ?? [] },
    });
  } catch (error) {
    if (error instanceof UnknownAuditKeyError) {
      return { code: 'unknown_key', reason: `keyed with audit key "${error.keyId}", which is not in AUDIT_HMAC_KEYS` };
    }
    return { code: 'malformed', reason: 'event is missing fields its hash covers' };
  }
}

function inspect(event: AuditEventRecord, state: WalkState): Problem | undefined {
  const previous = state.previous;
  const expectedSeq = (previous?.seq ?? 0) + 1;
  if (previous && event.seq === previous.seq)
    return { code: 'seq_duplicate', reason: `seq ${event.seq} appears twice` };
  if (event.seq !== expectedSeq) {
    return {
      code: 'seq_gap',
      reason: `expected seq ${expectedSeq} but found ${event.seq}: event(s) deleted or renumbered`,
    };
  }
  if (event.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
    return {
      code: 'prev_hash_mismatch',
      reason: `prevHash does not match the hash of seq ${expectedSeq - 1}: an event before it was replaced or moved`,
    };
  }
  if (!event.keyId && state.keyedSeen) {
    return {
      code: 'unkeyed',
      reason: 'event carries a bare sha256 after keyed events: re-hashed by someone without the audit key',
    };
  }
  const computed = computeHash(event);
  if (typeof computed !== 'string') return computed;
  if (computed !== event.hash) {
    return {
      code: 'hash_mismatch',
      reason: event.keyId
        ? 'content does not match its keyed hash (HMAC): the event was edited, or re-hashed without the audit key'
        : 'content does not match its hash: the event was edited',
    };
  }
  if (event.keyId) state.keyedSeen = true;
  else state.legacy++;
  return undefined;
}

/** Every anchored head of the clinic, by seq, and the first forged anchor, if any. */
async function anchorsOf(
  clinicId: string,
  sources: readonly AnchorSource[],
): Promise<{ bySeq: Map<number, { hash: string; source: string }>; forged?: BrokenLink; count: number }> {
  const bySeq = new Map<number, { hash: string; source: string }>();
  let count = 0;
  for (const source of sources) {
    const { anchors, forged } = await source.anchorsOf(clinicId);
    if (forged.length > 0) {
      const seq = Number(/(\d+)\.json$/.exec(forged[0]!)?.[1] ?? 0);
      return {
        bySeq,
        count,
        forged: {
          clinicId,
          seq,
          code: 'anchor_forged',
          reason: `${source.name}: ${forged[0]} does not carry a valid audit-key HMAC (planted or edited anchor)`,
        },
      };
    }
    for (const anchor of anchors as ChainHead[]) {
      count++;
      const seen = bySeq.get(anchor.seq);
      if (seen && seen.hash !== anchor.hash) {
        return {
          bySeq,
          count,
          forged: {
            clinicId,
            seq: anchor.seq,
            code: 'anchor_mismatch',
            reason: `${source.name} and ${seen.source} anchor different hashes at seq ${anchor.seq}`,
          },
        };
      }
      bySeq.set(anchor.seq, { hash: anchor.hash, source: source.name });
    }
  }
  return { bySeq, count };
}

async function* hotEvents(
  model: Model<AuditEventRecord>,
  clinicId: string,
  afterSeq: number,
): AsyncIterable<AuditEventRecord> {
  const cursor = model
    .find({ clinicId, seq: { $gt: afterSeq } })
    .sort({ seq: 1 })
    .lean<AuditEventRecord[]>()
    .cursor({ batchSize: 500 });
  try {
    for await (const event of cursor) yield event as AuditEventRecord;
  } finally {
    await cursor.close();
  }
}

async function verifyClinic(
  clinicId: string,
  options: VerifyOptions,
): Promise<{ checked: number; anchors: number; legacy: number; broken?: BrokenLink }> {
  const state: WalkState = { keyedSeen: false, legacy: 0 };
  const anchored = await anchorsOf(clinicId, options.anchors ?? []);
  if (anchored.forged) return { checked: 0, anchors: anchored.count, legacy: 0, broken: anchored.forged };
  let checked = 0;
  const walk = async (events: AsyncIterable<AuditEventRecord>): Promise<BrokenLink | undefined> => {
    for await (const event of events) {
      checked++;
      const problem = inspect(event, state);
      if (problem) return { clinicId, seq: event.seq, ...problem };
      const anchor = anchored.bySeq.get(event.seq);
      if (anchor && anchor.hash !== event.hash) {
        return {
          clinicId,
          seq: event.seq,
          code: 'anchor_mismatch',
          reason: `hash differs from the head anchored by ${anchor.source}: the chain was rewritten from here or earlier`,
        };
      }
      state.previous = event;
    }
    return undefined;
  };
  const result = (broken?: BrokenLink) => ({ checked, anchors: anchored.count, legacy: state.legacy, broken });
  if (options.earlier) {
    const broken = await walk(options.earlier(clinicId));
    if (broken) return result(broken);
  }
  const broken = await walk(hotEvents(options.events ?? AuditEvent, clinicId, state.previous?.seq ?? 0));
  if (broken) return result(broken);
  const lastSeq = state.previous?.seq ?? 0;
  const newest = Math.max(0, ...anchored.bySeq.keys());
  if (newest > lastSeq) {
    return result({
      clinicId,
      seq: lastSeq + 1,
      code: 'truncated',
      reason: `chain ends at seq ${lastSeq} but ${anchored.bySeq.get(newest)!.source} anchored seq ${newest}: events ${lastSeq + 1}–${newest} were deleted`,
    });
  }
  return result();
}

/** Verifies one clinic's chain, or every clinic's when `clinicId` is omitted, against the given anchors. */
export async function verifyAuditChain(options: VerifyOptions = {}): Promise<ChainReport> {
  let clinicIds: string[];
  if (options.clinicId) clinicIds = [options.clinicId];
  else {
    const ids = new Set((await (options.events ?? AuditEvent).distinct('clinicId')) as string[]);
    for (const source of options.anchors ?? []) for (const id of await source.clinicIds()) ids.add(id);
    for (const id of (await options.earlierClinicIds?.()) ?? []) ids.add(id);
    clinicIds = [...ids].sort();
  }
  let checked = 0;
  let anchors = 0;
  let legacy = 0;
  const report = (extra: Partial<ChainReport>): ChainReport => ({
    ok: !extra.firstBroken,
    checked,
    chains: clinicIds.length,
    ...extra,
    ...(options.anchors ? { anchors } : {}),
    ...(legacy > 0 ? { legacy } : {}),
  });
  for (const id of clinicIds) {
    const result = await verifyClinic(id, options);
    checked += result.checked;
    anchors += result.anchors;
    legacy += result.legacy;
    if (result.broken) return report({ firstBroken: result.broken });
  }
  return report({});
}
