import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { OutboundMessageModel } from '../../src/modules/messaging/outbound.model.js';
import { documentDeliveryOf, sendPatientDocument } from '../../src/modules/messaging/patient-documents.js';
import { recordConsent, withdrawConsent } from '../../src/modules/patients/consent.service.js';
import type { SandboxMessageView } from '../../src/sandbox/whatsapp/graph.service.js';
import type { Actor } from '../../src/platform/actor.js';
import { publish } from '../../src/platform/domain-events.js';
import { createLogger, setRootLogger } from '../../src/platform/logger.js';
import { signDocumentToken } from '../../src/platform/storage/signed-links.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { checkedInAppointment, makeSignedInDoctor } from '../helpers/clinical.js';
import { makePatient } from '../helpers/scheduling.js';
import { sendInboundVia, sleep, startListeningApp, waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

// Distinctive clinical text: none of it may reach a caption, a template parameter or a log line.
const CLINICAL = [
  'xq-medicine Baclofen',
  'xq-instructions with warm water',
  'xq-advice avoid fizzy drinks',
  'xq-goal smaller meals',
  'xq-food ginger tea',
];
const item = (medicine = CLINICAL[0]!) => ({
  medicine,
  strength: '10 mg',
  form: 'Tablet',
  dose: '1 tablet',
  frequency: '1-0-1',
  duration: '5 days',
  route: 'Oral',
  instructions: CLINICAL[1]!,
});
const DIET = { goal: CLINICAL[3]!, meals: [{ time: 'breakfast', items: [CLINICAL[4]!] }] };

type CloudDocument = { link: string; filename?: string; caption?: string };

describe('patient documents on WhatsApp: prescriptions and diet plans as PDFs through signed links', () => {
  let t: ListeningApp;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let doctor: SignedInStaff;
  let doctorId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cinic-wa-documents-'));
    t = await startListeningApp('wa-documents', { env: { CINIC_DATA_DIR: dataDir, WHATSAPP_PACING_MS: '20' } });
    system = await testSystemActor();
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    ({ doctorId, login: doctor } = await makeSignedInDoctor(t, system, 'Dr Kavya Iyer'));
    // From here on every log line is kept, at the most verbose level.
    setRootLogger(
      createLogger(
        'trace',
        new Writable({
          write(chunk, _encoding, done) {
            logLines.push(String(chunk));
            done();
          },
        }),
      ),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  /** A checked-in patient in consultation with the doctor: their visit id, patient id and WhatsApp id. */
  async function patientInConsult(): Promise<{ visitId: string; patientId: string; waId: string }> {
    const patient = await makePatient(system, 'Meena Pillai');
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId, patient.id);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    return { visitId, patientId: patient.id, waId: patient.phone.slice(1) };
  }

  /** The patient writes first, so free-form messages (a document) may go out for 24 hours. */
  async function openWindow(waId: string): Promise<void> {
    await sendInboundVia(t.http, t.runtime.config, { from: waId, text: 'hi' });
    await waitFor(async () => (await received(waId)).length > 0, { what: 'the bot to answer' });
  }

  async function received(waId: string): Promise<SandboxMessageView[]> {
    return (await t.http.get('/sandbox/whatsapp/api/messages').query({ to: waId }).expect(200)).body
      .messages as SandboxMessageView[];
  }

  async function documentsTo(waId: string): Promise<CloudDocument[]> {
    return (await received(waId))
      .filter((sent) => sent.message.type === 'document')
      .map((sent) => sent.message.document as CloudDocument);
  }

  async function waitForDocuments(waId: string, count: number): Promise<CloudDocument[]> {
    return waitFor(
      async () => {
        const documents = await documentsTo(waId);
        return documents.length >= count ? documents : undefined;
      },
      { what: `${count} document(s) on WhatsApp` },
    );
  }

  async function download(link: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
    const res = await fetch(link);
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  }

  const issuePrescription = (visitId: string, supersedesVersion: number, medicine?: string) =>
    doctor.agent
      .post(`/api/v1/visits/${visitId}/prescriptions`)
      .send({ items: [item(medicine)], advice: CLINICAL[2], supersedesVersion })
      .expect(201);

  it('sends an issued prescription once, as a document whose signed link downloads the PDF', async () => {
    const { visitId, waId } = await patientInConsult();
    await openWindow(waId);
    const v1 = (await issuePrescription(visitId, 0)).body;
    // The issue answer already knows the document is on its way.
    expect(v1.whatsapp).toEqual({ status: 'queued', sentAt: null });

    const [document] = await waitForDocuments(waId, 1);
    const issuedOn = new Intl.DateTimeFormat('en-IN', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'Asia/Kolkata',
    }).format(new Date(v1.issuedAt));
    expect(document).toEqual({
      link: expect.stringMatching(new RegExp(`^${t.baseUrl}/documents/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`)),
      filename: `prescription-${String(v1.issuedAt).slice(0, 10)}-v1.pdf`,
      caption: `Your prescription from Dr Kavya Iyer, ${issuedOn}`,
    });

    const pdf = await download(document!.link);
    expect(pdf.status).toBe(200);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`inline; filename="${document!.filename}"`);
    expect(pdf.headers.get('cache-control')).toBe('private, no-store');
    expect(pdf.headers.get('x-robots-tag')).toMatch(/noindex/);

    // The stand-in reports sent, delivered, read: the doctor's views say so.
    const delivered = await waitFor(
      async () => {
        const view = (await doctor.agent.get(`/api/v1/prescriptions/${v1.id}`).expect(200)).body;
        return view.whatsapp?.status === 'read' ? view.whatsapp : undefined;
      },
      { what: 'the prescription to read as read on WhatsApp' },
    );
    // Meta's status timestamps are whole seconds, so the send can read up to a second before issue.
    expect(new Date(delivered.sentAt).getTime()).toBeGreaterThanOrEqual(
      Math.floor(new Date(v1.issuedAt).getTime() / 1000) * 1000,
    );
    expect(await documentDeliveryOf(system.clinicId, `prescription|${v1.id}|v1`)).toEqual({
      status: 'read',
      sentAt: expect.any(Date),
    });
    expect(
      (await doctor.agent.get(`/api/v1/visits/${visitId}/prescriptions`).expect(200)).body.items[0].whatsapp,
    ).toMatchObject({ status: 'read' });
  });

  it('sends version 2 when it is issued, and nothing more when events are delivered again or calls race', async () => {
    const { visitId, patientId, waId } = await patientInConsult();
    await openWindow(waId);
    const v1 = (await issuePrescription(visitId, 0)).body;
    const v2 = (await issuePrescription(visitId, 1, 'xq-medicine Amitriptyline')).body;
    const documents = await waitForDocuments(waId, 2);
    expect(documents.map((document) => document.filename)).toEqual([
      expect.stringMatching(/-v1\.pdf$/),
      expect.stringMatching(/-v2\.pdf$/),
    ]);
    expect(documents[1]!.caption).toMatch(/^Your updated prescription from Dr Kavya Iyer, /);

    // At-least-once delivery: the same events again, some at once; and v1's again after v2 superseded it.
    const again = { clinicId: system.clinicId, prescriptionId: v2.id as string, patientId, version: 2 };
    await Promise.all([
      publish('prescription.issued', again),
      publish('prescription.issued', again),
      publish('prescription.issued', { ...again, prescriptionId: v1.id, version: 1 }),
    ]);
    // Five concurrent sends under one new key: one message.
    const storageKey = `clinics/${system.clinicId}/prescriptions/${v2.id}-v2.pdf`;
    const input = {
      clinicId: system.clinicId,
      patientId,
      kind: 'receipt' as const,
      storageKey,
      filename: 'receipt-1.pdf',
      caption: 'Your receipt from Sunrise Clinic',
      dedupeKey: `receipt|${v2.id}|v1`,
    };
    const racers = await Promise.all(Array.from({ length: 5 }, () => sendPatientDocument(input)));
    expect(new Set(racers.map((result) => result?.outboundId)).size).toBe(1);
    expect(
      await OutboundMessageModel.countDocuments({
        clinicId: system.clinicId,
        purpose: 'document',
        _id: racers[0]!.outboundId,
      }),
    ).toBe(1);

    await waitForDocuments(waId, 3);
    await sleep(1500);
    expect((await documentsTo(waId)).map((document) => document.filename)).toEqual([
      expect.stringMatching(/-v1\.pdf$/),
      expect.stringMatching(/-v2\.pdf$/),
      'receipt-1.pdf',
    ]);
  });

  it('answers a tampered, foreign-key, expired or unknown link with the same 404, and never logs the token', async () => {
    const { visitId, waId } = await patientInConsult();
    await openWindow(waId);
    await issuePrescription(visitId, 0);
    const [document] = await waitForDocuments(waId, 1);
    const token = document!.link.split('/').pop()!;
    const [payload, signature] = token.split('.') as [string, string];
    const key = `clinics/${system.clinicId}/prescriptions/x-v1.pdf`;
    const target = { key, filename: 'x.pdf', contentType: 'application/pdf' };
    const bad = [
      `${payload.slice(0, -2)}${payload.endsWith('AA') ? 'BB' : 'AA'}.${signature}`,
      `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`,
      signDocumentToken(target, 'another-secret-entirely-0123456789abcdef', new Date(Date.now() + 60_000)),
      signDocumentToken(target, t.runtime.config.documents.linkSecret, new Date(Date.now() - 1000)),
      'not-a-token',
    ];
    for (const candidate of bad) {
      const res = await t.http.get(`/documents/${candidate}`);
      expect([res.status, res.type, res.body.code]).toEqual([404, 'application/problem+json', 'document_not_found']);
      expect(res.headers['cache-control']).toBe('private, no-store');
    }
    // A valid link to a file that is not stored answers the very same way.
    const missing = await t.http.get(
      `/documents/${signDocumentToken(target, t.runtime.config.documents.linkSecret, new Date(Date.now() + 60_000))}`,
    );
    expect([missing.status, missing.body.code]).toEqual([404, 'document_not_found']);
    expect((await t.http.get(`/documents/${token}`)).status).toBe(200);

    const logs = logLines.join('');
    expect(logs).toContain('"path":"/documents/:token"');
    for (const candidate of [token, payload, signature, ...bad]) expect(logs).not.toContain(candidate);
  });

  it('sends an issued diet plan the same way', async () => {
    const { visitId, waId } = await patientInConsult();
    await openWindow(waId);
    const plan = (
      await doctor.agent
        .post(`/api/v1/visits/${visitId}/diet-plans`)
        .send({ ...DIET, supersedesVersion: 0 })
        .expect(201)
    ).body;
    const [document] = await waitForDocuments(waId, 1);
    expect(document).toMatchObject({
      filename: `diet-plan-${String(plan.issuedAt).slice(0, 10)}-v1.pdf`,
      caption: expect.stringMatching(/^Your diet plan from Dr Kavya Iyer, /),
    });
    expect((await download(document!.link)).body.subarray(0, 5).toString()).toBe('%PDF-');
    const view = await waitFor(
      async () => {
        const versions = (await doctor.agent.get(`/api/v1/visits/${visitId}/diet-plans`).expect(200)).body.items;
        return versions[0].whatsapp?.sentAt ? versions[0] : undefined;
      },
      { what: 'the diet plan to read as sent' },
    );
    expect(view.whatsapp.status).toMatch(/^(sent|delivered|read)$/);
  });

  it('outside the 24-hour window sends the document template with the PDF in its header', async () => {
    const { visitId, waId } = await patientInConsult();
    await issuePrescription(visitId, 0);
    const template = await waitFor(
      async () =>
        (await received(waId)).find((sent) => sent.message.type === 'template')?.message.template as
          | {
              name: string;
              components: { type: string; parameters: { type: string; text?: string; document?: CloudDocument }[] }[];
            }
          | undefined,
      { what: 'the document template' },
    );
    expect(template.name).toBe('patient_document');
    const header = template.components.find((component) => component.type === 'header')!.parameters[0]!;
    expect(header.document!.filename).toMatch(/^prescription-.*-v1\.pdf$/);
    expect(template.components.find((component) => component.type === 'body')!.parameters).toEqual([
      { type: 'text', text: expect.stringMatching(/^Your prescription from Dr Kavya Iyer, /) },
    ]);
    expect((await download(header.document!.link)).body.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('sends nothing to a patient who withdrew or refused WhatsApp consent, or who cannot be found, and issuing still works', async () => {
    const withdrawn = await patientInConsult();
    const consent = { noticeVersion: '2026-01', givenBy: 'self' as const, channel: 'frontdesk' as const };
    const granted = await recordConsent(system, withdrawn.patientId, { ...consent, purpose: 'whatsapp_messaging' });
    await withdrawConsent(system, withdrawn.patientId, granted.consent.id, { channel: 'frontdesk' });
    const refused = await patientInConsult();
    await recordConsent(system, refused.patientId, { ...consent, purpose: 'care' });

    for (const patient of [withdrawn, refused]) {
      await openWindow(patient.waId);
      const rx = (await issuePrescription(patient.visitId, 0)).body;
      expect(rx.whatsapp).toBeNull();
    }
    const storageKey = `clinics/${system.clinicId}/prescriptions/none.pdf`;
    const unknown = {
      clinicId: system.clinicId,
      patientId: '65a1b2c3d4e5f60718293a4b',
      kind: 'invoice' as const,
      storageKey,
      filename: 'i.pdf',
      caption: 'Your invoice',
      dedupeKey: 'invoice|x|v1',
    };
    expect(await sendPatientDocument(unknown)).toBeNull();
    await sleep(1000);
    for (const patient of [withdrawn, refused]) expect(await documentsTo(patient.waId)).toEqual([]);
    expect(logLines.join('')).toContain('"reason":"no_whatsapp_consent"');
  });

  it('never puts clinical text or a phone number into a message caption, a template or a log line', async () => {
    const all = (await OutboundMessageModel.find({ clinicId: system.clinicId, purpose: 'document' }).lean()).map(
      (record) => JSON.stringify([record.message, record.template]),
    );
    expect(all.length).toBeGreaterThanOrEqual(6);
    const logs = logLines.join('');
    for (const needle of CLINICAL) {
      for (const sent of all) expect(sent).not.toContain(needle);
      expect(logs).not.toContain(needle);
    }
    expect(logs).not.toMatch(/9198\d{8}/);
  });
});
