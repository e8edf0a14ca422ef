/**
 * The phone's side of a sandbox chat: each message the sandbox delivered for a number is recorded
 * once the webhook accepted it, and listed for the chat page next to what the bot sent back.
 */
import type { Runtime } from '../../platform/runtime.js';
import { waHashOf } from '../../modules/messaging/wa-contact.model.js';
import type { InboundBody } from './graph.schemas.js';
import { sandboxInbound } from './sandbox-inbound.model.js';
import type { SandboxInboundContent, SandboxInboundRecord } from './sandbox-inbound.model.js';

/** One delivered message as the sandbox API lists it. */
export interface SandboxInboundView {
  wamid: string;
  from: string;
  at: string;
  content: SandboxInboundContent;
}

function contentOf(body: InboundBody): SandboxInboundContent {
  if (body.text !== undefined) return { type: 'text', text: body.text };
  const id = body.replyId ?? '';
  // A phone shows the tapped option's title; the id stands in when the caller sent none.
  return { type: body.replyType ?? 'button', id, title: body.replyTitle || id };
}

/** Records that `body` from `body.from` reached the webhook as `wamid`, sent at `at`. */
export async function recordInbound(runtime: Runtime, body: InboundBody, wamid: string, at: Date): Promise<void> {
  await sandboxInbound().create({
    phoneNumberId: runtime.config.whatsapp.phoneNumberId,
    wamid,
    from: body.from,
    fromHash: waHashOf(body.from),
    content: contentOf(body),
    at,
  });
}

/** What `from` sent through the sandbox, oldest first. */
export async function listSentBy(runtime: Runtime, from: string): Promise<SandboxInboundView[]> {
  const records = await sandboxInbound()
    .find({ phoneNumberId: runtime.config.whatsapp.phoneNumberId, fromHash: waHashOf(from.replace(/^\+/, '')) })
    .sort({ at: 1, _id: 1 })
    .limit(1000)
    .lean<SandboxInboundRecord[]>();
  return records.map((record) => ({
    wamid: record.wamid,
    from: record.from,
    at: record.at.toISOString(),
    content: record.content,
  }));
}
