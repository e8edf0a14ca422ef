/**
 * Issue 14.1: someone with write access to MongoDB (but not the audit key from config, nor the
 * write-once anchor store) tries to rewrite the audit trail. Each forgery must be named by verify.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Collection, Document } from 'mongodb';
import mongoose from 'mongoose';
import type { Actor } from '../../src/platform/actor.js';
import { storageAnchors, writeAnchors } from '../../src/platform/audit/anchors.js';
import { canonicalJson, legacyAuditEventHash } from '../../src/platform/audit/audit-hash.js';
import type { HashedAuditFields } from '../../src/platform/audit/audit-hash.js';
import { audit } from '../../src/platform/audit/audit.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify-chain.js';
import { createDocumentStorage } from '../../src/platform/storage/index.js';
import type { DocumentStorage } from '../../src/platform/storage/index.js';
import { startTestRuntime } from '../helpers/test-runtime.js';
import type { TestRuntime } from '../helpers/test-runtime.js';

const run = promisify(execFile);
let t: TestRuntime;
let raw: Collection;
let storage: DocumentStorage;

const admin = (clinicId: string): Actor => ({ type: 'staff', id: 'admin-1', roles: ['admin'], clinicId });

/** A clinic chain of `count` events; event 3 is the admin's 90 % discount. */
async function seedChain(clinicId: string, count = 6): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await audit.record(
      i === 3
        ? {
            actor: admin(clinicId),
            action: 'invoice.discount_applied',
            entity: { type: 'invoice', id: 'inv-1' },
            diff: [{ field: 'discountPercent', from: 0, to: 90 }],
          }
        : { actor: admin(clinicId), action: 'appointment.confirm', entity: { type: 'appointment', id: `a${i}` } },
    );
  }
}

type Rehash = (event: HashedAuditFields & { hash: string }) => Partial<HashedAuditFields> & { hash: string };

/** What an attacker without the audit key can do: the old bare sha256 (dropping keyId)… */
const withBareSha256: Rehash = (event) => {
  const { keyId: _dropped, ...rest } = event;
  return { ...rest, keyId: undefined, hash: legacyAuditEventHash(rest) };
};
/** …or keep keyId and HMAC under a key of their own guessing. */
const guessedKey = randomBytes(32);
const withGuessedKey: Rehash = (event) => {
  const body = {
    v: 2,
    keyId: event.keyId,
    clinicId: event.clinicId,
    seq: event.seq,
    at: new Date(event.at).toISOString(),
    actor: event.actor,
    action: event.action,
    entity: event.entity,
    diff: event.diff,
    requestId: event.requestId ?? null,
    prevHash: event.prevHash,
  };
  return { ...event, hash: createHmac('sha256', guessedKey).update(canonicalJson(body)).digest('hex') };
};

