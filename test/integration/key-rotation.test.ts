import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Collection } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import { loadConfig } from '../../src/config.js';
import { encryptedFields, encryptedFieldsOf } from '../../src/platform/crypto/encrypted-fields.js';
import { FieldCipher, isSealed, sealedKeyId } from '../../src/platform/crypto/field-cipher.js';
import { blindIndexOf, configureFieldEncryption } from '../../src/platform/crypto/keyring.js';
import { rotateDocument, rotateEncryptionKeys } from '../../src/platform/crypto/rotate-keys.js';
import { testSecrets } from '../helpers/env.js';
import { startTestRuntime } from '../helpers/test-runtime.js';
import type { TestRuntime } from '../helpers/test-runtime.js';

interface RotPatient {
  clinicId: string;
  phone?: string;
  emergencyContact?: { name: string; phone: string };
  notes?: string;
}
const schema = new Schema<RotPatient>(
  { clinicId: { type: String, required: true }, phone: String, emergencyContact: Schema.Types.Mixed, notes: String },
  { versionKey: false },
);
encryptedFields(schema, {
  scope: 'rot_patient',
  paths: ['phone', 'emergencyContact', 'notes'],
  blindIndexes: [{ path: 'phone', indexPath: 'phoneHash', kind: 'phone' }],
});
// Lookup by phone within a clinic: { clinicId, phoneHash }.
schema.index({ clinicId: 1, phoneHash: 1 });
const RotPatient = mongoose.model<RotPatient>('RotPatient', schema, 'rot_patients');
const spec = encryptedFieldsOf(schema)!;

const T1 = testSecrets.DATA_ENCRYPTION_KEYS;
const T2 = `t2:${Buffer.alloc(32, 3).toString('base64')}`;
const phoneOf = (i: number) => `90000${String(i).padStart(5, '0')}`;

let t: TestRuntime;
let collection: Collection;

/** Installs a keyring (and optionally a blind-index key) built from the test env. */
function useKeys(keys: string, currentKeyId: string, blindIndexKey = testSecrets.BLIND_INDEX_KEY) {
  configureFieldEncryption(
    loadConfig({
      ...t.env,
      DATA_ENCRYPTION_KEYS: keys,
      DATA_ENCRYPTION_KEY_ID: currentKeyId,
      BLIND_INDEX_KEY: blindIndexKey,
    }),
  );
}

async function kidsInUse(): Promise<Set<string>> {
  const kids = new Set<string>();
  for (const doc of await collection.find({}).toArray()) {
    for (const path of ['phone', 'emergencyContact', 'notes'])
      if (isSealed(doc[path])) kids.add(sealedKeyId(doc[path]));
  }
  return kids;
}

beforeAll(async () => {
  t = await startTestRuntime('rotation');
  collection = mongoose.connection.db!.collection('rot_patients');
  for (let i = 0; i < 30; i++) {
    await RotPatient.create({
      clinicId: 'c1',
      phone: phoneOf(i),
      notes: `Visit note ${i}: mild fever`,
      ...(i % 3 === 0 ? { emergencyContact: { name: `Contact ${i}`, phone: '+919812345678' } } : {}),
    });
  }
  // A document from before its fields were encrypted: plaintext and no blind index.
  await collection.insertOne({ clinicId: 'c1', phone: '+919123456789', notes: 'Legacy plaintext note' });
});
afterAll(async () => {
  await t.close();
});

