/**
 * The portal's pages through the real app: sign-in by form with the code read from the WhatsApp
 * stand-in, then each section as the patient; other patients' ids in every URL answer 404.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import supertest from 'supertest';
import { testSystemActor } from '../helpers/auth.js';
import { waitForCode } from '../helpers/portal.js';
import { makePatient } from '../helpers/scheduling.js';
import { startListeningApp } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

let t: ListeningApp;

beforeAll(async () => {
  t = await startListeningApp('portalpages', { env: { WHATSAPP_PACING_MS: '0' } });
});
afterAll(async () => {
  await t?.close();
});

/** Signs in through the HTML forms; returns the agent and the form token of the home page. */
async function signInByForm(phone: string) {
  const agent = supertest.agent(t.app);
  const start = await agent.get('/portal').expect(200);
  expect(start.text).toContain('<label for="phone">');
  const codeForm = await agent
    .post('/portal/code')
    .type('form')
    .send({ phone: phone.slice(3), lang: 'en' })
    .expect(200);
  expect(codeForm.text).toContain('autocomplete="one-time-code"');
  const code = await waitForCode(t, phone);
  const verified = await agent.post('/portal/verify').type('form').send({ phone, code, lang: 'en' });
  expect(verified.status).toBe(303);
  expect(verified.headers.location).toBe('/portal/home');
  const home = await agent.get('/portal/home').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1]!;
  return { agent, csrf, home };
}

test('sign-in by form, the home page, a wrong code, and sign-out', async () => {
  const { phone } = await makePatient(await testSystemActor(), 'Anita Desai');
  const { agent, csrf, home } = await signInByForm(phone);
  expect(home.text).toContain('Anita Desai');
  expect(home.headers['cache-control']).toBe('no-store');
  expect(Buffer.byteLength(home.text)).toBeLessThan(50_000);
  expect(home.text).not.toContain('<script');

  // A form without the token, or from another site, is refused.
  await agent.post('/portal/logout').type('form').send({}).expect(404);
  await agent.post('/portal/logout').set('sec-fetch-site', 'cross-site').type('form').send({ _csrf: csrf }).expect(404);
  const out = await agent.post('/portal/logout').type('form').send({ _csrf: csrf });
  expect(out.status).toBe(303);
  const after = await agent.get('/portal/home');
  expect(after.status).toBe(303);
  expect(after.headers.location).toBe('/portal');

  const wrong = await agent.post('/portal/verify').type('form').send({ phone, code: '000000', lang: 'hi' });
  expect(wrong.status).toBe(401);
  expect(wrong.text).toContain('lang="hi"');
});
