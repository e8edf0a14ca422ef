/**
 * The Graph API stand-in's behaviour: accept a send (or simulate a failure, see faults.ts),
 * record it, answer with a wamid and report statuses back; list what a recipient received; and
 * deliver a message typed in the sandbox to our own webhook, signed, as Meta would.
 */
import { AppError } from '../../platform/errors.js';
import type { Runtime } from '../../platform/runtime.js';
import { waHashOf } from '../../modules/messaging/wa-contact.model.js';
import { scheduleStatusCallbacks } from './callbacks.queue.js';
import { faultFor, firstAttempt } from './faults.js';
import type { GraphSendRequest, InboundBody } from './graph.schemas.js';
import { newWamid } from './inbound-payload.js';
import type { InboundInput } from './inbound-payload.js';
import { sendInbound } from './inbound-sender.js';
import { recordInbound } from './sandbox-inbound.service.js';
import { sandboxMessages } from './sandbox-message.model.js';
import type { SandboxMessageRecord, SandboxStatus } from './sandbox-message.model.js';

/** A refusal in Graph's terms: HTTP status, Graph error code and message. */
export class GraphFault extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'GraphFault';
  }
}

/** Graph's success answer to a send. */
export interface GraphSendAnswer {
  messaging_product: 'whatsapp';
  contacts: { input: string; wa_id: string }[];
  messages: { id: string }[];
}

/** One recorded message as the sandbox API lists it. */
export interface SandboxMessageView {
  wamid: string;
  to: string;
  at: string;
  status: SandboxStatus;
  /** The Cloud API message object (request body) as the client sent it. */
  message: Record<string, unknown>;
}

const digitsOf = (waId: string) => waId.replace(/^\+/, '');

/**
 * Accepts a validated send (or throws the simulated GraphFault), records the body exactly as
 * received (`original`, not the parsed subset) and schedules its statuses.
 */
export async function acceptSend(
  runtime: Runtime,
  request: GraphSendRequest,
  original: Record<string, unknown>,
  rawBody: Buffer | undefined,
): Promise<GraphSendAnswer> {
  const to = digitsOf(request.to);
  const fault = faultFor(to);
  if (fault?.kind === 'reject' || (fault?.kind === 'reject_once' && firstAttempt(rawBody ?? JSON.stringify(request)))) {
    throw new GraphFault(
      fault.httpStatus,
      fault.code,
      `(#${fault.code}) Simulated by the sandbox for wa_id ending ${to.slice(-4)}`,
    );
  }
  const wamid = newWamid();
  const record = await sandboxMessages().create({
    phoneNumberId: runtime.config.whatsapp.phoneNumberId,
    wamid,
    to,
    toHash: waHashOf(to),
    message: original,
    at: new Date(),
    status: 'accepted',
  });
  if (fault?.kind === 'fail_status')
    await scheduleStatusCallbacks(runtime, String(record._id), [{ status: 'failed', errorCode: fault.code }]);
  else if (fault?.kind !== 'silent')
    await scheduleStatusCallbacks(runtime, String(record._id), [
      { status: 'sent' },
      { status: 'delivered' },
      { status: 'read' },
    ]);
  return { messaging_product: 'whatsapp', contacts: [{ input: request.to, wa_id: to }], messages: [{ id: wamid }] };
}

/** What the stand-in received for `to`, oldest first, with each message's latest status. */
export async function listSandboxMessages(runtime: Runtime, to: string): Promise<SandboxMessageView[]> {
  const records = await sandboxMessages()
    .find({ phoneNumberId: runtime.config.whatsapp.phoneNumberId, toHash: waHashOf(digitsOf(to)) })
    .sort({ at: 1, _id: 1 })
    .limit(1000)
    .lean<SandboxMessageRecord[]>();
  return records.map((record) => ({
    wamid: record.wamid,
    to: record.to,
    at: record.at.toISOString(),
    status: record.status,
    message: record.message,
  }));
}

function inboundInput(body: InboundBody): InboundInput {
  const common = { from: body.from, ...(body.profileName ? { profileName: body.profileName } : {}) };
  if (body.text !== undefined) return { ...common, text: body.text };
  const title = body.replyTitle ? { replyTitle: body.replyTitle } : {};
  if (body.replyType === 'list') return { ...common, listReplyId: body.replyId!, ...title };
  if (body.replyType === 'quick_reply') return { ...common, quickReplyPayload: body.replyId!, ...title };
  return { ...common, buttonReplyId: body.replyId!, ...title };
}

/** Delivers what a person typed or tapped in the sandbox to our webhook, signed, and records it; returns its wamid. */
export async function deliverInbound(runtime: Runtime, body: InboundBody): Promise<{ wamid: string }> {
  const { appSecret, phoneNumberId } = runtime.config.whatsapp;
  const target = { webhookUrl: `${runtime.config.publicUrl}/webhooks/whatsapp`, appSecret, phoneNumberId };
  const at = new Date();
  const { wamid, status } = await sendInbound(target, inboundInput(body));
  if (status !== 200) throw new AppError('webhook_rejected', 502, `The webhook answered ${status}`);
  // The phone's side of the chat, for the chat page; only what the webhook accepted.
  await recordInbound(runtime, body, wamid, at);
  return { wamid };
}
