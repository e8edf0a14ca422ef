import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose, { Schema } from 'mongoose';
import { diffFields } from '../../src/platform/audit/audit-diff.js';
import { encryptedFields } from '../../src/platform/crypto/encrypted-fields.js';
import { blindIndexOf } from '../../src/platform/crypto/keyring.js';
import { startTestRuntime } from '../helpers/test-runtime.js';
import type { TestRuntime } from '../helpers/test-runtime.js';

// A stand-in for the patient model (which comes later), with the same kinds of PHI.
interface Contact {
  name: string;
  phone: string;
  relation: string;
}
interface EncPatient {
  clinicId: string;
  phone?: string | null;
  phoneHash?: string | null;
  emergencyContact?: Contact | null;
  medicalFlags?: { code: string; note?: string }[];
  notes?: string;
  status: string;
}

const schema = new Schema<EncPatient>(
  {
    clinicId: { type: String, required: true },
    phone: { type: String },
    emergencyContact: { type: Schema.Types.Mixed },
    medicalFlags: { type: Schema.Types.Mixed },
    notes: { type: String },
    status: { type: String, default: 'active' },
  },
  { versionKey: false },
);
encryptedFields(schema, {
  scope: 'enc_patient',
  paths: ['phone', 'emergencyContact', 'medicalFlags', 'notes'],
  blindIndexes: [{ path: 'phone', indexPath: 'phoneHash', kind: 'phone' }],
});
// Lookup by phone within a clinic: { clinicId, phoneHash }.
schema.index({ clinicId: 1, phoneHash: 1 });
const EncPatient = mongoose.model<EncPatient>('EncPatient', schema, 'enc_patients');

// Encrypted paths inside a subdocument and a nested object, with a nested blind index.
const secretsSchema = new Schema({ enabled: Boolean, secret: { type: String, select: false } }, { _id: false });
const nestedSchema = new Schema({
  clinicId: String,
  mfa: { type: secretsSchema, default: () => ({}) },
  guardian: { name: String, phone: String },
});
encryptedFields(nestedSchema, {
  scope: 'enc_nested',
  paths: ['mfa.secret', 'guardian.name', 'guardian.phone'],
  blindIndexes: [{ path: 'guardian.phone', indexPath: 'guardian.phoneHash', kind: 'phone' }],
});
const EncNested = mongoose.model('EncNested', nestedSchema, 'enc_nested');

const PHONE = '+919876543210';
const CONTACT: Contact = { name: 'Asha Rao', phone: '+919812345678', relation: 'sister' };
const FLAGS = [{ code: 'allergy', note: 'Penicillin anaphylaxis' }, { code: 'hypertension' }];
const NOTES = 'Complains of chest tightness on exertion since March';
const PLAINTEXT = ['9876543210', '9812345678', 'Asha', 'sister', 'Penicillin', 'hypertension', 'chest tightness'];

let t: TestRuntime;
const raw = () => mongoose.connection.db!.collection('enc_patients');
const rawById = (id: unknown) => raw().findOne({ _id: id as mongoose.Types.ObjectId });
const byPhone = (clinicId: string, phone: string) =>
  EncPatient.find({ clinicId, phoneHash: blindIndexOf('phone', phone) }).sort({ _id: 1 });

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

function expectSealed(document: Record<string, unknown> | null, fields: string[]) {
  expect(document).not.toBeNull();
  for (const field of fields) expect(document![field]).toMatch(/^enc:v1:t1:/);
}

beforeAll(async () => {
  t = await startTestRuntime('encfields');
});
afterAll(async () => {
  await t.close();
});

