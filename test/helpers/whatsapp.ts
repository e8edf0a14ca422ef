/**
 * WhatsApp test helpers: an app listening on a real port (the client reaches the Graph stand-in
 * over HTTP, and the stand-in posts status webhooks back), signed webhook POSTs through supertest,
 * and polling for asynchronous outcomes.
 */
import type http from 'node:http';
import type TestAgent from 'supertest/lib/agent.js';
import { freePort } from '../../scripts/local-services.mjs';
import type { Config } from '../../src/config.js';
import { listen } from '../../src/platform/server.js';
import { buildInboundPayload, newWamid, signWebhook } from '../../src/sandbox/whatsapp/inbound-payload.js';
import type { InboundInput, WebhookBody } from '../../src/sandbox/whatsapp/inbound-payload.js';
import { startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';

/** A test app bound to a port, with its base URL. */
export interface ListeningApp extends TestApp {
  baseUrl: string;
  server: http.Server;
}

/** Starts the app on a free port with PUBLIC_URL pointing at it (so the sandbox stand-in is reachable). */
export async function startListeningApp(
  label: string,
  { env = {}, workers = true }: { env?: Record<string, string>; workers?: boolean } = {},
): Promise<ListeningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = await startTestApp(label, { env: { PORT: String(port), PUBLIC_URL: baseUrl, ...env }, workers });
  const server = await listen(app.app, port, '127.0.0.1');
  return {
    ...app,
    baseUrl,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}

/** POSTs `payload` to /webhooks/whatsapp signed with the app secret of `config`. */
export function postSignedWebhook(http: TestAgent, config: Config, payload: WebhookBody) {
  const { body, signature } = signWebhook(payload, config.whatsapp.appSecret);
  return http
    .post('/webhooks/whatsapp')
    .set('content-type', 'application/json')
    .set('x-hub-signature-256', signature)
    .send(body);
}

/** Sends one patient message through the signed webhook; returns its wamid and the response. */
export async function sendInboundVia(http: TestAgent, config: Config, input: InboundInput) {
  const wamid = input.wamid ?? newWamid();
  const response = await postSignedWebhook(
    http,
    config,
    buildInboundPayload(config.whatsapp.phoneNumberId, { ...input, wamid }),
  );
  return { wamid, response };
}

/** Polls `probe` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 15_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
