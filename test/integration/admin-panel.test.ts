/**
 * The staff panel at /admin over HTTP: sign-in through our own login (device approval applies),
 * currentAdmin from the staff session, sign-out everywhere, a role × action table generated from
 * the policy (every denial refused on the server too), lifecycle fields never editable, service
 * actions with readable refusals, and no plaintext PHI in the raw document after a panel edit.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { decideDevice } from '../../src/modules/auth/device.service.js';
import { createStaff } from '../../src/modules/auth/staff.service.js';
import { ensureDefaultClinic } from '../../src/modules/clinics/clinic.service.js';
import type { Actor, Role } from '../../src/platform/actor.js';
import { can } from '../../src/platform/rbac/index.js';
import type { Action, Resource } from '../../src/platform/rbac/index.js';
import { createStaffAndLogin, TEST_PASSWORD, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { inMinutes, makeDoctor, makePatient, makeSlot } from '../helpers/scheduling.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { bookAppointment } from '../../src/modules/appointments/appointment.service.js';

/** Every panel resource and the policy resource its list/show ask. */
const PANEL_RESOURCES: Record<string, Resource> = {
  patients: 'patients',
  consents: 'consents',
  appointments: 'appointments',
  doctors: 'doctors',
  slots: 'slots',
  invoices: 'invoices',
  payments: 'payments',
  refunds: 'refunds',
  credit_notes: 'invoices',
  price_list: 'price_list',
  conversations: 'conversations',
  outbound_messages: 'conversations',
  staff: 'staff',
  devices: 'devices',
  audit_events: 'audit',
};

/** Record actions on an appointment and the policy each asks. */
const APPOINTMENT_ACTIONS: Record<string, [Resource, Action]> = {
  confirm: ['appointments', 'update'],
  checkIn: ['appointments', 'update'],
  noShow: ['appointments', 'update'],
  cancel: ['appointments', 'update'],
  reschedule: ['appointments', 'update'],
  paymentLink: ['payments', 'create'],
};

const ROLES: Exclude<Role, 'patient'>[] = ['frontdesk', 'accounts', 'pharmacy', 'admin', 'doctor'];

const isForbidden = (body: { notice?: { message?: string; type?: string } }) =>
  body.notice?.type === 'error' && /forbidden/i.test(body.notice.message ?? '');

