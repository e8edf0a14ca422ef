import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Collection } from 'mongodb';
import mongoose from 'mongoose';
import type { Actor } from '../../src/platform/actor.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { auditEventHash } from '../../src/platform/audit/audit-hash.js';
import type { HashedAuditFields } from '../../src/platform/audit/audit-hash.js';
import { diffFields } from '../../src/platform/audit/audit-diff.js';
import { audit } from '../../src/platform/audit/audit.service.js';
import { verifyAuditChain } from '../../src/platform/audit/verify-chain.js';
import { runInScope } from '../../src/platform/request-scope.js';
import { startTestRuntime } from '../helpers/test-runtime.js';
import type { TestRuntime } from '../helpers/test-runtime.js';

const run = promisify(execFile);
let t: TestRuntime;
let raw: Collection;

const staff = (clinicId: string): Actor => ({ type: 'staff', id: 'staff-1', roles: ['frontdesk'], clinicId });

/** Appends `count` events to a fresh clinic chain and returns the clinic id. */
async function seedChain(clinicId: string, count = 6): Promise<string> {
  for (let i = 1; i <= count; i++) {
    await audit.record({
      actor: staff(clinicId),
      action: 'appointment.confirm',
      entity: { type: 'appointment', id: `a${i}` },
    });
  }
  return clinicId;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

beforeAll(async () => {
  t = await startTestRuntime('audittrail');
  raw = mongoose.connection.db!.collection('audit_events');
});
afterAll(async () => {
  await t.close();
});

describe('audit.record', () => {
  it('chains events per clinic with the request id and a PHI-free diff', async () => {
    const before = { status: 'confirmed', phone: '+919876543210' };
    const after = { status: 'cancelled', phone: '+919812345678' };
    const first = await runInScope({ requestId: 'req-abc12345' }, () =>
      audit.record({
        actor: staff('clinic-a'),
        action: 'appointment.cancel',
        entity: { type: 'appointment', id: new mongoose.Types.ObjectId('65f000000000000000000001') },
        diff: diffFields(before, after, { phi: ['phone'] }),
      }),
    );
    const second = await audit.record({
      actor: { type: 'system', id: 'worker:holds', roles: [], clinicId: 'clinic-a' },
      action: 'hold.expire',
      entity: { type: 'hold', id: 'h1' },
    });
    await audit.record({ actor: staff('clinic-b'), action: 'patient.update', entity: { type: 'patient', id: 'p1' } });

    expect(first.seq).toBe(1);
    expect(second.seq).toBe(2);
    const stored = await raw.find({ clinicId: 'clinic-a' }).sort({ seq: 1 }).toArray();
    expect(stored[0]).toMatchObject({
      seq: 1,
      requestId: 'req-abc12345',
      actor: { type: 'staff', id: 'staff-1', roles: ['frontdesk'] },
      entity: { type: 'appointment', id: '65f000000000000000000001' },
      prevHash: '0'.repeat(64),
      hash: first.hash,
    });
    expect(stored[1]!.prevHash).toBe(first.hash);
    expect(stored[1]!.requestId).toBeUndefined();
    expect(stored[0]!.diff).toEqual([
      { field: 'phone', from: { digest: expect.any(String) }, to: { digest: expect.any(String) } },
      { field: 'status', from: 'confirmed', to: 'cancelled' },
    ]);
    expect(JSON.stringify(stored)).not.toMatch(/9876543210|9812345678/);
    expect(await verifyAuditChain()).toEqual({ ok: true, checked: 3, chains: 2 });
  });

  it('rejects malformed events', async () => {
    expect(
      await codeOf(
        audit.record({ actor: staff('clinic-a'), action: 'Cancel!', entity: { type: 'appointment', id: 'a1' } }),
      ),
    ).toBe('audit_invalid');
    expect(
      await codeOf(audit.record({ actor: staff(''), action: 'a.b', entity: { type: 'appointment', id: 'a1' } })),
    ).toBe('audit_invalid');
  });
});

describe('verifyAuditChain detects tampering (through the native driver)', () => {
  it('an edited event', async () => {
    const clinicId = await seedChain('tamper-edit');
    await raw.updateOne({ clinicId, seq: 3 }, { $set: { action: 'appointment.cancel' } });
    expect(await verifyAuditChain({ clinicId })).toMatchObject({
      ok: false,
      checked: 3,
      firstBroken: { clinicId, seq: 3, code: 'hash_mismatch' },
    });
  });

  it('an edited event whose hash was recomputed to hide it', async () => {
    const clinicId = await seedChain('tamper-rehash');
    const event = (await raw.findOne({ clinicId, seq: 3 })) as unknown as HashedAuditFields;
    const forged = { ...event, entity: { type: 'appointment', id: 'someone-else' } };
    await raw.updateOne({ clinicId, seq: 3 }, { $set: { entity: forged.entity, hash: auditEventHash(forged) } });
    expect(await verifyAuditChain({ clinicId })).toMatchObject({
      ok: false,
      firstBroken: { seq: 4, code: 'prev_hash_mismatch' },
    });
  });

  it('a deleted event, including the first', async () => {
    const clinicId = await seedChain('tamper-delete');
    await raw.deleteOne({ clinicId, seq: 4 });
    expect(await verifyAuditChain({ clinicId })).toMatchObject({ ok: false, firstBroken: { seq: 5, code: 'seq_gap' } });

    const headless = await seedChain('tamper-delete-first', 3);
    await raw.deleteOne({ clinicId: headless, seq: 1 });
    expect(await verifyAuditChain({ clinicId: headless })).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, code: 'seq_gap' },
    });
  });

  it('reordered events', async () => {
    const clinicId = await seedChain('tamper-reorder');
    await raw.updateOne({ clinicId, seq: 2 }, { $set: { seq: -2 } });
    await raw.updateOne({ clinicId, seq: 3 }, { $set: { seq: 2 } });
    await raw.updateOne({ clinicId, seq: -2 }, { $set: { seq: 3 } });
    const report = await verifyAuditChain({ clinicId });
    expect(report).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
    expect(['prev_hash_mismatch', 'hash_mismatch']).toContain(report.firstBroken!.code);
  });

  it('reports the first broken chain when verifying every clinic', async () => {
    const report = await verifyAuditChain();
    expect(report.ok).toBe(false);
    expect(report.firstBroken!.clinicId).toBe('tamper-delete');
  });

  it('npm run audit:verify exits 0 on an intact chain and 1 naming the broken link', async () => {
    const env = { ...process.env, ...t.env };
    const script = ['--import', 'tsx', 'scripts/audit-verify.ts'];
    const intact = await run(process.execPath, [...script, '--clinic=clinic-a'], { env });
    expect(intact.stdout).toContain('Audit chain intact: 2 event(s) in 1 chain(s).');

    const broken = await run(process.execPath, [...script, '--clinic=tamper-edit'], { env }).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(broken).toMatchObject({ code: 1 });
    expect(broken.stdout).toContain('BROKEN at clinic tamper-edit, seq 3 (hash_mismatch)');
  }, 60_000);
});

