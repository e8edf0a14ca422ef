/**
 * What a verified webhook POST does before it is answered. Meta batches: one POST can carry
 * hundreds of messages and statuses for many patients. So:
 * - every change, contact, message and status is validated on its own; a bad one is recorded
 *   (logged by position and wamid, never content) and skipped — the others are still stored, and
 *   the POST is answered 200 so Meta does not redeliver the good ones forever;
 * - the batch is stored with one bulk write per collection (senders, inbox, outbound statuses)
 *   and the senders' drains are queued in one Redis round trip (BullMQ addBulk).
 * Persist first, answer fast, work later: nothing here waits for the conversation.
 */
import type { z } from 'zod';
import type { Config } from '../../config.js';
import { log } from '../../platform/logger.js';
import type { QueueRegistry } from '../../platform/queues/registry.js';
import { INBOUND_SETTLE_MS, kickSenders } from './inbox.queue.js';
import { storeInboundBatch } from './inbox.service.js';
import type { BatchMessage } from './inbox.service.js';
import { clinicForPhoneNumber } from './messaging-clinic.js';
import { applyStatusReports, isReportedStatus } from './outbound.status.js';
import type { StatusReport } from './outbound.status.js';
import { deferStatusReports } from './status.queue.js';
import { webhookItemSchemas } from './whatsapp-webhook.schemas.js';
import type { WebhookEnvelope } from './whatsapp-webhook.schemas.js';

/** Counts of what one POST contained (ids only ever reach the logs). */
export interface WebhookReceipt {
  stored: number;
  duplicates: number;
  statuses: number;
  ignored: number;
  /** Items that failed validation: recorded and skipped. */
  rejected: number;
}

/** One clinic's share of the batch. */
interface ClinicBatch {
  messages: BatchMessage[];
  statuses: StatusReport[];
}

/** Where an item sat in the POST, for the log line that records a rejected one. */
type Position = { entry: number; change: number; item?: number; kind: 'change' | 'message' | 'status' | 'contact' };

function reject(receipt: WebhookReceipt, at: Position, raw: unknown, error: z.ZodError): void {
  receipt.rejected += 1;
  const wamid = (raw as { id?: unknown } | null)?.id;
  log().warn(
    {
      ...at,
      ...(typeof wamid === 'string' && wamid.length <= 512 ? { wamid } : {}),
      // Paths and codes only: a message's text must not reach the log, even when it is the problem.
      issues: error.issues.slice(0, 5).map((issue) => ({ path: issue.path.join('.'), code: issue.code })),
    },
    'webhook item rejected and skipped',
  );
}

function readStatus(raw: unknown, at: Position, receipt: WebhookReceipt): StatusReport | null {
  const parsed = webhookItemSchemas.status.safeParse(raw);
  if (!parsed.success) {
    reject(receipt, at, raw, parsed.error);
    return null;
  }
  const status = parsed.data;
  if (!isReportedStatus(status.status)) {
    receipt.ignored += 1;
    return null;
  }
  const errorCode = status.errors?.[0]?.code;
  return {
    wamid: status.id,
    status: status.status,
    at: new Date(Number(status.timestamp) * 1000),
    ...(errorCode !== undefined ? { errorCode } : {}),
  };
}

/** Validates a `messages` change item by item into its clinic's batch. */
function collectChange(
  value: z.infer<typeof webhookItemSchemas.messagesFrame>,
  target: ClinicBatch,
  where: { entry: number; change: number },
  receipt: WebhookReceipt,
): void {
  const names = new Map<string, string | undefined>();
  (value.contacts ?? []).forEach((raw, item) => {
    const contact = webhookItemSchemas.contact.safeParse(raw);
    if (contact.success) names.set(contact.data.wa_id, contact.data.profile?.name);
    else reject(receipt, { ...where, item, kind: 'contact' }, raw, contact.error);
  });
  // In array order: messages of one second keep Meta's order through their insertion order.
  (value.messages ?? []).forEach((raw, item) => {
    const message = webhookItemSchemas.message.safeParse(raw);
    if (!message.success) return reject(receipt, { ...where, item, kind: 'message' }, raw, message.error);
    const profileName = names.get(message.data.from);
    target.messages.push({ message: message.data, ...(profileName ? { profileName } : {}) });
  });
  (value.statuses ?? []).forEach((raw, item) => {
    const report = readStatus(raw, { ...where, item, kind: 'status' }, receipt);
    if (report) target.statuses.push(report);
  });
}

async function storeClinicBatch(
  queues: QueueRegistry,
  clinicId: string,
  batch: ClinicBatch,
  receivedAt: Date,
  receipt: WebhookReceipt,
): Promise<void> {
  const outcomes = await storeInboundBatch(clinicId, batch.messages, receivedAt);
  const kicks: Parameters<typeof kickSenders>[1] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.stored) {
      receipt.stored += 1;
      kicks.push({ data: { clinicId, waContactId: outcome.waContactId }, jobId: `inbound-${outcome.inboxId}` });
    } else if (outcome.reason === 'duplicate') receipt.duplicates += 1;
    else {
      receipt.ignored += 1;
      log().warn({ wamid: batch.messages[i]!.message.id, reason: outcome.reason }, 'inbound message skipped');
    }
  });
  try {
    await kickSenders(queues, kicks, INBOUND_SETTLE_MS);
  } catch (error) {
    // Stored is what matters for the answer: the sweeper kicks what was not kicked here.
    log().warn({ err: error, count: kicks.length }, 'inbound kicks failed; left to the sweeper');
  }
  const unknown = await applyStatusReports(clinicId, batch.statuses);
  await deferStatusReports(queues, clinicId, unknown);
  receipt.statuses += batch.statuses.length;
}

/** Stores and applies everything in `payload` that is for this installation's number. */
export async function receiveWebhook(
  config: Config,
  queues: QueueRegistry,
  payload: WebhookEnvelope,
): Promise<WebhookReceipt> {
  const receipt: WebhookReceipt = { stored: 0, duplicates: 0, statuses: 0, ignored: 0, rejected: 0 };
  const receivedAt = new Date();
  const byClinic = new Map<string, ClinicBatch>();
  for (const [entry, { changes }] of payload.entry.entries()) {
    for (const [change, raw] of changes.entries()) {
      const frame = webhookItemSchemas.change.safeParse(raw);
      if (!frame.success) {
        reject(receipt, { entry, change, kind: 'change' }, raw, frame.error);
        continue;
      }
      if (frame.data.field !== 'messages') {
        receipt.ignored += 1;
        continue;
      }
      const value = webhookItemSchemas.messagesFrame.safeParse(frame.data.value);
      if (!value.success) {
        reject(receipt, { entry, change, kind: 'change' }, raw, value.error);
        continue;
      }
      const clinicId = await clinicForPhoneNumber(config, value.data.metadata.phone_number_id);
      if (!clinicId) {
        receipt.ignored += 1;
        continue;
      }
      let target = byClinic.get(clinicId);
      if (!target) byClinic.set(clinicId, (target = { messages: [], statuses: [] }));
      collectChange(value.data, target, { entry, change }, receipt);
    }
  }
  for (const [clinicId, batch] of byClinic) await storeClinicBatch(queues, clinicId, batch, receivedAt, receipt);
  return receipt;
}
