/**
 * Payments test helpers: an app on a real port (the Razorpay SDK reaches the sandbox stand-in
 * over HTTP and the stand-in posts signed webhooks back), with its documents in a temporary
 * folder, plus the sandbox's pay / events / resend endpoints.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RazorpayEvent } from '../../src/modules/payments/razorpay-event.model.js';
import type { RazorpayEventRecord } from '../../src/modules/payments/razorpay-event.model.js';
import { startListeningApp, waitFor } from './whatsapp.js';
import type { ListeningApp } from './whatsapp.js';

/** The listening app with workers, a short Razorpay timeout and fast WhatsApp pacing. */
export async function startPaymentsApp(label: string, env: Record<string, string> = {}): Promise<ListeningApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cinic-payments-'));
  const t = await startListeningApp(label, {
    env: { CINIC_DATA_DIR: dataDir, RAZORPAY_TIMEOUT_MS: '1500', WHATSAPP_PACING_MS: '20', ...env },
  });
  return {
    ...t,
    async close() {
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function post<T>(url: string, body: unknown = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** What the sandbox's pay endpoint answers. */
export interface SandboxPayment {
  paymentId: string;
  paymentLinkId: string;
  events: { id: string; event: string }[];
}

/** Pays a link in the sandbox (`deliver: false` stores its events undelivered; `late: true` pays a closed link). */
export async function payInSandbox(
  baseUrl: string,
  paymentLinkId: string,
  options: { deliver?: boolean; late?: boolean } = {},
): Promise<SandboxPayment> {
  const { status, body } = await post<SandboxPayment>(
    `${baseUrl}/sandbox/razorpay/payment_links/${paymentLinkId}/pay`,
    options,
  );
  if (status !== 200) throw new Error(`sandbox pay answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** Delivers (again) a stored sandbox event to /webhooks/razorpay; answers the delivery status. */
export async function resendEvent(baseUrl: string, eventId: string): Promise<{ lastStatus: number | null }> {
  return (await post<{ lastStatus: number | null }>(`${baseUrl}/sandbox/razorpay/events/${eventId}/resend`)).body;
}

/** The id of the stored sandbox event named `event` in a payment's events. */
export function eventIdOf(payment: SandboxPayment, event: string): string {
  const found = payment.events.find((candidate) => candidate.event === event);
  if (!found) throw new Error(`no ${event} event in ${JSON.stringify(payment.events)}`);
  return found.id;
}

/** Waits until our copy of Razorpay event `eventId` has been handled; returns it. */
export async function handledEvent(eventId: string, timeoutMs = 20_000): Promise<RazorpayEventRecord> {
  return waitFor(
    async () => {
      const record = await RazorpayEvent.findOne({ eventId }).lean<RazorpayEventRecord>();
      return record && record.status !== 'received' ? record : undefined;
    },
    { timeoutMs, what: `razorpay event ${eventId} handled` },
  );
}
