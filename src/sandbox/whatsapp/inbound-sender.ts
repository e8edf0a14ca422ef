/**
 * Delivers a signed Meta-shaped webhook POST over HTTP, as Meta would: the sandbox chat page's
 * inbound messages, the stand-in's status callbacks, and tests against a listening app.
 */
import { buildInboundPayload, newWamid, signWebhook } from './inbound-payload.js';
import type { InboundInput, WebhookBody } from './inbound-payload.js';

/** Where and how to deliver: the webhook URL and the number and secret of the installation. */
export interface WebhookTarget {
  webhookUrl: string;
  appSecret: string;
  phoneNumberId: string;
}

/** POSTs `payload` signed to `target.webhookUrl` and returns the HTTP status. */
export async function postWebhook(target: WebhookTarget, payload: WebhookBody): Promise<number> {
  const { body, signature } = signWebhook(payload, target.appSecret);
  const response = await fetch(target.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Sends one patient message to the webhook; returns its wamid and the webhook's HTTP status. */
export async function sendInbound(
  target: WebhookTarget,
  input: InboundInput,
): Promise<{ wamid: string; status: number }> {
  const wamid = input.wamid ?? newWamid();
  return { wamid, status: await postWebhook(target, buildInboundPayload(target.phoneNumberId, { ...input, wamid })) };
}
