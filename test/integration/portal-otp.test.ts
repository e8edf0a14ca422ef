/**
 * Patient sign-in with a one-time code: the code goes out as WhatsApp's authentication template
 * (read back from the Graph stand-in), is stored only as a hash, expires, works once, dies after
 * five wrong tries, is rate-limited per number and per IP, and a number with no patient gets the
 * very same answers. Patient sessions end when idle, at their deadline, and everywhere at once.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import mongoose from 'mongoose';
import supertest from 'supertest';
import {
  OTP_RULES,
  PATIENT_SESSION_LIMITS,
  requestOtp,
  resolvePatientSession,
  verifyOtp,
} from '../../src/modules/patient-auth/index.js';
import { normalizePhone } from '../../src/platform/crypto/blind-index.js';
import { blindIndexOf } from '../../src/platform/crypto/keyring.js';
import { testSystemActor } from '../helpers/auth.js';
import { codesSentTo, signInPatient, waitForCode } from '../helpers/portal.js';
import { makePatient } from '../helpers/scheduling.js';
import { startListeningApp, waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

let t: ListeningApp;
let ipCounter = 10;
const freshIp = () => `10.9.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;
const stranger = () => `+9197${randomInt(10_000_000, 99_999_999)}`;

beforeAll(async () => {
  t = await startListeningApp('portalotp', { env: { TRUST_PROXY: 'true', WHATSAPP_PACING_MS: '0' } });
});
afterAll(async () => {
  await t?.close();
});

const request = (phone: string, ip = freshIp()) =>
  t.http.post('/api/v1/auth/otp/request').set('x-forwarded-for', ip).send({ phone });
const verify = (phone: string, code: string, ip = freshIp()) =>
  t.http.post('/api/v1/auth/otp/verify').set('x-forwarded-for', ip).send({ phone, code });

test('the code goes out as the authentication template with a copy-code button, and is stored only as a hash', async () => {
  const { phone } = await makePatient(await testSystemActor());
  const res = await request(phone);
  expect(res.status).toBe(202);
  expect(res.body).toEqual({ sent: true, channel: 'whatsapp', expiresInSeconds: 600 });
  const code = await waitForCode(t, phone);
  expect(code).toMatch(/^\d{6}$/);

  const recorded = await t.http.get(`/sandbox/whatsapp/api/messages?to=${phone.slice(1)}`);
  const template = recorded.body.messages.at(-1).message.template;
  expect(template.components).toContainEqual({
    type: 'button',
    sub_type: 'url',
    // whatsapp-api-js numbers the button; Meta accepts either form.
    index: 0,
    parameters: [{ type: 'text', text: code }],
  });

  // Raw documents: the challenge holds an HMAC, and the outbound record loses the code once sent.
  const db = mongoose.connection.db!;
  const challenge = await db
    .collection('otp_challenges')
    .findOne({ phoneHash: blindIndexOf('phone', phone) }, { sort: { createdAt: -1 } });
  expect(challenge).toBeTruthy();
  expect(JSON.stringify(challenge)).not.toContain(code);
  expect(challenge!.codeHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const outbound = await waitFor(async () => {
    const doc = await db.collection('whatsapp_outbound').findOne({ purpose: 'otp', status: { $ne: 'queued' } });
    return doc ?? undefined;
  });
  const { OutboundMessageModel } = await import('../../src/modules/messaging/outbound.model.js');
  const opened = await OutboundMessageModel.findById(outbound._id).lean<{ message: unknown; sentMessage: unknown }>();
  expect(JSON.stringify(opened)).not.toContain(code);
});

test('a number with no patient gets the same answers, and no message', async () => {
  const { phone } = await makePatient(await testSystemActor(), 'Meera Iyer');
  const nobody = stranger();
  const [forNobody, forPatient] = [await request(nobody), await request(phone)];
  expect(forNobody.status).toBe(forPatient.status);
  expect(forNobody.body).toEqual(forPatient.body);
  expect(Object.keys(forNobody.headers).sort()).toEqual(Object.keys(forPatient.headers).sort());

  await waitForCode(t, phone);
  expect(await codesSentTo(t, nobody)).toEqual([]);
  const db = mongoose.connection.db!;
  expect(await db.collection('otp_challenges').countDocuments({ phoneHash: blindIndexOf('phone', nobody) })).toBe(1);

  // A guess for the stranger and a wrong code for the patient read alike.
  const guess = await verify(nobody, '123456');
  const wrong = await verify(phone, (Number(await waitForCode(t, phone)) ^ 1).toString().padStart(6, '0'));
  expect(guess.status).toBe(401);
  expect(wrong.status).toBe(401);
  expect(guess.body.code).toBe('otp_invalid');
  expect(wrong.body.code).toBe('otp_invalid');
  expect(guess.body.attemptsLeft).toBe(wrong.body.attemptsLeft);
});

test('a code works once; the session it starts is a patient session', async () => {
  const { phone, id } = await makePatient(await testSystemActor(), 'Ravi Kumar');
  await request(phone);
  const code = await waitForCode(t, phone);
  const agent = supertest.agent(t.app);
  const first = await agent.post('/api/v1/auth/otp/verify').set('x-forwarded-for', freshIp()).send({ phone, code });
  expect(first.status).toBe(200);
  expect(first.body.patientIds).toEqual([id]);
  expect(first.body.idleMinutes).toBe(15);
  expect(first.headers['set-cookie']?.[0]).toMatch(/^cinic\.psid=.*HttpOnly.*SameSite=Lax/i);
  const again = await verify(phone, code);
  expect(again.status).toBe(401);
  expect(again.body.code).toBe('otp_invalid');
  const me = await agent.get('/api/v1/auth/otp/session').expect(200);
  expect(me.body.patientId).toBe(id);
  // The bearer token works too, for API clients without cookies.
  await t.http.get('/api/v1/auth/otp/session').set('authorization', `Bearer ${first.body.token}`).expect(200);
});

test('five wrong tries kill the code, even for the right one afterwards', async () => {
  const { phone } = await makePatient(await testSystemActor(), 'Sunita Rao');
  await request(phone);
  const code = await waitForCode(t, phone);
  const wrongCode = code === '000000' ? '000001' : '000000';
  const lefts: number[] = [];
  for (let i = 0; i < OTP_RULES.maxWrongTries; i++) lefts.push((await verify(phone, wrongCode)).body.attemptsLeft);
  expect(lefts).toEqual([4, 3, 2, 1, 0]);
  const right = await verify(phone, code);
  expect(right.status).toBe(401);
  // A new code replaces the dead one and works.
  await request(phone);
  const next = await waitForCode(t, phone, 2);
  expect((await verify(phone, next)).status).toBe(200);
});

test('a code expires after 10 minutes; a newer code replaces the older one', async () => {
  const { phone } = await makePatient(await testSystemActor(), 'Kavita Joshi');
  const e164 = normalizePhone(phone);
  const issuedAt = new Date();
  await requestOtp(t.runtime, {}, { phone: e164, ip: freshIp() }, issuedAt);
  const code = await waitForCode(t, phone);
  const late = new Date(issuedAt.getTime() + OTP_RULES.ttlMs + 1000);
  await expect(verifyOtp(t.runtime, { phone: e164, code, ip: freshIp() }, late)).rejects.toMatchObject({
    code: 'otp_invalid',
    status: 401,
  });
  await request(phone);
  await request(phone);
  const [, second, third] = [code, await waitForCode(t, phone, 2), await waitForCode(t, phone, 3)];
  expect((await verify(phone, second)).status).toBe(401);
  expect((await verify(phone, third)).status).toBe(200);
});

test('requests are limited per number and per IP with 429 and Retry-After, for patients and strangers alike', async () => {
  for (const phone of [(await makePatient(await testSystemActor(), 'Limit Test')).phone, stranger()]) {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await request(phone);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body.code).toBe('too_many_attempts');
  }
  const ip = freshIp();
  const statuses: number[] = [];
  for (let i = 0; i < 21; i++) statuses.push((await request(stranger(), ip)).status);
  expect(statuses.filter((status) => status === 202)).toHaveLength(20);
  expect(statuses.at(-1)).toBe(429);

  const verifyIp = freshIp();
  const tries: number[] = [];
  for (let i = 0; i < 31; i++) tries.push((await verify(stranger(), '111111', verifyIp)).status);
  expect(tries.slice(0, 30).every((status) => status === 401)).toBe(true);
  expect(tries[30]).toBe(429);
});

test('patient sessions end after 15 idle minutes, at 12 hours however active, and everywhere on request', async () => {
  const { phone } = await makePatient(await testSystemActor(), 'Session Test');
  const { agent, token } = await signInPatient(t, phone);
  const start = Date.now();
  // Used every 14 minutes, the session lives until its absolute deadline and not a moment longer.
  let now = start;
  let alive = true;
  while (now + 14 * 60_000 < start + PATIENT_SESSION_LIMITS.absoluteMs) {
    now += 14 * 60_000;
    alive = (await resolvePatientSession(t.runtime, token, now)) !== null;
    if (!alive) break;
  }
  expect(alive).toBe(true);
  expect(await resolvePatientSession(t.runtime, token, start + PATIENT_SESSION_LIMITS.absoluteMs + 1)).toBeNull();

  const other = await signInPatient(t, phone);
  expect(await resolvePatientSession(t.runtime, other.token, Date.now() + 16 * 60_000)).toBeNull();

  const third = await signInPatient(t, phone);
  const fourth = await signInPatient(t, phone);
  await third.agent.post('/api/v1/auth/otp/logout-everywhere').expect(204);
  await fourth.agent.get('/api/v1/auth/otp/session').expect(401);
  await third.agent.get('/api/v1/auth/otp/session').expect(401);
  await agent.get('/api/v1/auth/otp/session').expect(401);
});

test('a number not on WhatsApp asks for the code by SMS: the clinic SMS provider sends the registered text', async () => {
  const { phone } = await makePatient(await testSystemActor(), 'Sms Only');
  const res = await t.http
    .post('/api/v1/auth/otp/request')
    .set('x-forwarded-for', freshIp())
    .send({ phone, channel: 'sms' });
  expect(res.status).toBe(202);
  expect(res.body.channel).toBe('sms');
  const text = await waitFor(async () => {
    const sms = await t.http.get(`/sandbox/sms/api/messages?to=${phone.slice(1)}`);
    return (sms.body.messages as { text: string }[])[0]?.text;
  });
  const code = /^(\d{6}) is your CINIC sign-in code/.exec(text)?.[1];
  expect(code).toBeDefined();
  expect(await codesSentTo(t, phone)).toEqual([]);
  expect((await verify(phone, code!)).status).toBe(200);
});
