import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Secret, TOTP, URI } from 'otpauth';
import supertest from 'supertest';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { decideDevice } from '../../src/modules/auth/device.service.js';
import { createStaff } from '../../src/modules/auth/staff.service.js';
import { updateSchedulingSettings, updateSecuritySettings } from '../../src/modules/clinics/clinic.service.js';
import { registerPatient } from '../../src/modules/patients/patient.service.js';
import type { Actor } from '../../src/platform/actor.js';
import { createStaffAndLogin, sendsCsrfToken, TEST_PASSWORD, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { bookedAppointment, checkedInAppointment, makeSignedInDoctor, startClinicalApp } from '../helpers/clinical.js';
import { makeSlot } from '../helpers/scheduling.js';
import type { TestApp } from '../helpers/test-app.js';

const HOSTILE_NAME = '<script>alert("x")</script> Ravi';
const HOSTILE_ALLERGY = '<img src=x onerror=alert(1)>';

/** A patient with allergies and conditions on their record. */
async function flaggedPatient(system: Actor, name: string, allergies: string[], conditions: string[]): Promise<string> {
  const phone = `+9197${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const { patient } = await registerPatient(system, {
    phone,
    name,
    relationToContact: 'self',
    ageYears: 52,
    sex: 'male',
    source: 'frontdesk',
    medicalFlags: { allergies, conditions },
  });
  return patient.id;
}

describe('the doctor view at /doctor', () => {
  let t: TestApp;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let doctor: SignedInStaff;
  let doctorId: string;
  let other: SignedInStaff;
  let otherDoctorId: string;

  beforeAll(async () => {
    t = await startClinicalApp('doctorview');
    system = await testSystemActor();
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    ({ doctorId, login: doctor } = await makeSignedInDoctor(t, system, 'Dr Meera Iyer'));
    ({ doctorId: otherDoctorId, login: other } = await makeSignedInDoctor(t, system, 'Dr Arjun Shah'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends a browser without a session to the sign-in page, keeping where it was going', async () => {
    const queue = await t.http.get('/doctor').expect(303);
    expect(queue.headers.location).toBe('/doctor/login');
    const visit = await t.http.get('/doctor/visits/0123456789abcdef01234567').expect(303);
    expect(visit.headers.location).toBe('/doctor/login?next=%2Fdoctor%2Fvisits%2F0123456789abcdef01234567');
    const form = await t.http.get('/doctor/login?next=/doctor/visits/0123456789abcdef01234567').expect(200);
    expect(form.text).toContain('name="password"');
    expect(form.text).toContain('value="/doctor/visits/0123456789abcdef01234567"');
    // An outside address is never used as the place to return to.
    expect((await t.http.get('/doctor/login?next=https://evil.example/')).text).toContain(
      'name="next" value="/doctor"',
    );
    expect((await t.http.get('/doctor/queue/state').expect(401)).body).toEqual({ code: 'unauthenticated' });
  });

  it('signs a doctor in through the form, waiting on device approval with a clear message', async () => {
    const email = `dr-form-${Date.now()}@test.cinic.example`;
    const staff = await createStaff(system, {
      name: 'Dr Form',
      email,
      password: TEST_PASSWORD,
      roles: ['doctor'],
      doctorId,
    });
    const browser = sendsCsrfToken(supertest.agent(t.app), t);
    const wrong = await browser
      .post('/doctor/login')
      .type('form')
      .send({ email, password: 'not the password', next: '/doctor' })
      .expect(401);
    expect(wrong.text).toContain('Email or password is wrong.');
    expect(wrong.text).not.toContain('not the password');

    const signedIn = await browser
      .post('/doctor/login')
      .type('form')
      .send({ email, password: TEST_PASSWORD, next: '/doctor' })
      .expect(303);
    expect(signedIn.headers.location).toBe('/doctor/login/continue?next=%2Fdoctor');
    const waiting = await browser.get('/doctor/login/continue?next=/doctor').expect(200);
    expect(waiting.text).toContain('This device needs an admin');
    await browser.get('/doctor').expect(303).expect('location', '/doctor/login/continue');

    const me = await browser.get('/api/v1/auth/me').expect(200);
    expect(me.body.staff.id).toBe(staff.id);
    await decideDevice(system, me.body.device.id as string, 'approved');
    await browser.get('/doctor/login/continue?next=/doctor').expect(303).expect('location', '/doctor');
    expect((await browser.get('/doctor').expect(200)).text).toContain("Today's queue");

    await browser.post('/doctor/logout').expect(303).expect('location', '/doctor/login?state=signed_out');
    await browser.get('/doctor').expect(303);
  });

  it('asks for the authenticator code, and walks a doctor through first-time set-up when the clinic requires it', async () => {
    // An enrolled doctor: sign in through the form, then the code step.
    const { login: enrolled } = await makeSignedInDoctor(t, system);
    const started = await enrolled.agent.post('/api/v1/auth/mfa/enrol').expect(200);
    const otp = URI.parse(started.body.otpauthUri as string) as TOTP;
    await enrolled.agent.post('/api/v1/auth/mfa/confirm').send({ code: otp.generate() }).expect(200);
    await enrolled.agent
      .post('/doctor/login')
      .type('form')
      .send({ email: enrolled.email, password: TEST_PASSWORD, next: '/doctor' })
      .expect(303)
      .expect('location', '/doctor/login/continue?next=%2Fdoctor');
    expect((await enrolled.agent.get('/doctor/login/continue?next=/doctor').expect(200)).text).toContain(
      'Enter your authenticator code',
    );
    const wrong = await enrolled.agent
      .post('/doctor/login/mfa')
      .type('form')
      .send({ code: '000000' === otp.generate() ? '111111' : '000000', next: '/doctor' })
      .expect(401);
    expect(wrong.text).toContain('That code is not right');
    // The confirmation used this time step; the next one (inside the drift window) is fresh.
    await enrolled.agent
      .post('/doctor/login/mfa')
      .type('form')
      .send({ code: otp.generate({ timestamp: Date.now() + 30_000 }), next: '/doctor' })
      .expect(303)
      .expect('location', '/doctor');
    await enrolled.agent.get('/doctor').expect(200);

    // The clinic requires MFA for doctors and this one has none yet: the QR code and key, then the first code.
    await updateSecuritySettings(system, { mfaRequiredRoles: ['doctor'] });
    try {
      const fresh = await createStaffAndLogin(t, ['doctor'], { doctorId });
      await fresh.agent
        .post('/doctor/login')
        .type('form')
        .send({ email: fresh.email, password: TEST_PASSWORD, next: '/doctor' })
        .expect(303);
      const setUp = await fresh.agent.get('/doctor/login/continue?next=/doctor').expect(200);
      expect(setUp.text).toContain('Set up your authenticator app');
      expect(setUp.text).toContain('src="data:image/png;base64,');
      const key = /<code class="key">([A-Z2-7]+)<\/code>/.exec(setUp.text)![1]!;
      const code = new TOTP({ secret: Secret.fromBase32(key) }).generate();
      await fresh.agent
        .post('/doctor/login/mfa/enrol')
        .type('form')
        .send({ code, next: '/doctor' })
        .expect(303)
        .expect('location', '/doctor');
      await fresh.agent.get('/doctor').expect(200);
    } finally {
      await updateSecuritySettings(system, { mfaRequiredRoles: [] });
    }
  });

  it('answers other staff with a 403 page', async () => {
    const res = await frontdesk.agent.get('/doctor').expect(403);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('For doctors only');
    expect(res.text).not.toContain('Today&#39;s queue</h1>');
    await frontdesk.agent.get('/doctor/queue/state').expect(403);
    const unlinked = await createStaffAndLogin(t, ['doctor']);
    expect((await unlinked.agent.get('/doctor').expect(403)).text).toContain('not linked to a doctor profile');
  });

  it('shows each doctor only their own queue, with a fingerprint that changes when it does', async () => {
    const mine = await flaggedPatient(system, 'Kavitha Raman', ['Penicillin'], []);
    const theirs = await flaggedPatient(system, 'Sunil Batra', [], []);
    const before = (await doctor.agent.get('/doctor/queue/state').expect(200)).body as { fingerprint: string };
    await checkedInAppointment(frontdesk, system, doctorId, mine);
    await checkedInAppointment(frontdesk, system, otherDoctorId, theirs);

    const page = await doctor.agent.get('/doctor').expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('Kavitha Raman');
    expect(page.text).toContain('Allergy: Penicillin');
    expect(page.text).not.toContain('Sunil Batra');
    expect((await other.agent.get('/doctor').expect(200)).text).toContain('Sunil Batra');

    const after = (await doctor.agent.get('/doctor/queue/state').expect(200)).body as {
      fingerprint: string;
      alerts: number;
    };
    expect(after.fingerprint).not.toBe(before.fingerprint);
    const live = await doctor.agent.get('/doctor/queue/live').expect(200);
    expect(live.headers['x-queue-fingerprint']).toBe(after.fingerprint);
    expect(live.text).toContain('Kavitha Raman');
    expect(live.text).not.toContain('<html');
  });

  it("lists today's confirmed bookings under Expected today and checks a patient in as the doctor", async () => {
    const patientId = await flaggedPatient(system, 'Deepa Nambiar', ['Aspirin'], []);
    const state = async (login: SignedInStaff) =>
      ((await login.agent.get('/doctor/queue/state').expect(200)).body as { fingerprint: string }).fingerprint;
    const before = await state(doctor);
    const { appointmentId } = await bookedAppointment(frontdesk, system, doctorId, patientId);
    const checkIn = `action="/doctor/appointments/${appointmentId}/check-in"`;
    const booked = await state(doctor);
    expect(booked).not.toBe(before);

    const page = (await doctor.agent.get('/doctor').expect(200)).text;
    const expected = page.slice(page.indexOf('aria-label="Expected today"'), page.indexOf('aria-label="Done today"'));
    expect(expected).toContain('Deepa Nambiar');
    expect(expected).toContain('Allergy: Aspirin');
    expect(expected).toContain(checkIn);
    expect(page.slice(0, page.indexOf('aria-label="Expected today"'))).not.toContain('Deepa Nambiar');
    expect((await doctor.agent.get('/doctor/queue/live').expect(200)).text).toContain(checkIn);
    // Another doctor neither sees nor checks in this doctor's patient.
    expect((await other.agent.get('/doctor').expect(200)).text).not.toContain('Deepa Nambiar');
    await other.agent.post(`/doctor/appointments/${appointmentId}/check-in`).expect(403);
    expect((await Appointment.findById(appointmentId).lean())!.status).toBe('confirmed');

    await doctor.agent
      .post(`/doctor/appointments/${appointmentId}/check-in`)
      .type('form')
      .send({})
      .expect(303)
      .expect('location', '/doctor?notice=checked_in');
    const stored = (await Appointment.findById(appointmentId).lean())!;
    expect(stored.status).toBe('checked_in');
    expect(stored.tokenNumber).toBeGreaterThan(0);
    expect(stored.history.at(-1)).toMatchObject({ event: 'CHECK_IN', by: { id: doctor.staff.id, roles: ['doctor'] } });
    expect(await state(doctor)).not.toBe(booked);
    const after = (await doctor.agent.get('/doctor?notice=checked_in').expect(200)).text;
    expect(after).toContain('Checked in. The patient is now waiting in your queue');
    expect(after).not.toContain(checkIn);
    expect(after).toMatch(/aria-label="Waiting"[\s\S]*Deepa Nambiar[\s\S]*aria-label="Expected today"/);

    // A second tap (or a front desk that was quicker) is refused in words, not with an error page.
    await doctor.agent
      .post(`/doctor/appointments/${appointmentId}/check-in`)
      .expect(303)
      .expect('location', '/doctor?notice=check_in_refused');
    expect((await doctor.agent.get('/doctor?notice=check_in_refused').expect(200)).text).toContain(
      'This booking is no longer waiting for check-in',
    );
    // The check-in opened the visit, so the consultation starts as for any checked-in patient.
    const started = await doctor.agent.post(`/doctor/consults/${appointmentId}/start`).expect(303);
    expect(started.headers.location).toMatch(/^\/doctor\/visits\/[0-9a-f]{24}$/);
  });

  it('shows a booking held for prepayment greyed as awaiting payment, and offers check-in once it is confirmed', async () => {
    const patientId = await flaggedPatient(system, 'Rohan Kapoor', [], []);
    await updateSchedulingSettings(system, { prepaymentRequired: true, prepaymentPaise: 20_000, holdMinutes: 15 });
    let appointmentId: string;
    try {
      ({ appointmentId } = await bookedAppointment(frontdesk, system, doctorId, patientId));
    } finally {
      await updateSchedulingSettings(system, { prepaymentRequired: false });
    }
    expect((await Appointment.findById(appointmentId).lean())!.status).toBe('tentative');
    const checkIn = `action="/doctor/appointments/${appointmentId}/check-in"`;
    const held = (await doctor.agent.get('/doctor').expect(200)).text;
    expect(held).toMatch(/q-row expected tentative[^>]*>[\s\S]*Rohan Kapoor[\s\S]*Awaiting payment/);
    expect(held).not.toContain(checkIn);
    // Posted anyway (an old page): refused with the reason.
    await doctor.agent
      .post(`/doctor/appointments/${appointmentId}/check-in`)
      .expect(303)
      .expect('location', '/doctor?notice=check_in_unpaid');
    expect((await doctor.agent.get('/doctor?notice=check_in_unpaid').expect(200)).text).toContain(
      'still awaiting its prepayment',
    );

    const whileHeld = (await doctor.agent.get('/doctor/queue/state').expect(200)).body.fingerprint as string;
    await frontdesk.agent.post(`/api/v1/appointments/${appointmentId}/confirm`).send({}).expect(200);
    const confirmed = (await doctor.agent.get('/doctor/queue/state').expect(200)).body.fingerprint as string;
    expect(confirmed).not.toBe(whileHeld);
    const live = await doctor.agent.get('/doctor/queue/live').expect(200);
    expect(live.headers['x-queue-fingerprint']).toBe(confirmed);
    expect(live.text).toContain(checkIn);
  });

  it('refuses to check in a booking on another day, saying so', async () => {
    const patientId = await flaggedPatient(system, 'Zoya Mirza', [], []);
    const tomorrow = new Date(Math.round((Date.now() + 26 * 3_600_000) / 1000) * 1000);
    const slotId = await makeSlot(system.clinicId, doctorId, tomorrow, 15);
    const appointmentId = (await frontdesk.agent.post('/api/v1/appointments').send({ patientId, slotId }).expect(201))
      .body.id as string;
    expect((await doctor.agent.get('/doctor').expect(200)).text).not.toContain('Zoya Mirza');
    await doctor.agent
      .post(`/doctor/appointments/${appointmentId}/check-in`)
      .expect(303)
      .expect('location', '/doctor?notice=check_in_wrong_day');
    expect((await doctor.agent.get('/doctor?notice=check_in_wrong_day').expect(200)).text).toContain(
      'only on the day of their appointment',
    );
    expect((await Appointment.findById(appointmentId).lean())!.status).toBe('confirmed');
    // A malformed id is a 404 page, like any unknown record.
    await doctor.agent.post('/doctor/appointments/not-an-id/check-in').expect(404);
  });

  it('runs checked_in → in_consult → completed through the view, refusing completion before sign-off', async () => {
    const patientId = await flaggedPatient(system, 'Lakshmi Menon', [], ['Hypertension']);
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId, patientId);
    const started = await doctor.agent
      .post(`/doctor/consults/${appointmentId}/start`)
      .type('form')
      .send({})
      .expect(303);
    const visitId = /^\/doctor\/visits\/([0-9a-f]{24})$/.exec(started.headers.location as string)![1]!;
    expect((await Appointment.findById(appointmentId).lean())!.status).toBe('in_consult');
    // Starting again (a double tap) lands in the same editor.
    await doctor.agent
      .post(`/doctor/consults/${appointmentId}/start`)
      .expect(303)
      .expect('location', `/doctor/visits/${visitId}`);

    const editor = await doctor.agent.get(`/doctor/visits/${visitId}`).expect(200);
    // Attributes may wrap across lines in the template; HTML reads any whitespace between them alike.
    expect(editor.text.replace(/\s+/g, ' ')).toContain(
      `id="note" class="note" data-visit="${visitId}" data-version="0"`,
    );
    expect(editor.text).toContain('Complete consult');

    const early = await doctor.agent.post(`/doctor/consults/${appointmentId}/complete`).expect(303);
    expect(early.headers.location).toBe(`/doctor/visits/${visitId}?notice=note_not_signed`);
    expect((await doctor.agent.get(early.headers.location as string).expect(200)).text).toContain(
      'Sign the visit note before completing the consultation',
    );
    expect((await Appointment.findById(appointmentId).lean())!.status).toBe('in_consult');

    await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 0, chiefComplaint: 'Headache', soap: { assessment: 'Tension headache' } })
      .expect(200);
    await doctor.agent.post(`/api/v1/visits/${visitId}/sign`).send({ version: 1 }).expect(200);
    const signed = await doctor.agent.get(`/doctor/visits/${visitId}`).expect(200);
    expect(signed.text).toContain('Hash verified');
    expect(signed.text).toContain('Add an addendum');
    expect(signed.text).not.toContain('id="note"');

    // A just-issued prescription is still sending (no workers here): its badge carries the URL the page follows.
    const rx = (
      await doctor.agent
        .post(`/api/v1/visits/${visitId}/prescriptions`)
        .send({
          items: [{ medicine: 'Paracetamol', dose: '1 tab', frequency: '1-0-1', duration: '3 days' }],
          supersedesVersion: 0,
        })
        .expect(201)
    ).body;
    expect(rx.whatsapp).toEqual({ status: 'queued', sentAt: null });
    expect((await doctor.agent.get(`/doctor/visits/${visitId}`).expect(200)).text).toMatch(
      new RegExp(
        `class="badge wa-state warn" role="status" data-poll="/api/v1/prescriptions/${rx.id}" data-zone="Asia/Kolkata">Sending on WhatsApp…<`,
      ),
    );
    expect((await doctor.agent.get(`/doctor/patients/${patientId}`).expect(200)).text).not.toContain('data-poll');

    await doctor.agent
      .post(`/doctor/consults/${appointmentId}/complete`)
      .expect(303)
      .expect('location', '/doctor?notice=completed');
    expect((await Appointment.findById(appointmentId).lean())!.status).toBe('completed');
    const queue = await doctor.agent.get('/doctor?notice=completed').expect(200);
    expect(queue.text).toContain('Consultation completed.');
    expect(queue.text).toMatch(/Done today[\s\S]*Lakshmi Menon/);
    // The other doctor cannot move this consultation.
    await other.agent.post(`/doctor/consults/${appointmentId}/complete`).expect(403);
  });

  it('puts allergies and conditions before the history on the patient page', async () => {
    const patientId = await flaggedPatient(system, 'Farhan Qureshi', ['Sulfa drugs', 'Peanuts'], ['Asthma']);
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId, patientId);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 0, chiefComplaint: 'Wheeze at night' })
      .expect(200);

    const page = (await doctor.agent.get(`/doctor/patients/${patientId}`).expect(200)).text;
    const allergies = page.indexOf('Sulfa drugs');
    expect(allergies).toBeGreaterThan(0);
    expect(page.indexOf('Asthma')).toBeGreaterThan(0);
    expect(allergies).toBeLessThan(page.indexOf('Past visits'));
    expect(page.indexOf('Past visits')).toBeLessThan(page.indexOf('Wheeze at night'));
    expect(page).toContain('Current prescriptions');
    expect(page).toContain('Recent lab results');
  });

  it('offers break-glass to a doctor with no care relationship, and opens the record after a reason', async () => {
    const patientId = await flaggedPatient(system, 'Geeta Pillai', ['Latex'], []);
    await checkedInAppointment(frontdesk, system, doctorId, patientId);
    const refused = await other.agent.get(`/doctor/patients/${patientId}`).expect(403);
    expect(refused.text).toContain('No care relationship with Geeta Pillai');
    expect(refused.text).toContain(`action="/doctor/patients/${patientId}/break-glass"`);
    expect(refused.text).not.toContain('Latex');

    const tooShort = await other.agent
      .post(`/doctor/patients/${patientId}/break-glass`)
      .type('form')
      .send({ reason: 'urgent' })
      .expect(400);
    expect(tooShort.text).toContain('at least 10 characters');
    await other.agent
      .post(`/doctor/patients/${patientId}/break-glass`)
      .type('form')
      .send({ reason: 'Collapsed in the waiting area; covering for Dr Iyer' })
      .expect(303);
    const opened = await other.agent.get(`/doctor/patients/${patientId}?notice=break_glass`).expect(200);
    expect(opened.text).toContain('Emergency access granted');
    expect(opened.text).toContain('Latex');
  });

  it('shows abnormal lab results on the doctor’s queue until acknowledged', async () => {
    const patientId = await flaggedPatient(system, 'Imran Sheikh', [], ['Diabetes']);
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId, patientId);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    const [test] = (
      await doctor.agent
        .post(`/api/v1/visits/${visitId}/lab-orders`)
        .send({ tests: [{ name: 'Fasting glucose' }] })
        .expect(201)
    ).body.items;
    const before = (await doctor.agent.get('/doctor/queue/state').expect(200)).body;
    await frontdesk.agent
      .put(`/api/v1/lab-tests/${test.id}/result`)
      .send({ value: '212', unit: 'mg/dL', referenceLow: 70, referenceHigh: 100, version: 0 })
      .expect(200);

    const state = (await doctor.agent.get('/doctor/queue/state').expect(200)).body;
    expect(state.alerts).toBe(before.alerts + 1);
    expect(state.fingerprint).not.toBe(before.fingerprint);
    const queue = (await doctor.agent.get('/doctor').expect(200)).text;
    expect(queue).toMatch(
      /Abnormal results to review[\s\S]*Imran Sheikh[\s\S]*Fasting glucose[\s\S]*212 mg\/dL[\s\S]*HIGH/,
    );
    expect((await doctor.agent.get(`/doctor/visits/${visitId}`).expect(200)).text).toMatch(
      /lab-row abnormal[\s\S]*212 mg\/dL/,
    );

    await doctor.agent.post(`/api/v1/lab-tests/${test.id}/acknowledge`).send({}).expect(200);
    expect((await doctor.agent.get('/doctor/queue/state').expect(200)).body.alerts).toBe(before.alerts);
    expect((await doctor.agent.get('/doctor').expect(200)).text).not.toContain('Fasting glucose');
  });

  it('escapes everything people typed: names, allergies and note text', async () => {
    const patientId = await flaggedPatient(system, HOSTILE_NAME, [HOSTILE_ALLERGY], []);
    const { appointmentId } = await checkedInAppointment(frontdesk, system, doctorId, patientId);
    const visitId = (await doctor.agent.post(`/api/v1/consults/${appointmentId}/start`).send({}).expect(200)).body.visit
      .id as string;
    await doctor.agent
      .put(`/api/v1/visits/${visitId}/draft`)
      .send({ version: 0, chiefComplaint: '"><b>bold</b>', soap: { plan: '</textarea><script>alert(2)</script>' } })
      .expect(200);

    for (const path of ['/doctor', `/doctor/patients/${patientId}`, `/doctor/visits/${visitId}`]) {
      const page = (await doctor.agent.get(path).expect(200)).text;
      expect(page).not.toContain('<script>alert');
      expect(page).not.toContain('<img src=x');
      expect(page).not.toContain('<b>bold</b>');
      expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Ravi');
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
    const editor = (await doctor.agent.get(`/doctor/visits/${visitId}`)).text;
    expect(editor).toContain('&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</textarea>');
    expect(editor).toContain('value="&quot;&gt;&lt;b&gt;bold&lt;/b&gt;"');
  });

  it('answers unknown records and malformed ids with a 404 page, and serves its assets', async () => {
    expect((await doctor.agent.get('/doctor/visits/0123456789abcdef01234567').expect(404)).text).toContain('Not found');
    await doctor.agent.get('/doctor/visits/not-an-id').expect(404);
    const css = await t.http.get('/doctor/assets/doctor.css').expect(200);
    expect(css.type).toBe('text/css');
    const script = await t.http.get('/doctor/assets/doctor.js').expect(200);
    expect(script.type).toBe('application/javascript');
    await t.http.get('/doctor/assets/autosave.js').expect(200);
    await t.http.get('/doctor/assets/delivery.js').expect(200);
  });
});
