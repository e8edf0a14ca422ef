import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Types } from 'mongoose';
import supertest from 'supertest';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { BreakGlassGrant } from '../../src/modules/clinical/break-glass.model.js';
import { getPrescription } from '../../src/modules/clinical/prescription.service.js';
import { getClinicalHistory } from '../../src/modules/clinical/visit-bundle.service.js';
import { getVisit, saveDraft } from '../../src/modules/clinical/visit.service.js';
import { contactActor } from '../../src/modules/patients/contact.service.js';
import { patientRecord } from '../../src/modules/patients/patient.service.js';
import type { Actor } from '../../src/platform/actor.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { bookedAppointment, checkedInAppointment, makeSignedInDoctor, startClinicalApp } from '../helpers/clinical.js';
import { makePatient } from '../helpers/scheduling.js';
import type { TestApp } from '../helpers/test-app.js';

type Role = 'doctor' | 'otherDoctor' | 'frontdesk' | 'pharmacy' | 'accounts' | 'anonymous';
const ROLES: Role[] = ['doctor', 'otherDoctor', 'frontdesk', 'pharmacy', 'accounts', 'anonymous'];

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status?: number }).status ?? 500;
  }
}

describe('clinical access: roles, own doctor, care relationship, break-glass and read audit', () => {
  let t: TestApp;
  let system: Actor;
  let staff: Record<Exclude<Role, 'anonymous'>, SignedInStaff>;
  let admin: SignedInStaff;
  let doctorId: string;
  let otherDoctorId: string;
  let patientId: string;
  let appointmentId: string;
  let visitId: string;
  let draftVisitId: string;
  let rxId: string;
  let dietId: string;
  let labId: string;

  beforeAll(async () => {
    t = await startClinicalApp('clinicalaccess');
    system = await testSystemActor();
    const frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    const own = await makeSignedInDoctor(t, system, 'Dr Own');
    const other = await makeSignedInDoctor(t, system, 'Dr Other');
    doctorId = own.doctorId;
    otherDoctorId = other.doctorId;
    staff = {
      doctor: own.login,
      otherDoctor: other.login,
      frontdesk,
      pharmacy: await createStaffAndLogin(t, ['pharmacy']),
      accounts: await createStaffAndLogin(t, ['accounts']),
    };
    admin = await createStaffAndLogin(t, ['admin']);

    ({ appointmentId, patientId } = await checkedInAppointment(frontdesk, system, doctorId));
    const doctor = staff.doctor.agent;
    visitId = (await doctor.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit.id;
    await doctor
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 0, chiefComplaint: 'Palpitations', soap: { assessment: 'Sinus tachycardia' } })
      .expect(200);
    await doctor.post(`/api/v1/visits/${visitId}/sign`).send({ version: 1 }).expect(200);
    rxId = (
      await doctor
        .post(`/api/v1/visits/${visitId}/prescriptions`)
        .send({
          items: [
            { medicine: 'Propranolol', strength: '10 mg', dose: '1 tablet', frequency: '1-0-1', duration: '7 days' },
          ],
        })
        .expect(201)
    ).body.id;
    dietId = (await doctor.post(`/api/v1/visits/${visitId}/diet-plans`).send({ goal: 'Less caffeine' }).expect(201))
      .body.id;
    labId = (
      await doctor
        .post(`/api/v1/visits/${visitId}/lab-orders`)
        .send({ tests: [{ name: 'TSH' }] })
        .expect(201)
    ).body.items[0].id;
    // A second, unsigned visit of the same patient for the write checks.
    const second = await checkedInAppointment(frontdesk, system, doctorId, patientId);
    draftVisitId = (await doctor.post(`/api/v1/consults/${second.appointmentId}/start`).send({}).expect(200)).body.visit
      .id;
  });
  afterAll(async () => {
    await t.close();
  });

  const agentOf = (role: Role) => (role === 'anonymous' ? supertest(t.app) : staff[role].agent);

  /** Expected status per role, in ROLES order. */
  const matrix: [string, (agent: ReturnType<typeof agentOf>) => supertest.Test, number[]][] = [
    ['read a visit', (agent) => agent.get(`/api/v1/visits/${visitId}`), [200, 403, 403, 403, 403, 401]],
    ['read the visit bundle', (agent) => agent.get(`/api/v1/visits/${visitId}/bundle`), [200, 403, 403, 403, 403, 401]],
    ['read the consult', (agent) => agent.get(`/api/v1/consults/${appointmentId}`), [200, 403, 403, 403, 403, 401]],
    [
      'read the clinical history',
      (agent) => agent.get(`/api/v1/clinical-history/${patientId}`),
      [200, 403, 403, 403, 403, 401],
    ],
    ['verify a note', (agent) => agent.get(`/api/v1/visits/${visitId}/verify`), [200, 403, 403, 403, 403, 401]],
    [
      'save a draft',
      (agent) => agent.put(`/api/v1/visits/${draftVisitId}/draft`).send({ version: 0, chiefComplaint: 'Dizziness' }),
      [200, 403, 403, 403, 403, 401],
    ],
    [
      'add an addendum',
      (agent) =>
        agent.post(`/api/v1/visits/${visitId}/addenda`).send({ text: 'ECG normal', reason: 'result came back' }),
      [201, 403, 403, 403, 403, 401],
    ],
    [
      'sign a note',
      (agent) => agent.post(`/api/v1/visits/${draftVisitId}/sign`).send({ version: 1 }),
      [200, 403, 403, 403, 403, 401],
    ],
    [
      'issue a prescription',
      (agent) =>
        agent
          .post(`/api/v1/visits/${visitId}/prescriptions`)
          .send({ items: [{ medicine: 'Propranolol', dose: '1', frequency: '1-0-1', duration: '7 days' }] }),
      [201, 403, 403, 403, 403, 401],
    ],
    ['read a prescription', (agent) => agent.get(`/api/v1/prescriptions/${rxId}`), [200, 403, 403, 200, 403, 401]],
    ['read a diet plan', (agent) => agent.get(`/api/v1/diet-plans/${dietId}`), [200, 403, 403, 403, 403, 401]],
    [
      'order a lab test',
      (agent) => agent.post(`/api/v1/visits/${visitId}/lab-orders`).send({ tests: [{ name: 'ECG' }] }),
      [201, 403, 403, 403, 403, 401],
    ],
    ['read lab results', (agent) => agent.get(`/api/v1/visits/${visitId}/lab-tests`), [200, 403, 403, 403, 403, 401]],
    [
      'open a visit shell',
      (agent) => agent.post('/api/v1/visits').send({ appointmentId }),
      [200, 403, 200, 403, 403, 401],
    ],
    [
      'break the glass',
      (agent) =>
        agent
          .post(`/api/v1/clinical-history/${new Types.ObjectId().toHexString()}/break-glass`)
          .send({ reason: 'Unconscious in the emergency room' }),
      [404, 404, 403, 403, 403, 401],
    ],
  ];

  it.each(matrix)(
    '%s: doctor, other doctor, front desk, pharmacy, accounts, anonymous',
    async (_label, request, expected) => {
      const statuses: number[] = [];
      for (const role of ROLES) statuses.push((await request(agentOf(role))).status);
      expect(statuses).toEqual(expected);
    },
  );

  it('lets front desk and doctors enter a lab result, but not pharmacy or accounts', async () => {
    await staff.pharmacy.agent.put(`/api/v1/lab-tests/${labId}/result`).send({ value: '2.1', version: 0 }).expect(403);
    await staff.accounts.agent.put(`/api/v1/lab-tests/${labId}/result`).send({ value: '2.1', version: 0 }).expect(403);
    await staff.frontdesk.agent
      .put(`/api/v1/lab-tests/${labId}/result`)
      .send({ value: '2.1', unit: 'mIU/L', referenceLow: 0.4, referenceHigh: 4.0, version: 0 })
      .expect(200);
  });

  it('answers 404 for ids that do not exist, and lets the auditor (admin) verify without reading content', async () => {
    const missing = new Types.ObjectId().toHexString();
    for (const path of [
      `/api/v1/visits/${missing}`,
      `/api/v1/prescriptions/${missing}`,
      `/api/v1/consults/${missing}`,
      `/api/v1/clinical-history/${missing}`,
    ]) {
      await staff.doctor.agent.get(path).expect(404);
    }
    await staff.doctor.agent.get('/api/v1/visits/not-an-id').expect(400);
    expect((await admin.agent.get(`/api/v1/visits/${visitId}/verify`).expect(200)).body.ok).toBe(true);
    await admin.agent.get(`/api/v1/visits/${visitId}`).expect(403);
  });

  it('opens a patient’s record to another doctor only within the care window (upcoming, today or the last 30 days)', async () => {
    const other = staff.otherDoctor.agent;
    const patient = (await makePatient(system, 'Window Patient')).id;
    const history = () => other.get(`/api/v1/clinical-history/${patient}`);
    await history().expect(403);

    const base = {
      clinicId: system.clinicId,
      patientId: patient,
      doctorId: otherDoctorId,
      source: 'frontdesk',
      localDate: '2026-01-01',
    };
    const at = (days: number) => new Date(Date.now() + days * 86_400_000);
    const insert = (days: number, status: string) =>
      Appointment.create({
        ...base,
        startAt: at(days),
        endAt: at(days),
        status,
        patientTimeKey: `${patient}|${days}|${status}|${Math.random()}`,
      });
    await insert(-31, 'completed');
    await insert(5, 'cancelled');
    await history().expect(403);
    await insert(-29, 'completed');
    await history().expect(200);

    // An upcoming appointment opens reading, never writing someone else's visit.
    const { appointmentId: upcoming } = await bookedAppointment(staff.frontdesk, system, otherDoctorId, patientId);
    expect(upcoming).toBeDefined();
    await other.get(`/api/v1/visits/${visitId}`).expect(200);
    await other.put(`/api/v1/visits/${draftVisitId}/draft`).send({ version: 2, chiefComplaint: 'x' }).expect(403);
    await other.post(`/api/v1/visits/${visitId}/addenda`).send({ text: 'x', reason: 'y' }).expect(403);
  });

  it('breaks the glass with a stated reason for a limited time, audited, and audits every read under it', async () => {
    const { login: stranger } = await makeSignedInDoctor(t, system, 'Dr Stranger');
    const res = await stranger.agent.get(`/api/v1/clinical-history/${patientId}`).expect(403);
    expect(res.body).toMatchObject({
      reason: 'no_care_relationship',
      breakGlass: `/api/v1/clinical-history/${patientId}/break-glass`,
    });
    await stranger.agent
      .post(`/api/v1/clinical-history/${patientId}/break-glass`)
      .send({ reason: 'short' })
      .expect(400);
    await staff.frontdesk.agent
      .post(`/api/v1/clinical-history/${patientId}/break-glass`)
      .send({ reason: 'Patient collapsed at the desk' })
      .expect(403);

    const reason = 'Patient brought in unconscious, own doctor unreachable';
    const grant = (
      await stranger.agent.post(`/api/v1/clinical-history/${patientId}/break-glass`).send({ reason }).expect(201)
    ).body;
    expect(new Date(grant.expiresAt).getTime() - new Date(grant.grantedAt).getTime()).toBe(60 * 60_000);
    const granted = await AuditEvent.findOne({ action: 'clinical.break_glass', 'actor.id': stranger.staff.id }).lean();
    expect(granted).toMatchObject({ entity: { type: 'patient', id: patientId } });
    expect(JSON.stringify(granted)).not.toContain('unconscious');
    expect(granted!.diff).toContainEqual({ field: 'reason', to: { digest: expect.any(String) } });

    const history = await stranger.agent.get(`/api/v1/clinical-history/${patientId}`).expect(200);
    expect(history.body.visits.map((visit: { id: string }) => visit.id)).toContain(visitId);
    await stranger.agent.get(`/api/v1/visits/${visitId}`).expect(200);
    const reads = await AuditEvent.find({
      'actor.id': stranger.staff.id,
      action: { $in: ['clinical_history.viewed', 'visit.viewed'] },
    }).lean();
    expect(reads).toHaveLength(2);
    for (const read of reads)
      expect(read.diff).toEqual(
        expect.arrayContaining([
          { field: 'access', to: 'break_glass' },
          { field: 'breakGlassId', to: grant.id },
        ]),
      );
    // Still no writing.
    await stranger.agent.post(`/api/v1/visits/${visitId}/addenda`).send({ text: 'x', reason: 'y' }).expect(403);

    // An expired grant opens nothing.
    const { login: late } = await makeSignedInDoctor(t, system, 'Dr Late');
    await BreakGlassGrant.create({
      clinicId: system.clinicId,
      patientId,
      staffId: late.staff.id,
      reason: 'old',
      grantedAt: new Date(Date.now() - 7_200_000),
      expiresAt: new Date(Date.now() - 3_600_000),
    });
    await late.agent.get(`/api/v1/clinical-history/${patientId}`).expect(403);
  });

  it('writes one audit event per read, naming who read what and on which basis', async () => {
    const doctor = staff.doctor;
    const reads: [string, string, string][] = [
      [`/api/v1/visits/${visitId}`, 'visit.viewed', visitId],
      [`/api/v1/visits/${visitId}/bundle`, 'visit.viewed', visitId],
      [`/api/v1/clinical-history/${patientId}`, 'clinical_history.viewed', patientId],
      [`/api/v1/visits/${visitId}/prescriptions`, 'prescription.viewed', visitId],
      [`/api/v1/prescriptions/${rxId}`, 'prescription.viewed', rxId],
      [`/api/v1/prescriptions?patientId=${patientId}`, 'prescription.listed', patientId],
      [`/api/v1/visits/${visitId}/diet-plans`, 'diet_plan.viewed', visitId],
      [`/api/v1/diet-plans/${dietId}`, 'diet_plan.viewed', dietId],
      [`/api/v1/visits/${visitId}/lab-tests`, 'lab.results_viewed', visitId],
      [`/api/v1/visits/${visitId}/verify`, 'visit.integrity_checked', visitId],
    ];
    for (const [path, action, entityId] of reads) {
      const before = await AuditEvent.countDocuments({ 'actor.id': doctor.staff.id, action, 'entity.id': entityId });
      await doctor.agent.get(path).expect(200);
      const events = await AuditEvent.find({ 'actor.id': doctor.staff.id, action, 'entity.id': entityId })
        .sort({ seq: -1 })
        .lean();
      expect({ path, count: events.length }).toEqual({ path, count: before + 1 });
      expect(events[0]!.diff).toEqual(
        expect.arrayContaining([
          { field: 'access', to: 'care_relationship' },
          { field: 'patientId', to: patientId },
        ]),
      );
      expect(events[0]!.actor).toMatchObject({ type: 'staff', roles: ['doctor'] });
    }
    // A refused read leaves no "viewed" event.
    const before = await AuditEvent.countDocuments({ action: 'visit.viewed', 'actor.id': staff.frontdesk.staff.id });
    await staff.frontdesk.agent.get(`/api/v1/visits/${visitId}`).expect(403);
    expect(await AuditEvent.countDocuments({ action: 'visit.viewed', 'actor.id': staff.frontdesk.staff.id })).toBe(
      before,
    );
  });

  it('lets a patient read their own signed records (not drafts, not others’) and write nothing', async () => {
    const contactId = String((await patientRecord(system.clinicId, patientId))!.contactId);
    const patient = await contactActor(system.clinicId, contactId);
    expect(patient.patientIds).toContain(patientId);
    expect((await getVisit(patient, visitId)).chiefComplaint).toBe('Palpitations');
    expect((await getPrescription(patient, rxId)).items[0]!.medicine).toBe('Propranolol');
    const history = await getClinicalHistory(patient, patientId);
    expect(history.visits.every((visit) => visit.status === 'signed')).toBe(true);
    expect(await AuditEvent.countDocuments({ action: 'visit.viewed', 'actor.id': patient.id })).toBe(1);

    const { appointmentId: draftAppointment } = await checkedInAppointment(
      staff.frontdesk,
      system,
      doctorId,
      patientId,
    );
    const draft = (await staff.doctor.agent.get(`/api/v1/consults/${draftAppointment}`).expect(200)).body.visit.id;
    expect(await statusOf(getVisit(patient, draft))).toBe(404);
    expect(await statusOf(saveDraft(patient, draft, { version: 0, chiefComplaint: 'I feel fine' }))).toBe(403);

    const stranger = await makePatient(system, 'Someone Else');
    const strangerActor = await contactActor(
      system.clinicId,
      String((await patientRecord(system.clinicId, stranger.id))!.contactId),
    );
    expect(await statusOf(getVisit(strangerActor, visitId))).toBe(403);
    expect(await statusOf(getClinicalHistory(strangerActor, patientId))).toBe(403);
  });
});
