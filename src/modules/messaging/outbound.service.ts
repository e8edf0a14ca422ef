/**
 * Sending WhatsApp messages: `sendWhatsApp` records the message (status queued, recipient and
 * content encrypted) and queues its job; the outbound worker (outbound.queue.ts) sends it in
 * order, paced, within the 24-hour window or as a template. The record functions below are the
 * only writes to OutboundMessage besides status webhooks, each conditional on `queued`.
 */
import type { Types } from 'mongoose';
import { publish } from '../../platform/domain-events.js';
import { log } from '../../platform/logger.js';
import { OutboundMessageModel } from './outbound.model.js';
import type { OutboundPurpose, OutboundRecord, OutboundStatus, TemplateFallback } from './outbound.model.js';
import { enqueueOutbound } from './outbound.queue.js';
import { upsertWaContact } from './wa-contact.service.js';
import { waHashOf } from './wa-contact.model.js';
import { fitMessage, toCloudApiPayload } from './whatsapp-messages.js';
import type { OutboundMessage } from './whatsapp-messages.js';

type Id = string | Types.ObjectId;

/** What to send, to whom and why. */
export interface SendWhatsAppInput {
  clinicId: string;
  /** The recipient's WhatsApp id (country code and number; `+`, spaces and dashes are dropped). */
  to: string;
  message: OutboundMessage;
  purpose: OutboundPurpose;
  appointmentId?: string;
  /** Parameters (and optionally name and language) of the template to send outside the window. */
  template?: TemplateFallback;
  /**
   * The record's id, chosen by the caller so a retried call cannot queue a second message: the
   * unique `_id` lets one create win, and the others answer with that id (patient-documents.ts).
   */
  outboundId?: Types.ObjectId;
}

function isDuplicateId(error: unknown): boolean {
  const { code, keyPattern } = error as { code?: number; keyPattern?: Record<string, unknown> };
  // mongo-java-server may omit keyPattern; the only unique index an outbound insert can hit is _id.
  return code === 11000 && (keyPattern === undefined || '_id' in keyPattern);
}

const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;

/**
 * Queues `message` for `to` and returns the OutboundMessage id. Throws TypeError for a malformed
 * recipient, template name or empty message, and AppError 422 `invalid_phone` for a WhatsApp id
 * that is not a phone number. Once the record exists the message is durable: if queueing its job
 * fails, the sweeper queues it.
 */
export async function sendWhatsApp(input: SendWhatsAppInput): Promise<{ outboundId: string }> {
  const recipient = toCloudApiPayload(input.to, input.message).to;
  if (input.template?.name !== undefined && !TEMPLATE_NAME.test(input.template.name))
    throw new TypeError('Invalid template name');
  const contact = await upsertWaContact(input.clinicId, recipient);
  let record;
  try {
    record = await OutboundMessageModel.create({
      ...(input.outboundId ? { _id: input.outboundId } : {}),
      clinicId: input.clinicId,
      waContactId: contact._id,
      to: recipient,
      toHash: waHashOf(recipient),
      purpose: input.purpose,
      ...(input.appointmentId ? { appointmentId: input.appointmentId } : {}),
      message: fitMessage(input.message),
      ...(input.template ? { template: input.template } : {}),
      queuedAt: new Date(),
    });
  } catch (error) {
    // Another call created this very message: it is queued already, once.
    if (input.outboundId && isDuplicateId(error)) return { outboundId: String(input.outboundId) };
    throw error;
  }
  const outboundId = String(record._id);
  try {
    await enqueueOutbound({ clinicId: input.clinicId, outboundId });
  } catch (error) {
    log().warn({ err: error, outboundId }, 'outbound job not queued; the sweeper will queue it');
  }
  log().info({ outboundId, purpose: input.purpose }, 'whatsapp message queued');
  return { outboundId };
}

/** The outbound record `outboundId` of `clinicId`, or null. */
export async function findOutbound(clinicId: Id, outboundId: Id): Promise<OutboundRecord | null> {
  return OutboundMessageModel.findOne({ _id: outboundId, clinicId }).lean<OutboundRecord>();
}