describe('the staff panel at /admin', () => {
  let t: TestApp;
  let system: Actor;
  const staff = {} as Record<Role, SignedInStaff>;
  let appointmentId: string;
  let patient: { id: string; phone: string };

  beforeAll(async () => {
    t = await startTestApp('adminpanel', { panel: true });
    system = await testSystemActor();
    for (const role of ROLES) staff[role] = await createStaffAndLogin(t, [role]);
    const doctorId = await makeDoctor(system, 'Dr Kiran Rao');
    patient = await makePatient(system, 'Meenakshi Sundaram');
    const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(180));
    appointmentId = (await bookAppointment(system, { patientId: patient.id, slotId, source: 'frontdesk' })).id;
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('sends a browser without a session to our sign-in page, and signs in there with device approval', async () => {
    const gate = await t.http.get('/admin').expect(303);
    expect(gate.headers.location).toBe('/admin/login?next=%2Fadmin');
    const api = await t.http.get('/admin/api/resources/patients/actions/list').set('accept', 'application/json');
    expect(api.status).toBe(401);

    const email = `desk-${Date.now()}@test.cinic.example`;
    await createStaff(system, { name: 'Nisha Desk', email, password: TEST_PASSWORD, roles: ['frontdesk'] });
    const agent = supertest.agent(t.app);
    const form = await agent.get('/admin/login?next=/admin').expect(200);
    expect(form.text).toContain((await ensureDefaultClinic()).name);
    const login = await agent
      .post('/admin/login')
      .type('form')
      .send({ email, password: TEST_PASSWORD, next: '/admin' })
      .expect(303);
    expect(login.headers.location).toBe('/admin/login/continue?next=%2Fadmin');
    const pending = await agent.get('/admin/login/continue?next=/admin').expect(200);
    expect(pending.text).toContain("needs an admin's approval");
    // Still pending: the panel is closed.
    expect((await agent.get('/admin')).status).toBe(303);

    const me = await agent.get('/api/v1/auth/me').expect(200);
    await decideDevice(system, me.body.device.id, 'approved');
    const page = await agent.get('/admin').expect(200);
    // currentAdmin comes from our session: the page carries the staff member and the clinic's name.
    expect(page.text).toContain(email);
    expect(page.text).toContain((await ensureDefaultClinic()).name);
    expect(page.headers['cache-control']).toBe('no-store');

    // Sign-out from the panel ends the one session everywhere (API included).
    await agent.get('/admin/logout').expect(303);
    await agent.get('/api/v1/auth/me').expect(401);
    expect((await agent.get('/admin')).headers.location).toContain('/admin/login');
  });

  it('shows each role exactly the resources the policy lets it read, and refuses the rest on the server', async () => {
    for (const role of ROLES) {
      for (const [resourceId, policy] of Object.entries(PANEL_RESOURCES)) {
        const res = await staff[role].agent
          .get(`/admin/api/resources/${resourceId}/actions/list`)
          .set('accept', 'application/json');
        const allowed = can(staff[role].actor, 'read', policy);
        expect([role, resourceId, res.status]).toEqual([role, resourceId, 200]);
        expect([role, resourceId, isForbidden(res.body)]).toEqual([role, resourceId, !allowed]);
      }
    }
  }, 120_000);

  it('runs appointment actions only for roles the policy allows; others are refused on the server', async () => {
    for (const role of ROLES) {
      for (const [action, [resource, policyAction]] of Object.entries(APPOINTMENT_ACTIONS)) {
        const res = await staff[role].agent
          .post(`/admin/api/resources/appointments/records/${appointmentId}/${action}`)
          .set('accept', 'application/json')
          .send({ reason: 'table' });
        const allowed =
          can(staff[role].actor, policyAction, resource) && can(staff[role].actor, 'read', 'appointments');
        if (!allowed) expect([role, action, isForbidden(res.body)]).toEqual([role, action, true]);
        else expect([role, action, isForbidden(res.body)]).toEqual([role, action, false]);
        // Whatever happened, no stack trace or internal error text reaches the screen.
        expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.ts:\d+|TypeError|MongoServerError/);
      }
    }
  }, 180_000);

  it('offers no edit, new or delete form for appointments, and a refused service call reads as a notice', async () => {
    const desk = staff.frontdesk.agent;
    for (const action of ['edit', 'new', 'delete']) {
      const res = await desk
        .post(
          `/admin/api/resources/appointments/${action === 'new' ? 'actions/new' : `records/${appointmentId}/${action}`}`,
        )
        .set('accept', 'application/json')
        .send({ status: 'completed' });
      expect(isForbidden(res.body)).toBe(true);
    }
    const show = await desk
      .get(`/admin/api/resources/appointments/records/${appointmentId}/show`)
      .set('accept', 'application/json')
      .expect(200);
    expect(show.body.record.params.status).not.toBe('completed');
    // Checking in a future appointment is refused by the lifecycle rules, in words.
    const early = await desk
      .post(`/admin/api/resources/appointments/records/${appointmentId}/noShow`)
      .set('accept', 'application/json')
      .send({});
    expect(early.body.notice.type).toBe('error');
    expect(early.body.notice.message).toMatch(/^[A-Z].+\.$/);
  });

  it('finds a patient by phone, code and name prefix, masks by role, and stores no plaintext after a panel edit', async () => {
    const desk = staff.frontdesk.agent;
    const local = patient.phone.slice(-10);
    const byPhone = await desk
      .get(`/admin/api/resources/patients/actions/list?filters.q=${local}`)
      .set('accept', 'application/json')
      .expect(200);
    expect(byPhone.body.records.map((r: { id: string }) => r.id)).toEqual([patient.id]);
    const code = byPhone.body.records[0].params.code as string;
    const byCode = await desk
      .get(`/admin/api/resources/patients/actions/list?filters.q=${code}`)
      .set('accept', 'application/json');
    expect(byCode.body.records.map((r: { id: string }) => r.id)).toEqual([patient.id]);
    const byName = await desk
      .get('/admin/api/resources/patients/actions/list?filters.q=Meenak')
      .set('accept', 'application/json');
    expect(byName.body.records.map((r: { id: string }) => r.id)).toContain(patient.id);

    const deskShow = await desk
      .get(`/admin/api/resources/patients/records/${patient.id}/show`)
      .set('accept', 'application/json');
    expect(deskShow.body.record.params.phone).toBe(patient.phone);
    expect(deskShow.body.record.params.medicalFlags).toBeUndefined();
    const accountsShow = await staff.accounts.agent
      .get(`/admin/api/resources/patients/records/${patient.id}/show`)
      .set('accept', 'application/json');
    expect(accountsShow.body.record.params.phone).toMatch(/^•+\d{4}$/);

    // Edit through the panel's form (multipart, as AdminJS posts it), then read the raw document.
    const version = String(deskShow.body.record.params.version);
    const edited = await desk
      .post(`/admin/api/resources/patients/records/${patient.id}/edit`)
      .field('name', 'Meenakshi Sundaram Iyer')
      .field('version', version)
      .field('sex', 'female')
      .expect(200);
    expect(edited.body.notice.type).toBe('success');
    const raw = await mongoose.connection
      .db!.collection('patients')
      .findOne({ _id: new mongoose.Types.ObjectId(patient.id) });
    const text = JSON.stringify(raw);
    expect(text).not.toContain('Meenakshi');
    expect(text).not.toContain(local);
    const contacts = JSON.stringify(await mongoose.connection.db!.collection('contacts').find({}).toArray());
    expect(contacts).not.toContain(local);
    // The opened record was an audited PHI read.
    const reads = await mongoose.connection
      .db!.collection('audit_events')
      .countDocuments({ action: 'patient.read', 'entity.id': patient.id });
    expect(reads).toBeGreaterThan(0);
  });

  it('lets only admins open bull-board, with the same session', async () => {
    await staff.frontdesk.agent.get('/admin/queues').expect(403);
    const board = await staff.admin.agent.get('/admin/queues/').expect(200);
    expect(board.text).toContain('CINIC queues');
    await t.http.get('/admin/queues').expect(303);
  });

  it('serves the components bundle built once, and the Today board data for the front desk', async () => {
    const bundle = await staff.frontdesk.agent.get('/admin/frontend/assets/components.bundle.js').expect(200);
    expect(bundle.text).toContain('TodayBoard');
    const board = await staff.frontdesk.agent.get('/admin/api/dashboard').set('accept', 'application/json').expect(200);
    const entries = board.body.doctors.flatMap((d: { entries: { id: string; patient: string }[] }) => d.entries);
    const mine = entries.find((e: { id: string }) => e.id === appointmentId);
    if (mine) expect(mine.patient).toContain('Meenakshi');
  });
});