describe('encrypted fields at rest', () => {
  it('stores no plaintext phone, emergency contact, medical flag or clinical text', async () => {
    const created = await EncPatient.create({
      clinicId: 'c1',
      phone: PHONE,
      emergencyContact: CONTACT,
      medicalFlags: FLAGS,
      notes: NOTES,
    });
    const stored = await rawById(created._id);
    expectSealed(stored, ['phone', 'emergencyContact', 'medicalFlags', 'notes']);
    const dump = JSON.stringify(stored);
    for (const secret of PLAINTEXT) expect(dump).not.toContain(secret);
    expect(stored!.phoneHash).toBe(blindIndexOf('phone', PHONE));
    expect(stored!.status).toBe('active');
  });

  it('gives services plain values from documents, toJSON and lean queries', async () => {
    await EncPatient.create({
      clinicId: 'c2',
      phone: PHONE,
      emergencyContact: CONTACT,
      medicalFlags: FLAGS,
      notes: NOTES,
    });
    const doc = (await EncPatient.findOne({ clinicId: 'c2' }))!;
    expect(doc.phone).toBe(PHONE);
    expect(doc.emergencyContact).toEqual(CONTACT);
    expect(doc.medicalFlags).toEqual(FLAGS);
    expect(doc.notes).toBe(NOTES);
    expect(doc.toJSON()).toMatchObject({ phone: PHONE, emergencyContact: CONTACT, medicalFlags: FLAGS, notes: NOTES });
    expect(JSON.parse(JSON.stringify(doc))).toMatchObject({ phone: PHONE, emergencyContact: CONTACT });

    const lean = await EncPatient.findOne({ clinicId: 'c2' }).lean();
    expect(lean).toMatchObject({ phone: PHONE, emergencyContact: CONTACT, medicalFlags: FLAGS, notes: NOTES });
    const leanList = await EncPatient.find({ clinicId: 'c2' }).select({ phone: 1 }).lean();
    expect(leanList).toEqual([expect.objectContaining({ phone: PHONE })]);
  });

  it('finds patients by phone through the blind index, however the number is written', async () => {
    const a = await EncPatient.create({ clinicId: 'c3', phone: PHONE });
    const b = await EncPatient.create({
      clinicId: 'c3',
      phone: '9876543210',
      notes: 'family member on the same number',
    });
    await EncPatient.create({ clinicId: 'c3', phone: '+919000000001' });
    await EncPatient.create({ clinicId: 'c4', phone: PHONE });
    for (const spelling of ['98765 43210', '098765-43210', '+91 98765 43210', '919876543210']) {
      const found = await byPhone('c3', spelling);
      expect(found.map((patient) => String(patient._id))).toEqual([String(a._id), String(b._id)]);
    }
    expect(await byPhone('c3', '9123456789')).toEqual([]);
  });

  it('encrypts and re-indexes through updateOne, findOneAndUpdate, updateMany and upserts', async () => {
    const created = await EncPatient.create({ clinicId: 'c5', phone: PHONE, notes: NOTES });

    await EncPatient.updateOne({ _id: created._id }, { $set: { phone: '9000000002', emergencyContact: CONTACT } });
    let stored = await rawById(created._id);
    expectSealed(stored, ['phone', 'emergencyContact', 'notes']);
    expect(stored!.phoneHash).toBe(blindIndexOf('phone', '+919000000002'));
    expect((await byPhone('c5', '9000000002')).length).toBe(1);
    expect((await byPhone('c5', PHONE)).length).toBe(0);

    const updated = await EncPatient.findOneAndUpdate(
      { _id: created._id },
      { medicalFlags: FLAGS, phone: '9000000003' },
      { new: true },
    );
    expect(updated!.medicalFlags).toEqual(FLAGS);
    expect(updated!.phone).toBe('9000000003');
    stored = await rawById(created._id);
    expectSealed(stored, ['medicalFlags', 'phone']);
    expect(stored!.phoneHash).toBe(blindIndexOf('phone', '9000000003'));

    const leanUpdated = await EncPatient.findOneAndUpdate(
      { _id: created._id },
      { $set: { notes: 'Reviewed' } },
      { new: true },
    ).lean();
    expect(leanUpdated!.notes).toBe('Reviewed');

    await EncPatient.updateMany({ clinicId: 'c5' }, { $set: { notes: 'Bulk note about diabetes' } });
    stored = await rawById(created._id);
    expectSealed(stored, ['notes']);
    expect(JSON.stringify(stored)).not.toContain('diabetes');

    await EncPatient.updateOne({ _id: created._id }, { $unset: { phone: 1 } });
    stored = await rawById(created._id);
    expect(stored!.phone).toBeUndefined();
    expect(stored!.phoneHash).toBeUndefined();

    await EncPatient.updateOne(
      { clinicId: 'c5', status: 'new' },
      { $setOnInsert: { phone: '9000000004', notes: 'Walk-in' } },
      { upsert: true },
    );
    const upserted = await raw().findOne({ clinicId: 'c5', status: 'new' });
    expectSealed(upserted, ['phone', 'notes']);
    expect(upserted!.phoneHash).toBe(blindIndexOf('phone', '9000000004'));
  });

  it('encrypts and re-indexes on document save, and leaves unchanged values alone', async () => {
    const doc = await EncPatient.create({ clinicId: 'c6', phone: PHONE, notes: NOTES });
    const sealedNotes = (await rawById(doc._id))!.notes;
    doc.phone = '9000000005';
    doc.notes = NOTES;
    expect(doc.isModified('notes')).toBe(false);
    await doc.save();
    const stored = await rawById(doc._id);
    expect(stored!.notes).toBe(sealedNotes);
    expect(stored!.phoneHash).toBe(blindIndexOf('phone', '9000000005'));
    expect(stored!.phone).toMatch(/^enc:v1:t1:/);
  });

  it('encrypts and indexes through insertMany and bulkWrite', async () => {
    const [inserted] = await EncPatient.insertMany([{ clinicId: 'c7', phone: PHONE, notes: NOTES }]);
    let stored = await rawById(inserted!._id);
    expectSealed(stored, ['phone', 'notes']);
    expect(stored!.phoneHash).toBe(blindIndexOf('phone', PHONE));

    await EncPatient.bulkWrite([
      { insertOne: { document: { clinicId: 'c7', phone: '9000000006', emergencyContact: CONTACT, status: 'bulk' } } },
      { updateOne: { filter: { _id: inserted!._id }, update: { $set: { phone: '9000000007' } } } },
    ]);
    stored = await rawById(inserted!._id);
    expect(stored!.phoneHash).toBe(blindIndexOf('phone', '9000000007'));
    const bulk = await raw().findOne({ clinicId: 'c7', status: 'bulk' });
    expectSealed(bulk, ['phone', 'emergencyContact']);
    expect(bulk!.phoneHash).toBe(blindIndexOf('phone', '9000000006'));
    expect(JSON.stringify(bulk)).not.toContain('Asha');
  });

  it('rejects an invalid phone number with 422 and stores nothing', async () => {
    const error = await EncPatient.create({ clinicId: 'c8', phone: 'call me maybe' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'invalid_phone', status: 422 });
    expect(await raw().countDocuments({ clinicId: 'c8' })).toBe(0);
  });
});