describe('AuditEvent is append-only', () => {
  it('refuses every update, replace and delete path and keeps the chain intact', async () => {
    const clinicId = await seedChain('append-only', 3);
    const filter = { clinicId, seq: 2 };
    const doc = (await AuditEvent.findOne(filter))!;
    const attempts: [string, () => Promise<unknown>][] = [
      ['updateOne', () => AuditEvent.updateOne(filter, { $set: { action: 'x.y' } }).exec()],
      ['updateMany', () => AuditEvent.updateMany({ clinicId }, { $set: { action: 'x.y' } }).exec()],
      ['findOneAndUpdate', () => AuditEvent.findOneAndUpdate(filter, { $set: { action: 'x.y' } }).exec()],
      ['findByIdAndUpdate', () => AuditEvent.findByIdAndUpdate(doc._id, { $set: { action: 'x.y' } }).exec()],
      ['replaceOne', () => AuditEvent.replaceOne(filter, { ...doc.toObject(), action: 'x.y' }).exec()],
      ['findOneAndReplace', () => AuditEvent.findOneAndReplace(filter, { ...doc.toObject(), action: 'x.y' }).exec()],
      ['findOneAndDelete', () => AuditEvent.findOneAndDelete(filter).exec()],
      ['findByIdAndDelete', () => AuditEvent.findByIdAndDelete(doc._id).exec()],
      ['deleteOne', () => AuditEvent.deleteOne(filter).exec()],
      ['deleteMany', () => AuditEvent.deleteMany({ clinicId }).exec()],
      ['document.save', () => Object.assign(doc, { action: 'x.y' }).save()],
      ['document.deleteOne', () => doc.deleteOne()],
      ['document.updateOne', () => doc.updateOne({ $set: { action: 'x.y' } }).exec()],
      ['insertMany', () => AuditEvent.insertMany([{ ...doc.toObject(), _id: undefined, seq: 99 }])],
      ['bulkWrite', () => AuditEvent.bulkWrite([{ deleteOne: { filter } }])],
    ];
    for (const [name, attempt] of attempts) {
      expect([name, await codeOf(attempt())]).toEqual([name, 'audit_append_only']);
    }
    expect(await raw.countDocuments({ clinicId })).toBe(3);
    expect(await verifyAuditChain({ clinicId })).toEqual({ ok: true, checked: 3, chains: 1 });
  });
});
