/**
 * DPDP rights end to end: a correction filed in the portal and declined by staff with a reason the
 * patient reads; a grievance with an acknowledgement number and a 90-day deadline; a nomination;
 * the access export (a job) holding every collection that holds the patient and nothing of
 * another patient; erasure checked on raw documents; and the breach register's 72-hour clocks.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import mongoose from 'mongoose';
import { DATA_MAP } from '../../src/modules/privacy/index.js';
import { blindIndexOf } from '../../src/platform/crypto/keyring.js';
import type { Actor } from '../../src/platform/actor.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { makeSignedInDoctor } from '../helpers/clinical.js';
import { signInPatient } from '../helpers/portal.js';
import { familyRecords } from '../helpers/portal-fixtures.js';
import type { FamilyRecords } from '../helpers/portal-fixtures.js';
import { startListeningApp, waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

let t: ListeningApp;
let system: Actor;
let frontdesk: SignedInStaff;
let admin: SignedInStaff;
let asha: FamilyRecords;
let other: FamilyRecords;

beforeAll(async () => {
  t = await startListeningApp('privacyrights', {
    env: { WHATSAPP_PACING_MS: '0', CINIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cinic-privacy-')) },
  });
  system = await testSystemActor();
  frontdesk = await createStaffAndLogin(t, ['frontdesk']);
  admin = await createStaffAndLogin(t, ['admin']);
  const { doctorId, login: doctor } = await makeSignedInDoctor(t, system, 'Dr Leela Menon');
  asha = await familyRecords(system, { frontdesk, doctor, doctorId }, 'Asha Verma');
  other = await familyRecords(system, { frontdesk, doctor, doctorId }, 'Bharat Singh');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function portalSession(phone: string) {
  const { agent } = await signInPatient(t, phone);
  const page = await agent.get('/portal/privacy').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  return { agent, csrf };
}

const requestsOf = async (patientId: string) =>
  mongoose.connection
    .db!.collection('rights_requests')
    .find({ patientId: new mongoose.Types.ObjectId(patientId) })
    .toArray();

test('correction, grievance and nomination: acknowledged, queued for staff, answered with a reason the patient reads', async () => {
  const { agent, csrf } = await portalSession(asha.phone);
  for (const form of [
    { kind: 'correction', text: 'My date of birth is 1988-03-04, not 1987' },
    { kind: 'grievance', text: 'A reminder came after I cancelled' },
    { kind: 'nomination', nomineeName: 'Ravi Verma', nomineePhone: '9812345678', nomineeRelation: 'Husband' },
  ]) {
    const res = await agent
      .post('/portal/privacy/requests')
      .type('form')
      .send({ _csrf: csrf, ...form });
    expect(res.status).toBe(303);
  }
  const raw = await requestsOf(asha.patientId);
  expect(raw).toHaveLength(3);
  for (const doc of raw) {
    expect(doc.ackNumber).toMatch(/^DPR-\d{4}-\d{6}$/);
    expect((doc.dueAt as Date).getTime() - (doc.receivedAt as Date).getTime()).toBe(90 * 86_400_000);
    // What the patient wrote is encrypted at rest.
    expect(JSON.stringify(doc.details)).not.toMatch(/1988|reminder|Ravi/);
  }
  const queue = (await frontdesk.agent.get('/api/v1/privacy/requests').expect(200)).body.requests as {
    id: string;
    kind: string;
  }[];
  const correction = queue.find(
    (request) => request.kind === 'correction' && raw.some((doc) => String(doc._id) === request.id),
  )!;
  expect(correction).toBeDefined();
  await frontdesk.agent.post(`/api/v1/privacy/requests/${correction.id}/take`).send({}).expect(200);
  const declined = await frontdesk.agent
    .post(`/api/v1/privacy/requests/${correction.id}/decide`)
    .send({ outcome: 'declined', reason: 'Your Aadhaar shows 1987; bring a birth certificate to change it' })
    .expect(200);
  expect(declined.body.status).toBe('declined');
  expect(declined.body.history.map((entry: { status: string }) => entry.status)).toEqual([
    'received',
    'in_progress',
    'declined',
  ]);
  const page = await agent.get('/portal/privacy').expect(200);
  expect(page.text).toContain('bring a birth certificate');
  // The patient cannot work the queue, and another family's request id is 404 in the portal.
  await agent.get('/api/v1/privacy/requests').expect(401);
  const theirs = await portalSession(other.phone);
  await theirs.agent.get(`/portal/privacy/requests/${correction.id}/export.json`).expect(404);
});

test('access export by a job: JSON and PDF with every collection holding the patient, nothing of anyone else', async () => {
  const { agent, csrf } = await portalSession(asha.phone);
  await agent.post('/portal/privacy/requests').type('form').send({ _csrf: csrf, kind: 'access' }).expect(303);
  const request = await waitFor(
    async () => {
      const doc = (await requestsOf(asha.patientId)).find(
        (item) => item.kind === 'access' && item.status === 'completed',
      );
      return doc ?? undefined;
    },
    { timeoutMs: 30_000, what: 'the export job' },
  );
  const json = await agent.get(`/portal/privacy/requests/${String(request._id)}/export.json`).expect(200);
  const exported = JSON.parse(json.text) as { collections: { collection: string; count: number }[] };
  const text = json.text;

  // Every collection that holds the patient's ids or number (raw scan of the whole database) is in the export.
  const db = mongoose.connection.db!;
  const pid = new mongoose.Types.ObjectId(asha.patientId);
  const phoneHash = blindIndexOf('phone', asha.phone);
  const contact = await db.collection('patients').findOne({ _id: pid });
  const holding: string[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    if (name.startsWith('sandbox_') || name === 'daily_kpis') continue;
    const hit = await db.collection(name).findOne({
      $or: [
        { patientId: pid },
        { _id: pid },
        { _id: contact!.contactId },
        { phoneHash },
        { waHash: phoneHash },
        { toHash: phoneHash },
        { 'entity.id': asha.patientId },
      ],
    });
    if (hit) holding.push(name);
  }
  const exportedNames = exported.collections.filter((item) => item.count > 0).map((item) => item.collection);
  expect(holding.length).toBeGreaterThan(8);
  for (const name of holding) expect([name, exportedNames.includes(name)]).toEqual([name, true]);
  expect(DATA_MAP.length).toBeGreaterThanOrEqual(exported.collections.length);

  // Opened, readable content; nothing of the other family.
  expect(text).toContain('Asha Verma');
  expect(text).toContain('Azithromycin');
  for (const foreign of ['Bharat', other.patientId, other.phone, other.invoiceId, other.prescriptionIds[0]!])
    expect(text).not.toContain(foreign);
  expect(text).not.toContain(phoneHash);
  const pdf = await agent.get(`/portal/privacy/requests/${String(request._id)}/export.pdf`).expect(200);
  expect(pdf.headers['content-type']).toBe('application/pdf');
});

test('erasure: an admin approves; what may go is erased or anonymised on the raw documents, medical and tax records stay with their rule', async () => {
  const { agent, csrf } = await portalSession(other.phone);
  // Bharat's own number: messages and a conversation exist for it.
  await agent.post('/portal/privacy/requests').type('form').send({ _csrf: csrf, kind: 'erasure' }).expect(303);
  const request = (await requestsOf(other.patientId)).find((item) => item.kind === 'erasure')!;
  await frontdesk.agent
    .post(`/api/v1/privacy/requests/${String(request._id)}/erase`)
    .send({})
    .expect(403);
  const db = mongoose.connection.db!;
  const pid = new mongoose.Types.ObjectId(other.patientId);
  const phoneHash = blindIndexOf('phone', other.phone);
  const before = {
    prescriptions: await db.collection('prescriptions').countDocuments({ patientId: pid }),
    invoices: await db.collection('invoices').countDocuments({ patientId: pid }),
    otp: await db.collection('otp_challenges').countDocuments({ phoneHash }),
    outbound: await db.collection('whatsapp_outbound').countDocuments({ toHash: phoneHash }),
  };
  expect(before.otp).toBeGreaterThan(0);
  // Messages still on their way would touch the number's delivery state after the erasure: let them go out first.
  await waitFor(
    async () =>
      (await db.collection('whatsapp_outbound').countDocuments({ toHash: phoneHash, status: 'queued' })) === 0,
    {
      what: 'queued messages to go out',
    },
  );
  expect(before.outbound).toBeGreaterThan(0);

  const done = await admin.agent
    .post(`/api/v1/privacy/requests/${String(request._id)}/erase`)
    .send({})
    .expect(200);
  expect(done.body.status).toBe('completed');
  const retained = done.body.erasure.retained as { label: string; rule: string }[];
  expect(retained.find((item) => item.label === 'Prescriptions')?.rule).toMatch(/Indian Medical Council/);
  expect(retained.find((item) => item.label === 'Bills')?.rule).toMatch(/CGST Act 2017, s\. 36/);

  // Raw documents: the number's messages, codes and delivery state are gone; the number no longer finds the contact.
  expect(await db.collection('otp_challenges').countDocuments({ phoneHash })).toBe(0);
  expect(await db.collection('whatsapp_outbound').countDocuments({ toHash: phoneHash })).toBe(0);
  // The number's delivery state was erased too (a status callback arriving later may file a bare hash again: see the README).
  expect((done.body.erasure.erased as { label: string }[]).map((item) => item.label)).toContain(
    'WhatsApp delivery state',
  );
  // The child's profile still uses the number, so the contact stays (not anonymised) for the family.
  expect(await db.collection('contacts').countDocuments({ phoneHash })).toBe(1);
  expect((done.body.erasure.anonymised as { label: string }[]).map((item) => item.label)).toEqual(['Profile']);
  const profile = await db.collection('patients').findOne({ _id: pid });
  expect(profile!.email).toBeUndefined();
  expect(profile!.emergencyContact).toBeUndefined();
  // Medical and tax records remain, untouched.
  expect(await db.collection('prescriptions').countDocuments({ patientId: pid })).toBe(before.prescriptions);
  expect(await db.collection('invoices').countDocuments({ patientId: pid })).toBe(before.invoices);
  // Asha's records are untouched.
  expect(
    await db.collection('otp_challenges').countDocuments({ phoneHash: blindIndexOf('phone', asha.phone) }),
  ).toBeGreaterThan(0);
  const audit = await db.collection('audit_events').findOne({ action: 'patient.erased', 'entity.id': other.patientId });
  expect(audit).toBeTruthy();
});

test('breach register: 72-hour clocks for the Board and the patients, the notice text, and notification times', async () => {
  const discoveredAt = new Date(Date.now() - 10 * 3_600_000);
  const created = await admin.agent
    .post('/api/v1/privacy/breaches')
    .send({
      discoveredAt: discoveredAt.toISOString(),
      description: 'A front-desk laptop with an export of appointment lists was stolen',
      dataCategories: ['names', 'phone numbers', 'appointment times'],
      measures: 'Disk was encrypted; passwords rotated; device wiped remotely',
      affectedPatientIds: [asha.patientId],
    })
    .expect(201);
  expect(created.body.reference).toMatch(/^BR-\d{4}-\d{4}$/);
  expect(new Date(created.body.board.dueAt).getTime() - discoveredAt.getTime()).toBe(72 * 3_600_000);
  expect(created.body.board.hoursLeft).toBeGreaterThan(61);
  expect(created.body.board.hoursLeft).toBeLessThanOrEqual(62);
  expect(created.body.noticeText).toContain('What happened: A front-desk laptop');
  await frontdesk.agent.get('/api/v1/privacy/breaches').expect(403);
  await admin.agent.post(`/api/v1/privacy/breaches/${created.body.id}/notified`).send({ who: 'board' }).expect(200);
  const both = await admin.agent
    .post(`/api/v1/privacy/breaches/${created.body.id}/notified`)
    .send({ who: 'patients' })
    .expect(200);
  expect(both.body.status).toBe('notified');
  expect(both.body.board.overdue).toBe(false);
  await admin.agent.post(`/api/v1/privacy/breaches/${created.body.id}/notified`).send({ who: 'board' }).expect(409);
  const raw = await mongoose.connection.db!.collection('breaches').findOne({});
  expect(JSON.stringify(raw)).not.toContain('laptop');
});
