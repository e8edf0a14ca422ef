/**
 * CSRF (issue 14 point 2) through supertest: the Origin / Sec-Fetch-Site guard on every
 * state-changing request, JSON-only bodies on the API, and the doctor view's form tokens.
 * The browser version (a real attack page on another port) is test/browser/csrf-attack.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import supertest from 'supertest';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { Device } from '../../src/modules/auth/device.model.js';
import { SESSION_COOKIE } from '../../src/modules/auth/auth.cookies.js';
import { csrfTokenFor } from '../../src/platform/http/csrf.js';
import type { Actor } from '../../src/platform/actor.js';
import { agentCookie, createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { bookedAppointment, makeSignedInDoctor, startClinicalApp } from '../helpers/clinical.js';
import type { TestApp } from '../helpers/test-app.js';

const PUBLIC_URL = 'https://clinic.example.in';

describe('CSRF: allowed origins, JSON-only API bodies and form tokens', () => {
  let t: TestApp;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let doctorId: string;

  beforeAll(async () => {
    t = await startClinicalApp('csrf', { PUBLIC_URL, CORS_ORIGINS: 'https://desk.clinic.example.in' });
    system = await testSystemActor();
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    doctorId = (await makeSignedInDoctor(t, system)).doctorId;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const statusOf = async (appointmentId: string) => (await Appointment.findById(appointmentId).lean())?.status;

  it('refuses a state-changing request from another origin (another port of the same site) or a same-site fetch', async () => {
    const { appointmentId } = await bookedAppointment(frontdesk, system, doctorId);
    const before = await statusOf(appointmentId);
    for (const origin of [
      'https://clinic.example.in:8443',
      'http://clinic.example.in',
      'null',
      'https://evil.example',
    ]) {
      const res = await frontdesk.agent
        .post(`/api/v1/appointments/${appointmentId}/cancel`)
        .set('origin', origin)
        .send({ reason: 'forged' });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ status: 403, code: 'cross_origin_request' });
    }
    const sameSite = await frontdesk.agent
      .post(`/api/v1/appointments/${appointmentId}/cancel`)
      .set('sec-fetch-site', 'same-site')
      .send({});
    expect(sameSite.status).toBe(403);
    expect(await statusOf(appointmentId)).toBe(before);

    // PUBLIC_URL's origin, a CORS origin and the origin the request was addressed to are ours.
    const allowed = await frontdesk.agent
      .post(`/api/v1/appointments/${appointmentId}/cancel`)
      .set('origin', PUBLIC_URL)
      .set('sec-fetch-site', 'same-origin')
      .send({});
    expect(allowed.status).toBe(200);
    expect(await statusOf(appointmentId)).toBe('cancelled');
    const second = await bookedAppointment(frontdesk, system, doctorId);
    await frontdesk.agent
      .post(`/api/v1/appointments/${second.appointmentId}/cancel`)
      .set('origin', 'https://desk.clinic.example.in')
      .send({})
      .expect(200);
    const third = await bookedAppointment(frontdesk, system, doctorId);
    await frontdesk.agent
      .post(`/api/v1/appointments/${third.appointmentId}/cancel`)
      .set('host', 'cinic.internal:3000')
      .set('origin', 'http://cinic.internal:3000')
      .send({})
      .expect(200);
  });

  it('accepts only application/json bodies on the API (415 for forms and text/plain)', async () => {
    const { appointmentId } = await bookedAppointment(frontdesk, system, doctorId);
    const form = await frontdesk.agent.post(`/api/v1/appointments/${appointmentId}/cancel`).type('form').send('x=1');
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    const text = await frontdesk.agent
      .post(`/api/v1/appointments/${appointmentId}/cancel`)
      .set('content-type', 'text/plain')
      .send('{"reason":"forged"}');
    expect(text.status).toBe(415);
    expect(await statusOf(appointmentId)).not.toBe('cancelled');
    await frontdesk.agent.post(`/api/v1/appointments/${appointmentId}/cancel`).send({}).expect(200);
  });

  it('refuses a device approval without a body from another origin', async () => {
    const admin = await createStaffAndLogin(t, ['admin']);
    const pending = await createStaffAndLogin(t, ['frontdesk'], { approveDevice: false });
    const deviceId = pending.login.device.id;
    const forged = await admin.agent
      .post(`/api/v1/auth/devices/${deviceId}/approve`)
      .set('origin', 'http://127.0.0.1:9');
    expect(forged.status).toBe(403);
    expect((await Device.findById(deviceId).lean())?.status).toBe('pending');
  });

  it("requires the session's token on the doctor view's form posts, and renders it in every form", async () => {
    const doctor = await makeSignedInDoctor(t, system);
    const { appointmentId } = await bookedAppointment(frontdesk, system, doctor.doctorId);
    const queue = await doctor.login.agent.get('/doctor').expect(200);
    const token = csrfTokenFor(
      t.runtime.config.security.sessionSecret,
      SESSION_COOKIE,
      agentCookie(doctor.login.agent, SESSION_COOKIE)!,
    );
    const forms = queue.text.match(/<form method="post"[^>]*>/g) ?? [];
    expect(forms.length).toBeGreaterThanOrEqual(2); // sign-out and the check-in button
    expect(queue.text.split(`name="_csrf" value="${token}"`).length - 1).toBe(forms.length);

    // The same cookie without the token (what a forged form sends): refused, nothing changes.
    const bare = supertest(t.app);
    const cookie = `${SESSION_COOKIE}=${agentCookie(doctor.login.agent, SESSION_COOKIE)}`;
    const forged = await bare
      .post(`/doctor/appointments/${appointmentId}/check-in`)
      .set('cookie', cookie)
      .type('form')
      .send({});
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject({ code: 'csrf_token_invalid' });
    const wrong = await bare
      .post(`/doctor/appointments/${appointmentId}/check-in`)
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrfTokenFor(t.runtime.config.security.sessionSecret, SESSION_COOKIE, 'another-session') });
    expect(wrong.status).toBe(403);
    expect(await statusOf(appointmentId)).toBe('confirmed');

    const real = await bare
      .post(`/doctor/appointments/${appointmentId}/check-in`)
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: token });
    expect(real.status).toBe(303);
    expect(real.headers.location).toBe('/doctor?notice=checked_in');
    expect(await statusOf(appointmentId)).toBe('checked_in');
  });
});
