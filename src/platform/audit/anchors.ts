/**
 * Anchors: each clinic's audit chain head (seq + hash), written outside the database to
 * write-once storage (`audit-anchors/<clinic>/<seq>.json`: refused overwrite locally, Object Lock
 * on S3) at least hourly and into every backup manifest. The chain's HMAC stops a forger from
 * re-hashing; anchors stop the one thing a keyed chain cannot show by itself: deleting the newest
 * events (the shortened chain is still internally valid). verify-chain.ts compares the chain with
 * every anchor. Each anchor carries an HMAC under the audit key, so a planted anchor is named too.
 */
import { createHmac } from 'node:crypto';
import type { DocumentStorage } from '../storage/storage.js';
import { auditChainKey } from '../crypto/keyring.js';
import { sameSecret } from '../crypto/same-secret.js';
import { AuditEvent } from './audit-event.model.js';
import { canonicalJson } from './audit-hash.js';

/** The storage folder anchors live under. */
export const ANCHOR_PREFIX = 'audit-anchors';

/** A clinic's chain head: its newest event. */
export interface ChainHead {
  clinicId: string;
  seq: number;
  hash: string;
}

/** An anchor as stored: the head, when it was taken, and an HMAC over both under the audit key `keyId`. */
export interface AuditAnchor extends ChainHead {
  v: 1;
  anchoredAt: string;
  keyId: string;
  mac: string;
}

/** Where verification finds the heads a chain must still contain. */
export interface AnchorSource {
  /** A name for reports ("storage", "backup manifest …"). */
  name: string;
  /** Clinics that have anchors (a clinic whose every event was deleted still has its anchors). */
  clinicIds(): Promise<string[]>;
  /** The clinic's anchors, and the keys of any whose HMAC does not verify (planted or edited). */
  anchorsOf(clinicId: string): Promise<{ anchors: ChainHead[]; forged: string[] }>;
}

/** A clinic id as a storage path segment (ids are ObjectIds or slugs; anything else is hex-encoded). */
function clinicSegment(clinicId: string): string {
  return /^[A-Za-z0-9_-]{1,100}$/.test(clinicId) ? clinicId : `x${Buffer.from(clinicId).toString('hex')}`;
}

function anchorMac(anchor: Omit<AuditAnchor, 'mac'>): string {
  const key = auditChainKey(anchor.keyId);
  if (!key) return '';
  const body = { v: anchor.v, clinicId: anchor.clinicId, seq: anchor.seq, hash: anchor.hash, at: anchor.anchoredAt };
  return createHmac('sha256', key.key)
    .update(`cinic-audit-anchor.${canonicalJson(body)}`)
    .digest('hex');
}

/** Signs `head` as an anchor taken at `now`. */
export function signAnchor(head: ChainHead, now = new Date()): AuditAnchor {
  const unsigned = {
    v: 1 as const,
    clinicId: head.clinicId,
    seq: head.seq,
    hash: head.hash,
    anchoredAt: now.toISOString(),
    keyId: auditChainKey()!.id,
  };
  return { ...unsigned, mac: anchorMac(unsigned) };
}

/** True when `anchor` carries a valid HMAC under a configured audit key. */
export function anchorIsGenuine(anchor: AuditAnchor): boolean {
  if (typeof anchor?.mac !== 'string' || !/^[0-9a-f]{64}$/.test(anchor.mac)) return false;
  const expected = anchorMac(anchor);
  return expected !== '' && sameSecret(Buffer.from(anchor.mac, 'hex'), Buffer.from(expected, 'hex'));
}

/** Every clinic's current chain head, read from MongoDB (one indexed lookup per clinic). */
export async function currentChainHeads(): Promise<ChainHead[]> {
  const clinicIds = ((await AuditEvent.distinct('clinicId')) as string[]).sort();
  const heads: ChainHead[] = [];
  for (const clinicId of clinicIds) {
    const head = await AuditEvent.findOne({ clinicId }, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean<ChainHead>();
    if (head) heads.push({ clinicId, seq: head.seq, hash: head.hash });
  }
  return heads;
}

/** What one anchoring pass did per clinic. */
export interface AnchorResult {
  clinicId: string;
  seq: number;
  /** False when this head was already anchored (by an earlier pass or another worker). */
  written: boolean;
}

/**
 * Writes every clinic's current head to write-once storage. Keyed by seq, so an unchanged head
 * writes nothing and two workers anchoring the same head do not collide.
 */
export async function writeAnchors(
  storage: DocumentStorage,
  { retainDays, now = new Date() }: { retainDays: number; now?: Date },
): Promise<AnchorResult[]> {
  const retainUntil = new Date(now.getTime() + retainDays * 24 * 60 * 60 * 1000);
  const results: AnchorResult[] = [];
  for (const head of await currentChainHeads()) {
    const key = `${ANCHOR_PREFIX}/${clinicSegment(head.clinicId)}/${String(head.seq).padStart(12, '0')}.json`;
    const body = Buffer.from(`${JSON.stringify(signAnchor(head, now))}\n`);
    const written = await storage.putImmutable(key, body, 'application/json', { retainUntil });
    results.push({ clinicId: head.clinicId, seq: head.seq, written });
  }
  return results;
}

/** Anchors kept in the storage driver, as an AnchorSource for verification. */
export function storageAnchors(storage: DocumentStorage): AnchorSource {
  const parse = (body: Buffer): AuditAnchor | null => {
    try {
      return JSON.parse(body.toString('utf8')) as AuditAnchor;
    } catch {
      return null;
    }
  };
  return {
    name: 'storage anchors',
    async clinicIds() {
      const keys = await storage.list(`${ANCHOR_PREFIX}/`);
      const ids = new Set<string>();
      // Folders name the clinics; read one anchor of each to recover the exact id.
      const folders = [...new Set(keys.map((key) => key.split('/')[1]!))];
      for (const folder of folders) {
        const first = keys.find((key) => key.startsWith(`${ANCHOR_PREFIX}/${folder}/`))!;
        const stored = await storage.get(first);
        const anchor = stored ? parse(stored.body) : null;
        if (anchor?.clinicId) ids.add(anchor.clinicId);
      }
      return [...ids].sort();
    },
    async anchorsOf(clinicId) {
      const keys = await storage.list(`${ANCHOR_PREFIX}/${clinicSegment(clinicId)}/`);
      const anchors: ChainHead[] = [];
      const forged: string[] = [];
      for (const key of keys) {
        const stored = await storage.get(key);
        const anchor = stored ? parse(stored.body) : null;
        if (!anchor || anchor.clinicId !== clinicId || !anchorIsGenuine(anchor)) forged.push(key);
        else anchors.push({ clinicId, seq: anchor.seq, hash: anchor.hash });
      }
      return { anchors, forged };
    },
  };
}

/** Heads recorded somewhere else (a backup manifest) as an AnchorSource. */
export function recordedHeads(name: string, heads: readonly ChainHead[]): AnchorSource {
  return {
    name,
    clinicIds: async () => [...new Set(heads.map((head) => head.clinicId))].sort(),
    anchorsOf: async (clinicId) => ({ anchors: heads.filter((head) => head.clinicId === clinicId), forged: [] }),
  };
}