/** Status and send time of the messages `ids` of `clinicId`, by id; unknown ids are left out. */
export async function outboundStatesOf(
  clinicId: Id,
  ids: readonly Id[],
): Promise<Map<string, { status: OutboundStatus; sentAt?: Date }>> {
  if (ids.length === 0) return new Map();
  const records = await OutboundMessageModel.find({ _id: { $in: [...ids] }, clinicId }, { status: 1, sentAt: 1 }).lean<
    Pick<OutboundRecord, '_id' | 'status' | 'sentAt'>[]
  >();
  return new Map(
    records.map((record) => [
      String(record._id),
      { status: record.status, ...(record.sentAt ? { sentAt: record.sentAt } : {}) },
    ]),
  );
}

/** True while a message queued before `record` for the same recipient is still unsent. */
export async function earlierQueuedExists(record: OutboundRecord): Promise<boolean> {
  const earlier = await OutboundMessageModel.exists({
    clinicId: record.clinicId,
    waContactId: record.waContactId,
    status: 'queued',
    $or: [{ queuedAt: { $lt: record.queuedAt } }, { queuedAt: record.queuedAt, _id: { $lt: record._id } }],
  });
  return earlier !== null;
}

/**
 * A sign-in code is kept only until it is handed to Meta: once sent, the stored copies show a
 * placeholder (the portal keeps the code itself only as a hash).
 */
function withoutOneTimeCode(message: OutboundMessage): OutboundMessage {
  if (message.kind !== 'template' || message.copyCode === undefined) return message;
  const { copyCode: _code, ...rest } = message;
  return { ...rest, bodyParameters: rest.bodyParameters.map(() => '******') };
}

/** Records a successful send: the wamid, what went out, and when its pacing slot was claimed. */
export async function markOutboundSent(
  record: OutboundRecord,
  sent: { wamid: string; as: 'message' | 'template'; message: OutboundMessage; dispatchedAt: Date },
): Promise<void> {
  const scrub = record.purpose === 'otp';
  await OutboundMessageModel.updateOne(
    { _id: record._id, clinicId: record.clinicId, status: 'queued' },
    {
      $set: {
        status: 'sent',
        wamid: sent.wamid,
        sentAs: sent.as,
        sentMessage: scrub ? withoutOneTimeCode(sent.message) : sent.message,
        ...(scrub ? { message: withoutOneTimeCode(record.message) } : {}),
        dispatchedAt: sent.dispatchedAt,
        sentAt: new Date(),
      },
      $unset: { failureReason: 1 },
      $inc: { attempts: 1 },
    },
  );
}

/** Gives a queued message up with a reason code (never text). */
export async function markOutboundFailed(record: OutboundRecord, reason: string): Promise<void> {
  const result = await OutboundMessageModel.updateOne(
    { _id: record._id, clinicId: record.clinicId, status: 'queued' },
    { $set: { status: 'failed', failureReason: reason, failedAt: new Date() }, $inc: { attempts: 1 } },
  );
  if (result.modifiedCount === 1)
    await publish('message.undeliverable', {
      clinicId: String(record.clinicId),
      outboundId: String(record._id),
      purpose: record.purpose,
      reason,
    });
}

/** Counts a failed attempt that will be retried. */
export async function noteOutboundAttempt(record: OutboundRecord, reason: string): Promise<void> {
  await OutboundMessageModel.updateOne(
    { _id: record._id, clinicId: record.clinicId, status: 'queued' },
    { $set: { failureReason: reason }, $inc: { attempts: 1 } },
  );
}

/** Ids of messages queued before `queuedBefore` and still unsent (the sweeper re-queues their jobs). */
export async function staleQueuedOutbound(clinicId: Id, queuedBefore: Date, limit = 500): Promise<string[]> {
  const records = await OutboundMessageModel.find(
    { clinicId, status: 'queued', queuedAt: { $lt: queuedBefore } },
    { _id: 1 },
  )
    .sort({ queuedAt: 1 })
    .limit(limit)
    .lean<Pick<OutboundRecord, '_id'>[]>();
  return records.map((record) => String(record._id));
}
