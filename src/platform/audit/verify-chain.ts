/**
 * Walks each clinic's audit chain in seq order and reports the first broken link: an edited event
 * (its hash no longer matches its content), a deleted one (a gap in seq, or a prevHash that does
 * not match the event before) or a reordered one (seq is hashed, so moving an event breaks both).
 * Deleting the newest events leaves no gap to find; anchoring the head elsewhere would catch that.
 */
import { AuditEvent } from './audit-event.model.js';
import type { AuditEventRecord } from './audit-event.model.js';
import { GENESIS_HASH, auditEventHash } from './audit-hash.js';

/** Why a link is broken. */
export type BrokenLinkCode = 'seq_gap' | 'seq_duplicate' | 'prev_hash_mismatch' | 'hash_mismatch' | 'malformed';

/** The first broken link found. */
export interface BrokenLink {
  clinicId: string;
  seq: number;
  code: BrokenLinkCode;
  reason: string;
}

/** Outcome of a verification: `checked` events, over `chains` clinics. */
export interface ChainReport {
  ok: boolean;
  checked: number;
  chains: number;
  firstBroken?: BrokenLink;
}

function inspect(
  event: AuditEventRecord,
  previous: AuditEventRecord | undefined,
): Omit<BrokenLink, 'clinicId' | 'seq'> | undefined {
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
  let computed: string;
  try {
    computed = auditEventHash({
      ...event,
      diff: event.diff ?? [],
      actor: { ...event.actor, roles: event.actor?.roles ?? [] },
    });
  } catch {
    return { code: 'malformed', reason: 'event is missing fields its hash covers' };
  }
  if (computed !== event.hash)
    return { code: 'hash_mismatch', reason: 'content does not match its hash: the event was edited' };
  return undefined;
}

async function verifyClinic(clinicId: string): Promise<{ checked: number; broken?: BrokenLink }> {
  let previous: AuditEventRecord | undefined;
  let checked = 0;
  const cursor = AuditEvent.find({ clinicId }).sort({ seq: 1 }).lean<AuditEventRecord[]>().cursor({ batchSize: 500 });
  try {
    for await (const event of cursor) {
      checked++;
      const problem = inspect(event as AuditEventRecord, previous);
      if (problem) return { checked, broken: { clinicId, seq: (event as AuditEventRecord).seq, ...problem } };
      previous = event as AuditEventRecord;
    }
  } finally {
    await cursor.close();
  }
  return { checked };
}

/** Verifies one clinic's chain, or every clinic's when `clinicId` is omitted. */
export async function verifyAuditChain({ clinicId }: { clinicId?: string } = {}): Promise<ChainReport> {
  const clinicIds = clinicId ? [clinicId] : ((await AuditEvent.distinct('clinicId')) as string[]).sort();
  let checked = 0;
  for (const id of clinicIds) {
    const result = await verifyClinic(id);
    checked += result.checked;
    if (result.broken) return { ok: false, checked, chains: clinicIds.length, firstBroken: result.broken };
  }
  return { ok: true, checked, chains: clinicIds.length };
}
