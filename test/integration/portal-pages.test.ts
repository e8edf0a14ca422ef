/**
 * The portal's pages through the real app: sign-in by form with the code read from the WhatsApp
 * stand-in, then each section as the patient — appointments (cancel, reschedule), prescriptions
 * and diet plans with versions and PDFs, bills with receipts and pay-now, profile, the family
 * switcher, consents — and another family's ids in every URL answer 404.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Response } from 'supertest';
import mongoose from 'mongoose';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { consentStanding } from '../../src/modules/patients/index.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import type { Actor } from '../../src/platform/actor.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import { makeSignedInDoctor } from '../helpers/clinical.js';
import { waitForCode } from '../helpers/portal.js';
import { familyRecords } from '../helpers/portal-fixtures.js';
import type { FamilyRecords } from '../helpers/portal-fixtures.js';
import { startListeningApp } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

let t: ListeningApp;
let system: Actor;
let asha: FamilyRecords;
let other: FamilyRecords;

beforeAll(async () => {
  t = await startListeningApp('portalpages', {
    env: { WHATSAPP_PACING_MS: '0', CINIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cinic-portal-')) },
  });
  system = await testSystemActor();
  const frontdesk = await createStaffAndLogin(t, ['frontdesk']);
  const { doctorId, login: doctor } = await makeSignedInDoctor(t, system, 'Dr Leela Menon');
  asha = await familyRecords(system, { frontdesk, doctor, doctorId }, 'Asha Verma');
  other = await familyRecords(system, { frontdesk, doctor, doctorId }, 'Bharat Singh');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** Signs in through the HTML forms; returns the agent and the form token. */
async function signInByForm(phone: string): Promise<{ agent: TestAgent; csrf: string; home: supertest.Response }> {
  const agent = supertest.agent(t.app);
  const start = await agent.get('/portal').expect(200);
  expect(start.text).toContain('<label for="phone">');
  const codeForm = await agent
    .post('/portal/code')
    .type('form')
    .send({ phone: phone.slice(3), lang: 'en' })
    .expect(200);
  expect(codeForm.text).toContain('autocomplete="one-time-code"');
  const count = (await t.http.get(`/sandbox/whatsapp/api/messages?to=${phone.slice(1)}`)).body.messages.length;
  const code = await waitForCode(t, phone, Math.max(1, count));
  const verified = await agent.post('/portal/verify').type('form').send({ phone, code, lang: 'en' });
  expect(verified.status).toBe(303);
  expect(verified.headers.location).toBe('/portal/home');
  const home = await agent.get('/portal/home').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1]!;
  return { agent, csrf, home };
}

function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

let session: { agent: TestAgent; csrf: string };

test('sign-in by form; every section renders for the patient, light and script-free', async () => {
  const signedIn = await signInByForm(asha.phone);
  session = signedIn;
  expect(signedIn.home.text).toContain('Asha Verma');
  for (const section of ['home', 'appointments', 'records', 'bills', 'profile', 'privacy']) {
    const res = await signedIn.agent.get(`/portal/${section}`).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Buffer.byteLength(res.text)).toBeLessThan(50_000);
    expect(res.text).not.toContain('<script');
    expect(res.text).not.toContain('Bharat');
  }
});