describe('key rotation', () => {
  it('keeps old records readable once a new key is current, and seals new writes with it', async () => {
    useKeys(`${T1},${T2}`, 't2');
    const old = (await RotPatient.findOne({ clinicId: 'c1', phoneHash: blindIndexOf('phone', phoneOf(3)) }))!;
    expect(old.phone).toBe(phoneOf(3));
    expect(old.notes).toBe('Visit note 3: mild fever');
    expect(old.emergencyContact).toEqual({ name: 'Contact 3', phone: '+919812345678' });

    const fresh = await RotPatient.create({ clinicId: 'c1', phone: '9000099999', notes: 'New under t2' });
    expect(sealedKeyId((await collection.findOne({ _id: fresh._id }))!.phone)).toBe('t2');
    expect(await kidsInUse()).toEqual(new Set(['t1', 't2']));
  });

  it('a dry run counts the work without writing', async () => {
    const report = await rotateEncryptionKeys({ dryRun: true, batchSize: 7 });
    expect(report.models.RotPatient).toMatchObject({ scanned: 32, rotated: 31, failed: 0, conflicts: 0 });
    expect(await kidsInUse()).toEqual(new Set(['t1', 't2']));
  });

  it('re-encrypts every field under the current key, in batches, and encrypts leftover plaintext', async () => {
    const report = await rotateEncryptionKeys({ batchSize: 7 });
    // 30 old documents (30 phones + 30 notes + 10 contacts), 1 legacy (phone + notes), 1 already current.
    expect(report.models.RotPatient).toEqual({
      scanned: 32,
      rotated: 31,
      fields: 72,
      indexes: 1,
      conflicts: 0,
      failed: 0,
    });
    expect(report.currentKeyId).toBe('t2');
    expect(await kidsInUse()).toEqual(new Set(['t2']));

    const legacy = (await collection.findOne({ clinicId: 'c1', phoneHash: blindIndexOf('phone', '9123456789') }))!;
    expect(legacy.notes).toMatch(/^enc:v1:t2:/);
    expect(JSON.stringify(legacy)).not.toContain('Legacy plaintext');
  });

  it('is idempotent, and the old key can then be dropped', async () => {
    const again = await rotateEncryptionKeys();
    expect(again.models.RotPatient).toMatchObject({ scanned: 32, rotated: 0, fields: 0, indexes: 0 });

    useKeys(T2, 't2');
    const all = await RotPatient.find({ clinicId: 'c1' }).lean();
    expect(all).toHaveLength(32);
    expect(all.find((doc) => doc.notes === 'Visit note 29: mild fever')).toBeTruthy();
    expect(all.find((doc) => doc.notes === 'Legacy plaintext note')?.phone).toBe('+919123456789');
  });

  it('recomputes blind indexes when the blind-index key changes', async () => {
    const newIndexKey = Buffer.alloc(32, 9).toString('base64');
    useKeys(T2, 't2', newIndexKey);
    expect(await RotPatient.countDocuments({ phoneHash: blindIndexOf('phone', phoneOf(5)) })).toBe(0);
    const report = await rotateEncryptionKeys();
    expect(report.models.RotPatient).toMatchObject({ rotated: 32, fields: 0, indexes: 32 });
    expect(await RotPatient.countDocuments({ phoneHash: blindIndexOf('phone', phoneOf(5)) })).toBe(1);
    useKeys(T2, 't2');
    await rotateEncryptionKeys();
  });

  it('never overwrites a concurrent edit', async () => {
    useKeys(`${T1},${T2}`, 't1');
    const doc = await RotPatient.create({ clinicId: 'c2', phone: '9000088888', notes: 'Before the edit' });
    const stale = (await collection.findOne({ _id: doc._id }))!;
    useKeys(`${T1},${T2}`, 't2');
    // Someone edits the note after the rotation read the document but before it writes.
    await RotPatient.updateOne({ _id: doc._id }, { $set: { notes: 'Edited meanwhile' } });

    const outcome = await rotateDocument(collection, spec, stale);
    expect(outcome.status).toBe('rotated');
    const after = (await RotPatient.findById(doc._id))!;
    expect(after.notes).toBe('Edited meanwhile');
    expect(after.phone).toBe('9000088888');
    const stored = (await collection.findOne({ _id: doc._id }))!;
    expect(sealedKeyId(stored.phone)).toBe('t2');
    expect(sealedKeyId(stored.notes)).toBe('t2');
  });

  it('reports documents it cannot decrypt and carries on with the rest', async () => {
    const stranger = new FieldCipher({ keys: new Map([['t9', Buffer.alloc(32, 7)]]), currentKeyId: 't9' });
    await collection.insertOne({ clinicId: 'c3', notes: stranger.encrypt('rot_patient.notes', 'Unreadable') });
    const other = await RotPatient.create({ clinicId: 'c3', phone: '9000077777' });
    await collection.updateOne(
      { _id: other._id },
      {
        $set: {
          notes: new FieldCipher({ keys: new Map([['t1', Buffer.alloc(32, 1)]]), currentKeyId: 't1' }).encrypt(
            'rot_patient.notes',
            'Old key',
          ),
        },
      },
    );

    const report = await rotateEncryptionKeys({ batchSize: 5 });
    expect(report.models.RotPatient).toMatchObject({ failed: 1, rotated: 1, fields: 1 });
    expect((await RotPatient.findById(other._id))!.notes).toBe('Old key');
  });
});