describe('audit diffs of encrypted documents', () => {
  it('digest encrypted fields even when the caller forgets to list them as PHI', async () => {
    const doc = await EncPatient.create({ clinicId: 'd1', phone: PHONE, notes: NOTES });
    const before = (await EncPatient.findById(doc._id))!;
    doc.notes = 'Reviewed: stable';
    doc.status = 'inactive';
    const diff = diffFields(before, doc);
    expect(diff).toEqual([
      { field: 'notes', from: { digest: expect.any(String) }, to: { digest: expect.any(String) } },
      { field: 'status', from: 'active', to: 'inactive' },
    ]);
    expect(JSON.stringify(diff)).not.toMatch(/chest|Reviewed|enc:v1/);
  });
});

describe('guards', () => {
  it('refuses to filter on an encrypted value, but allows presence checks', async () => {
    await EncPatient.create({ clinicId: 'g1', phone: PHONE });
    await EncPatient.create({ clinicId: 'g1' });
    expect(await codeOf(EncPatient.find({ phone: PHONE }).exec())).toBe('encrypted_field_query');
    expect(await codeOf(EncPatient.findOne({ $or: [{ notes: 'x' }, { clinicId: 'g1' }] }).exec())).toBe(
      'encrypted_field_query',
    );
    expect(await codeOf(EncPatient.countDocuments({ 'emergencyContact.name': 'Asha' }).exec())).toBe(
      'encrypted_field_query',
    );
    expect(await EncPatient.countDocuments({ clinicId: 'g1', phone: { $exists: true } })).toBe(1);
    expect(await EncPatient.countDocuments({ clinicId: 'g1', phone: null })).toBe(1);
  });

  it('refuses updates that cannot work on ciphertext', async () => {
    const doc = await EncPatient.create({
      clinicId: 'g2',
      phone: PHONE,
      emergencyContact: CONTACT,
      medicalFlags: FLAGS,
    });
    const filter = { _id: doc._id };
    expect(await codeOf(EncPatient.updateOne(filter, { $push: { medicalFlags: { code: 'asthma' } } }).exec())).toBe(
      'encrypted_field_operator',
    );
    expect(await codeOf(EncPatient.updateOne(filter, { $set: { 'emergencyContact.name': 'Someone' } }).exec())).toBe(
      'encrypted_field_partial_update',
    );
    expect(await codeOf(EncPatient.updateOne(filter, { $set: { phoneHash: 'forged' } }).exec())).toBe(
      'blind_index_write',
    );
    expect(await codeOf(EncPatient.updateOne(filter, [{ $set: { notes: 'x' } }]).exec())).toBe(
      'encrypted_field_pipeline',
    );
    const stored = await rawById(doc._id);
    expect(stored!.phoneHash).toBe(blindIndexOf('phone', PHONE));
    expect((await EncPatient.findById(doc._id))!.emergencyContact).toEqual(CONTACT);
  });

  it('refuses a ciphertext copied into another field, and plaintext written behind its back', async () => {
    const doc = await EncPatient.create({ clinicId: 'g3', phone: PHONE, notes: NOTES });
    const stored = (await rawById(doc._id))!;
    await raw().updateOne({ _id: doc._id }, { $set: { phone: stored.notes } });
    const moved = (await EncPatient.findById(doc._id))!;
    expect(() => moved.phone).toThrow(expect.objectContaining({ code: 'field_decrypt_failed' }));

    await raw().updateOne({ _id: doc._id }, { $set: { phone: PHONE } });
    expect(await codeOf(EncPatient.findById(doc._id).lean().exec())).toBe('field_not_encrypted');
  });
});