/** Re-links and re-hashes every event of the clinic from `fromSeq` on, in seq order, through the driver. */
async function rehashFrom(clinicId: string, fromSeq: number, rehash: Rehash): Promise<void> {
  const events = (await raw.find({ clinicId }).sort({ seq: 1 }).toArray()) as unknown as (HashedAuditFields & {
    _id: unknown;
    hash: string;
  })[];
  let prevHash = events.find((event) => event.seq === fromSeq - 1)?.hash ?? '0'.repeat(64);
  for (const event of events.filter((e) => e.seq >= fromSeq)) {
    const forged = rehash({ ...event, prevHash });
    const { _id: id, ...fields } = { ...forged, _id: event._id } as Document;
    await raw.replaceOne({ _id: id }, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
    prevHash = forged.hash;
  }
}

beforeAll(async () => {
  t = await startTestRuntime('auditforgery');
  raw = mongoose.connection.db!.collection('audit_events');
  storage = createDocumentStorage(t.config);
});
afterAll(async () => {
  await t.close();
});

describe('a forger with database access but not the audit key', () => {
  it.each([
    ['the bare sha256', withBareSha256, 'unkeyed'],
    ['an HMAC under a guessed key', withGuessedKey, 'hash_mismatch'],
  ])(
    "edits the admin's 90%% discount to 9%% and re-hashes the rest with %s: named at that event",
    async (_name, rehash, code) => {
      const clinicId = `discount-${code}`;
      await seedChain(clinicId);
      expect((await verifyAuditChain({ clinicId })).ok).toBe(true);
      await raw.updateOne({ clinicId, seq: 3 }, { $set: { 'diff.0.to': 9 } });
      await rehashFrom(clinicId, 3, rehash);
      expect((await raw.findOne({ clinicId, seq: 3 }))!.diff).toEqual([{ field: 'discountPercent', from: 0, to: 9 }]);
      expect(await verifyAuditChain({ clinicId })).toMatchObject({
        ok: false,
        firstBroken: { clinicId, seq: 3, code },
      });
    },
  );

  it('deletes an event, renumbers the later ones and re-hashes them: named at the gap it closed', async () => {
    const clinicId = 'delete-renumber';
    await seedChain(clinicId);
    await raw.deleteOne({ clinicId, seq: 3 });
    for (const seq of [4, 5, 6]) await raw.updateOne({ clinicId, seq }, { $set: { seq: seq - 1 } });
    await rehashFrom(clinicId, 3, withBareSha256);
    expect(await raw.countDocuments({ clinicId })).toBe(5);
    expect(await verifyAuditChain({ clinicId })).toMatchObject({
      ok: false,
      firstBroken: { clinicId, seq: 3, code: 'unkeyed' },
    });

    const keyed = 'delete-renumber-guessed';
    await seedChain(keyed);
    await raw.deleteOne({ clinicId: keyed, seq: 3 });
    for (const seq of [4, 5, 6]) await raw.updateOne({ clinicId: keyed, seq }, { $set: { seq: seq - 1 } });
    await rehashFrom(keyed, 3, withGuessedKey);
    expect(await verifyAuditChain({ clinicId: keyed })).toMatchObject({
      ok: false,
      firstBroken: { clinicId: keyed, seq: 3, code: 'hash_mismatch' },
    });
  });
});

describe('anchors outside the database', () => {
  it('are written once per head: an unchanged head writes nothing and the local store refuses an overwrite', async () => {
    await seedChain('anchor-once', 2);
    const first = await writeAnchors(storage, { retainDays: 1 });
    expect(first.find((r) => r.clinicId === 'anchor-once')).toEqual({ clinicId: 'anchor-once', seq: 2, written: true });
    const again = await writeAnchors(storage, { retainDays: 1 });
    expect(again.find((r) => r.clinicId === 'anchor-once')).toEqual({
      clinicId: 'anchor-once',
      seq: 2,
      written: false,
    });
    const key = 'audit-anchors/anchor-once/000000000002.json';
    const before = (await storage.get(key))!.body.toString();
    expect(await storage.putImmutable(key, Buffer.from('{}'), 'application/json')).toBe(false);
    expect((await storage.get(key))!.body.toString()).toBe(before);
    expect(JSON.parse(before)).toMatchObject({ clinicId: 'anchor-once', seq: 2, keyId: 'ta1' });
  });

  it('catch the newest events cut off, which the chain alone cannot show; npm run audit:verify names it', async () => {
    const clinicId = 'truncate-tail';
    await seedChain(clinicId, 6);
    await writeAnchors(storage, { retainDays: 1 });
    await raw.deleteMany({ clinicId, seq: { $gte: 5 } });
    // What remains is a valid keyed chain of 4 events: without anchors nothing looks wrong.
    expect(await verifyAuditChain({ clinicId })).toEqual({ ok: true, checked: 4, chains: 1 });
    expect(await verifyAuditChain({ clinicId, anchors: [storageAnchors(storage)] })).toMatchObject({
      ok: false,
      firstBroken: { clinicId, seq: 5, code: 'truncated' },
    });

    const env = { ...process.env, ...t.env };
    const script = ['--import', 'tsx', 'scripts/audit-verify.ts', `--clinic=${clinicId}`];
    const broken = await run(process.execPath, script, { env }).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(broken).toMatchObject({ code: 1 });
    expect(broken.stdout).toContain(`BROKEN at clinic ${clinicId}, seq 5 (truncated)`);
    expect(broken.stdout).toContain('events 5–6 were deleted');
  }, 60_000);

  it('catch a whole chain deleted, and name an anchor planted or edited without the audit key', async () => {
    const gone = 'deleted-chain';
    await seedChain(gone, 2);
    await writeAnchors(storage, { retainDays: 1 });
    await raw.deleteMany({ clinicId: gone });
    expect(await storageAnchors(storage).clinicIds()).toContain(gone);
    expect(await verifyAuditChain({ clinicId: gone, anchors: [storageAnchors(storage)] })).toMatchObject({
      ok: false,
      firstBroken: { clinicId: gone, seq: 1, code: 'truncated' },
    });

    const planted = 'planted-anchor';
    await seedChain(planted, 2);
    await writeAnchors(storage, { retainDays: 1 });
    const file = path.join(t.config.dataDir, 'documents', 'audit-anchors', planted, '000000000009.json');
    await writeFile(
      file,
      JSON.stringify({ v: 1, clinicId: planted, seq: 9, hash: 'f'.repeat(64), mac: '0'.repeat(64) }),
    );
    expect(await verifyAuditChain({ clinicId: planted, anchors: [storageAnchors(storage)] })).toMatchObject({
      ok: false,
      firstBroken: { clinicId: planted, seq: 9, code: 'anchor_forged' },
    });
  });

  it('pass on an intact chain and report how many heads matched', async () => {
    const clinicId = 'intact-anchored';
    await seedChain(clinicId, 3);
    await writeAnchors(storage, { retainDays: 1 });
    await seedChain(clinicId, 2);
    await writeAnchors(storage, { retainDays: 1 });
    expect(await verifyAuditChain({ clinicId, anchors: [storageAnchors(storage)] })).toEqual({
      ok: true,
      checked: 5,
      chains: 1,
      anchors: 2,
    });
  });
});
