/**
 * Patient portal helpers: reading the sign-in code the app sent through the WhatsApp Graph
 * stand-in (as a person reads it at /sandbox/whatsapp), and signing a patient in through the
 * real /api/v1/auth/otp routes with a cookie-keeping agent.
 */
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type { ListeningApp } from './whatsapp.js';
import { waitFor } from './whatsapp.js';

interface RecordedTemplate {
  message: {
    type: string;
    template?: {
      name: string;
      components?: { type: string; sub_type?: string; parameters: { type: string; text?: string }[] }[];
    };
  };
}

/** The sign-in codes sent to `e164` so far (body parameter of each authentication template), oldest first. */
export async function codesSentTo(t: ListeningApp, e164: string): Promise<string[]> {
  const res = await t.http.get(`/sandbox/whatsapp/api/messages?to=${e164.replace('+', '')}`);
  const messages = (res.body.messages ?? []) as RecordedTemplate[];
  return messages
    .filter((item) => item.message.type === 'template' && item.message.template?.name === 'portal_sign_in_code')
    .map((item) => item.message.template!.components!.find((c) => c.type === 'body')!.parameters[0]!.text!);
}

/** Waits for the `count`-th code sent to `e164` and returns it. */
export async function waitForCode(t: ListeningApp, e164: string, count = 1): Promise<string> {
  const codes = await waitFor(
    async () => {
      const sent = await codesSentTo(t, e164);
      return sent.length >= count ? sent : undefined;
    },
    { what: `sign-in code #${count}` },
  );
  return codes[count - 1]!;
}

/** Signs the patient on `e164` in through the API; the agent keeps the cinic.psid cookie. */
export async function signInPatient(t: ListeningApp, e164: string): Promise<{ agent: TestAgent; token: string }> {
  const before = (await codesSentTo(t, e164)).length;
  const agent = supertest.agent(t.app);
  const requested = await agent.post('/api/v1/auth/otp/request').send({ phone: e164 });
  if (requested.status !== 202) throw new Error(`code request failed with ${requested.status}: ${requested.text}`);
  const code = await waitForCode(t, e164, before + 1);
  const verified = await agent.post('/api/v1/auth/otp/verify').send({ phone: e164, code });
  if (verified.status !== 200) throw new Error(`verify failed with ${verified.status}: ${verified.text}`);
  return { agent, token: verified.body.token as string };
}