describe('nested paths', () => {
  const rawNested = (id: unknown) =>
    mongoose.connection.db!.collection('enc_nested').findOne({ _id: id as mongoose.Types.ObjectId });

  it('encrypts subdocument and nested fields however they are written, and indexes nested phones', async () => {
    const doc = await EncNested.create({
      clinicId: 'n1',
      mfa: { enabled: false, secret: 'JBSWY3DPEHPK3PXP' },
      guardian: { name: 'Ravi Kumar', phone: PHONE },
    });
    let stored = await rawNested(doc._id);
    expect(stored!.mfa.secret).toMatch(/^enc:v1:t1:/);
    expect(stored!.guardian).toMatchObject({
      name: expect.stringMatching(/^enc:v1:/),
      phone: expect.stringMatching(/^enc:v1:/),
      phoneHash: blindIndexOf('phone', PHONE),
    });

    await EncNested.updateOne({ _id: doc._id }, { $set: { mfa: { enabled: true, secret: 'KRSXG5CTMVRXEZLU' } } });
    await EncNested.updateOne({ _id: doc._id }, { $set: { guardian: { name: 'Ravi K', phone: '9000000010' } } });
    stored = await rawNested(doc._id);
    expect(stored!.mfa).toMatchObject({ enabled: true, secret: expect.stringMatching(/^enc:v1:/) });
    expect(stored!.guardian).toMatchObject({
      name: expect.stringMatching(/^enc:v1:/),
      phoneHash: blindIndexOf('phone', '9000000010'),
    });
    expect(JSON.stringify(stored)).not.toMatch(/KRSXG5CTMVRXEZLU|Ravi|9000000010/);

    await EncNested.updateOne({ _id: doc._id }, { $set: { 'guardian.phone': '9000000011' } });
    expect((await rawNested(doc._id))!.guardian.phoneHash).toBe(blindIndexOf('phone', '9000000011'));
    const read = (await EncNested.findById(doc._id).select('+mfa.secret'))!;
    expect(read.mfa!.secret).toBe('KRSXG5CTMVRXEZLU');
    expect(read.get('guardian.name')).toBe('Ravi K');
    expect(await EncNested.findById(doc._id).select('+mfa.secret').lean()).toMatchObject({
      mfa: { secret: 'KRSXG5CTMVRXEZLU' },
      guardian: { name: 'Ravi K', phone: '9000000011' },
    });
    expect(await EncNested.countDocuments({ 'guardian.phoneHash': blindIndexOf('phone', '+91 90000 00011') })).toBe(1);
  });
});
