import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { DietPlan } from '../../src/modules/clinical/diet-plan.model.js';
import { Prescription } from '../../src/modules/clinical/prescription.model.js';
import { createDoctor } from '../../src/modules/doctors/doctor.service.js';
import type { Actor } from '../../src/platform/actor.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createDocumentStorage } from '../../src/platform/storage/index.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { captureEvents, checkedInAppointment, makeSignedInDoctor, startClinicalApp } from '../helpers/clinical.js';
import type { TestApp } from '../helpers/test-app.js';

const SOAP_TEXT = 'Patient worried about job loss, sleeping poorly';
const item = (medicine: string, extra: Record<string, string> = {}) => ({
  medicine,
  strength: '500 mg',
  form: 'Tablet',
  dose: '1 tablet',
  frequency: '1-0-1',
  duration: '5 days',
  route: 'Oral',
  ...extra,
});

/** Collects a binary body (supertest buffers only text by default). */
function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('prescriptions and diet plans: versions, PDFs, pharmacy and dispensing', () => {
  let t: TestApp;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let doctor: SignedInStaff;
  let pharmacy: SignedInStaff;
  let doctorId: string;
  let visitId: string;
  let patientId: string;
  const issued = captureEvents('prescription.issued');
  const dietIssued = captureEvents('diet_plan.issued');

  beforeAll(async () => {
    t = await startClinicalApp('clinicalrx');
    system = await testSystemActor();
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    pharmacy = await createStaffAndLogin(t, ['pharmacy']);
    ({ doctorId, login: doctor } = await makeSignedInDoctor(t, system, 'Dr Farhan Ali'));
    const appointment = await checkedInAppointment(frontdesk, system, doctorId);
    patientId = appointment.patientId;
    visitId = (await doctor.agent.post(`/api/v1/consults/${appointment.appointmentId}/start`).send({}).expect(200)).body
      .visit.id;
    await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 0, soap: { subjective: SOAP_TEXT } })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('issues versions 1, 2, 3: each supersedes the previous, none is edited, all stay readable with issuer and time', async () => {
    const v1 = (
      await doctor.agent
        .post(`/api/v1/visits/${visitId}/prescriptions`)
        .send({ items: [item('Amoxicillin')], supersedesVersion: 0 })
        .expect(201)
    ).body;
    const v2 = (
      await doctor.agent
        .post(`/api/v1/visits/${visitId}/prescriptions`)
        .send({ items: [item('Azithromycin')], supersedesVersion: 1 })
        .expect(201)
    ).body;
    const v3 = (
      await doctor.agent
        .post(`/api/v1/visits/${visitId}/prescriptions`)
        .send({
          items: [item('Azithromycin'), item('Cetirizine', { strength: '10 mg', frequency: '0-0-1' })],
          advice: 'Steam inhalation',
          supersedesVersion: 2,
        })
        .expect(201)
    ).body;
    expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
    expect(v3).toMatchObject({
      status: 'active',
      issuedBy: { doctorId, name: 'Dr Farhan Ali', registrationNumber: expect.stringMatching(/^KMC-/) },
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(v3.items.map((line: { id: string }) => line.id)).toEqual([
      expect.stringMatching(/^[0-9a-f]{24}$/),
      expect.stringMatching(/^[0-9a-f]{24}$/),
    ]);

    // A doctor working from version 1 cannot silently replace version 3.
    expect(
      (
        await doctor.agent
          .post(`/api/v1/visits/${visitId}/prescriptions`)
          .send({ items: [item('Ibuprofen')], supersedesVersion: 1 })
          .expect(409)
      ).body,
    ).toMatchObject({ reason: 'stale_version', currentVersion: 3 });

    const versions = (await doctor.agent.get(`/api/v1/visits/${visitId}/prescriptions`).expect(200)).body.items;
    expect(
      versions.map((entry: { version: number; status: string; supersededByVersion?: number }) => [
        entry.version,
        entry.status,
        entry.supersededByVersion,
      ]),
    ).toEqual([
      [3, 'active', undefined],
      [2, 'superseded', 3],
      [1, 'superseded', 2],
    ]);
    expect(versions[2]).toMatchObject({
      items: [{ medicine: 'Amoxicillin' }],
      issuedAt: v1.issuedAt,
      issuedBy: { name: 'Dr Farhan Ali' },
    });
    expect((await doctor.agent.get(`/api/v1/prescriptions/${v1.id}`).expect(200)).body).toMatchObject({
      version: 1,
      status: 'superseded',
      items: [{ medicine: 'Amoxicillin' }],
    });
    expect(issued.filter((event) => event.patientId === patientId).map((event) => event.version)).toEqual([1, 2, 3]);
    expect(issued.at(-1)).toEqual({ clinicId: system.clinicId, prescriptionId: v3.id, patientId, version: 3 });
    expect(
      await AuditEvent.countDocuments({ action: 'prescription.issued', 'entity.id': { $in: [v1.id, v2.id, v3.id] } }),
    ).toBe(3);
  });

  it('renders each version to a PDF stored through document storage and served to readers', async () => {
    const rx = (
      await doctor.agent
        .post(`/api/v1/visits/${visitId}/prescriptions`)
        .send({
          items: [item('Pantoprazole', { strength: '40 mg', instructions: 'खाली पेट, नाश्ते से 30 मिनट पहले' })],
        })
        .expect(201)
    ).body;
    const stored = (await Prescription.findById(rx.id).lean())!;
    expect(stored.pdf).toMatchObject({
      key: `clinics/${system.clinicId}/prescriptions/${rx.id}-v${rx.version}.pdf`,
      bytes: expect.any(Number),
    });
    const object = await createDocumentStorage(t.runtime.config).get(stored.pdf!.key!);
    expect(object!.contentType).toBe('application/pdf');
    expect(object!.body.subarray(0, 5).toString()).toBe('%PDF-');

    const res = await doctor.agent.get(`/api/v1/prescriptions/${rx.id}/pdf`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename="prescription-\d{4}-\d{2}-\d{2}-v\d+\.pdf"$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(res.body as Buffer, object!.body)).toBe(0);
    expect(await AuditEvent.countDocuments({ action: 'prescription.pdf_viewed', 'entity.id': rx.id })).toBe(1);
  });

  it('refuses to issue a prescription without the doctor’s registration number (it must be printed)', async () => {
    const bare = await createDoctor(system, {
      name: 'Dr No Number',
      speciality: 'General Medicine',
      consultationFeePaise: 30_000,
    });
    const login = await createStaffAndLogin(t, ['doctor'], { doctorId: bare.id });
    const { appointmentId } = await checkedInAppointment(frontdesk, system, bare.id);
    const id = (await login.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit.id;
    expect(
      (
        await login.agent
          .post(`/api/v1/visits/${id}/prescriptions`)
          .send({ items: [item('Paracetamol')] })
          .expect(422)
      ).body.reason,
    ).toBe('registration_number_missing');
  });

  it('shows the pharmacy prescriptions (medicines only, never the note) and records dispensing per line, audited', async () => {
    const counter = (await pharmacy.agent.get(`/api/v1/prescriptions?patientId=${patientId}`).expect(200)).body.items;
    expect(counter).toHaveLength(1);
    const current = counter[0];
    expect(current).toMatchObject({ status: 'active', items: expect.any(Array) });
    expect(JSON.stringify(counter)).not.toContain(SOAP_TEXT);
    await pharmacy.agent.get(`/api/v1/prescriptions/${current.id}/pdf`).buffer(true).parse(binary).expect(200);
    await pharmacy.agent.get(`/api/v1/visits/${visitId}`).expect(403);
    await pharmacy.agent.get(`/api/v1/visits/${visitId}/bundle`).expect(403);
    await pharmacy.agent.get(`/api/v1/clinical-history/${patientId}`).expect(403);

    const lineId = current.items[0].id as string;
    const dispensed = await pharmacy.agent
      .post(`/api/v1/prescriptions/${current.id}/dispensings`)
      .send({ items: [{ itemId: lineId, status: 'partial', quantity: 5 }], note: 'Rest to be collected tomorrow' })
      .expect(201);
    expect(dispensed.body).toMatchObject({
      prescriptionId: current.id,
      items: [{ itemId: lineId, status: 'partial', quantity: 5 }],
      dispensedBy: { staffId: pharmacy.staff.id },
    });
    await pharmacy.agent
      .post(`/api/v1/prescriptions/${current.id}/dispensings`)
      .send({ items: [{ itemId: lineId, status: 'full' }] })
      .expect(201);
    const audits = await AuditEvent.find({ action: 'dispensing.recorded', 'entity.id': current.id }).lean();
    expect(audits).toHaveLength(2);
    expect(JSON.stringify(audits)).not.toContain('collected tomorrow');

    const history = (await pharmacy.agent.get(`/api/v1/prescriptions/${current.id}/dispensings`).expect(200)).body
      .items;
    expect(history.map((record: { items: { status: string }[] }) => record.items[0]!.status)).toEqual([
      'partial',
      'full',
    ]);
    expect(
      (
        await pharmacy.agent
          .post(`/api/v1/prescriptions/${current.id}/dispensings`)
          .send({ items: [{ itemId: '0'.repeat(24), status: 'full' }] })
          .expect(422)
      ).body.reason,
    ).toBe('unknown_item');
    await doctor.agent
      .post(`/api/v1/prescriptions/${current.id}/dispensings`)
      .send({ items: [{ itemId: lineId, status: 'full' }] })
      .expect(403);

    const superseded = (await doctor.agent.get(`/api/v1/visits/${visitId}/prescriptions`).expect(200)).body.items.find(
      (entry: { status: string }) => entry.status === 'superseded',
    );
    const refused = await pharmacy.agent
      .post(`/api/v1/prescriptions/${superseded.id}/dispensings`)
      .send({ items: [{ itemId: superseded.items[0].id, status: 'full' }] })
      .expect(409);
    expect(refused.body.reason).toBe('superseded');
  });

  it('versions diet plans the same way, with a PDF and the issued event', async () => {
    const plan = {
      goal: 'Bring fasting sugar under 110 mg/dL',
      targets: { kcal: 1600, proteinG: 70, waterL: 2.5 },
      meals: [
        { time: 'breakfast', items: ['Vegetable poha', 'Buttermilk'] },
        { time: 'dinner', items: ['2 jowar rotis', 'Dal'] },
      ],
      prefer: ['Millets'],
      avoid: ['Sweets'],
      notes: 'Walk after dinner',
    };
    const v1 = (
      await doctor.agent
        .post(`/api/v1/visits/${visitId}/diet-plans`)
        .send({ ...plan, supersedesVersion: 0 })
        .expect(201)
    ).body;
    const v2 = (
      await doctor.agent
        .post(`/api/v1/visits/${visitId}/diet-plans`)
        .send({ ...plan, targets: { kcal: 1500 }, supersedesVersion: 1 })
        .expect(201)
    ).body;
    expect(v2).toMatchObject({
      version: 2,
      status: 'active',
      plan: { targets: { kcal: 1500 }, meals: [{ time: 'breakfast' }, { time: 'dinner' }] },
    });
    const versions = (await doctor.agent.get(`/api/v1/visits/${visitId}/diet-plans`).expect(200)).body.items;
    expect(versions.map((entry: { version: number; status: string }) => [entry.version, entry.status])).toEqual([
      [2, 'active'],
      [1, 'superseded'],
    ]);
    expect((await DietPlan.findById(v1.id).lean())!.pdf!.key).toMatch(/diet-plans/);
    const pdf = await doctor.agent.get(`/api/v1/diet-plans/${v2.id}/pdf`).buffer(true).parse(binary).expect(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect(dietIssued.map((event) => event.version)).toEqual([1, 2]);
    expect(dietIssued[1]).toEqual({ clinicId: system.clinicId, dietPlanId: v2.id, patientId, version: 2 });

    const invalid = await doctor.agent
      .post(`/api/v1/visits/${visitId}/diet-plans`)
      .send({ ...plan, targets: { kcal: 90_000 }, meals: [{ time: 'brunch', items: [] }] })
      .expect(400);
    expect(invalid.body.errors.map((error: { path: string }) => error.path)).toEqual(
      expect.arrayContaining(['targets.kcal', 'meals.0.time']),
    );
    await pharmacy.agent.get(`/api/v1/diet-plans/${v2.id}`).expect(403);
  });
});