test('prescriptions and diet plans: latest version first, earlier ones listed, PDFs download', async () => {
  const page = await session.agent.get('/portal/records').expect(200);
  const [v1, v2] = asha.prescriptionIds;
  expect(page.text.indexOf(`/portal/prescriptions/${v2}.pdf`)).toBeLessThan(
    page.text.indexOf(`/portal/prescriptions/${v1}.pdf`),
  );
  expect(page.text).toContain('Earlier versions');
  const pdf = await session.agent.get(`/portal/prescriptions/${v1}.pdf`).buffer(true).parse(binary).expect(200);
  expect(pdf.headers['content-type']).toBe('application/pdf');
  expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  const diet = await session.agent
    .get(`/portal/diet-plans/${asha.dietPlanId}.pdf`)
    .buffer(true)
    .parse(binary)
    .expect(200);
  expect((diet.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
});

test('bills: invoice and receipt PDFs, pay-now opens a payment link for what is due', async () => {
  const page = await session.agent.get('/portal/bills').expect(200);
  expect(page.text).toContain(`/portal/receipts/${asha.paymentId}.pdf`);
  expect(page.text).toContain('Pay now');
  for (const url of [`/portal/invoices/${asha.invoiceId}.pdf`, `/portal/receipts/${asha.paymentId}.pdf`]) {
    const pdf = await session.agent.get(url).buffer(true).parse(binary).expect(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  }
  const pay = await session.agent
    .post(`/portal/invoices/${asha.invoiceId}/pay`)
    .type('form')
    .send({ _csrf: session.csrf });
  expect(pay.status).toBe(303);
  expect(pay.headers.location).toMatch(/\/sandbox\/razorpay\//);
});

test('appointments: reschedule to a free slot, then cancel, through the appointment rules', async () => {
  const picker = await session.agent.get(`/portal/appointments/${asha.upcomingId}/reschedule`).expect(200);
  expect(picker.text).toContain(asha.freeSlotId);
  const moved = await session.agent
    .post(`/portal/appointments/${asha.upcomingId}/reschedule`)
    .type('form')
    .send({ _csrf: session.csrf, slotId: asha.freeSlotId });
  expect(moved.status).toBe(303);
  const raw = await mongoose.connection
    .db!.collection('appointments')
    .findOne({ _id: new mongoose.Types.ObjectId(asha.upcomingId) });
  expect(String(raw!.slotId)).toBe(asha.freeSlotId);
  const cancelled = await session.agent
    .post(`/portal/appointments/${asha.upcomingId}/cancel`)
    .type('form')
    .send({ _csrf: session.csrf });
  expect(cancelled.status).toBe(303);
  const after = await mongoose.connection
    .db!.collection('appointments')
    .findOne({ _id: new mongoose.Types.ObjectId(asha.upcomingId) });
  expect(after!.status).toBe('cancelled');
  // Cancelling twice is refused by the lifecycle, shown as a page, not an error.
  const again = await session.agent
    .post(`/portal/appointments/${asha.upcomingId}/cancel`)
    .type('form')
    .send({ _csrf: session.csrf });
  expect(again.status).toBe(409);
  expect(again.text).toContain('This cannot be done now');
});

test('profile: name, email and emergency contact change (encrypted at rest); the code and number stay read only', async () => {
  const saved = await session.agent.post('/portal/profile').type('form').send({
    _csrf: session.csrf,
    name: 'Asha R Verma',
    email: 'asha@example.in',
    language: 'en',
    emergencyName: 'Ravi Verma',
    emergencyPhone: '9812345678',
    emergencyRelation: 'Husband',
  });
  expect(saved.status).toBe(303);
  const page = await session.agent.get('/portal/profile').expect(200);
  expect(page.text).toContain('asha@example.in');
  expect(page.text).toContain('Ravi Verma');
  const raw = await mongoose.connection
    .db!.collection('patients')
    .findOne({ _id: new mongoose.Types.ObjectId(asha.patientId) });
  expect(JSON.stringify(raw)).not.toContain('asha@example.in');
  expect(page.text).not.toMatch(/name="code"|name="phone"/);
});

test('family switcher: the holder sees the child profile on the number, and only those', async () => {
  const home = await session.agent.get('/portal/home').expect(200);
  expect(home.text).toContain(asha.childName);
  expect(home.text).not.toContain(other.childName);
  await session.agent
    .post('/portal/switch')
    .type('form')
    .send({ _csrf: session.csrf, patientId: asha.childId })
    .expect(303);
  const switched = await session.agent.get('/portal/home').expect(200);
  expect(switched.text).toMatch(new RegExp(`<h1>${asha.childName}</h1>`));
  await session.agent
    .post('/portal/switch')
    .type('form')
    .send({ _csrf: session.csrf, patientId: other.patientId })
    .expect(404);
  await session.agent
    .post('/portal/switch')
    .type('form')
    .send({ _csrf: session.csrf, patientId: asha.patientId })
    .expect(303);
});

test('consent withdrawal: one tap, audited, and the reminder rule sees it at once', async () => {
  expect(await consentStanding(system.clinicId, asha.patientId, 'reminders')).toBe('granted');
  const res = await session.agent
    .post(`/portal/consents/${asha.consentIds.reminders}/withdraw`)
    .type('form')
    .send({ _csrf: session.csrf });
  expect(res.status).toBe(303);
  expect(await consentStanding(system.clinicId, asha.patientId, 'reminders')).toBe('refused');
  expect(await consentStanding(system.clinicId, asha.patientId, 'care')).toBe('granted');
  const event = await AuditEvent.findOne({
    action: 'consent.withdrawn',
    'entity.id': asha.consentIds.reminders,
  }).lean();
  expect(event?.actor.type).toBe('patient');
  expect(JSON.stringify(event?.diff)).toContain('portal');
});

test("another family's ids in every portal URL answer 404, like ids that do not exist", async () => {
  const { agent, csrf } = session;
  const form = { _csrf: csrf };
  const gets = [
    `/portal/appointments/${other.upcomingId}/reschedule`,
    `/portal/prescriptions/${other.prescriptionIds[0]}.pdf`,
    `/portal/diet-plans/${other.dietPlanId}.pdf`,
    `/portal/invoices/${other.invoiceId}.pdf`,
    `/portal/receipts/${other.paymentId}.pdf`,
  ];
  for (const url of gets) expect([url, (await agent.get(url)).status]).toEqual([url, 404]);
  const posts: [string, Record<string, string>][] = [
    [`/portal/appointments/${other.upcomingId}/cancel`, form],
    [`/portal/appointments/${other.upcomingId}/reschedule`, { ...form, slotId: other.freeSlotId }],
    [`/portal/invoices/${other.invoiceId}/pay`, form],
    [`/portal/consents/${other.consentIds.care}/withdraw`, form],
    ['/portal/switch', { ...form, patientId: other.patientId }],
  ];
  for (const [url, body] of posts)
    expect([url, (await agent.post(url).type('form').send(body)).status]).toEqual([url, 404]);
  // Nothing of theirs changed.
  expect(await consentStanding(system.clinicId, other.patientId, 'care')).toBe('granted');
  const theirs = await mongoose.connection
    .db!.collection('appointments')
    .findOne({ _id: new mongoose.Types.ObjectId(other.upcomingId) });
  expect(theirs!.status).not.toBe('cancelled');
  const missing = '0123456789abcdef01234567';
  expect((await agent.get(`/portal/prescriptions/${missing}.pdf`)).status).toBe(404);
});

test('forms without the token or from another site are refused, and sign-out ends the session', async () => {
  const { agent, csrf } = session;
  await agent.post('/portal/logout').type('form').send({}).expect(404);
  await agent.post('/portal/logout').set('sec-fetch-site', 'cross-site').type('form').send({ _csrf: csrf }).expect(404);
  const out = await agent.post('/portal/logout').type('form').send({ _csrf: csrf });
  expect(out.status).toBe(303);
  const after = await agent.get('/portal/home');
  expect(after.status).toBe(303);
  expect(after.headers.location).toBe('/portal');
  const wrong = await agent.post('/portal/verify').type('form').send({ phone: asha.phone, code: '000000', lang: 'hi' });
  expect(wrong.status).toBe(401);
  expect(wrong.text).toContain('lang="hi"');
});
