/**
 * What a verified, parsed webhook POST does before it is answered: every `messages` change of
 * every entry, for our number, has each message stored in the inbox (then a drain of its sender
 * queued) and each delivery status applied to its OutboundMessage. Persist first, answer fast,
 * work later: nothing here waits for the conversation.
 */
import type { Config } from '../../config.js';
import { log } from '../../platform/logger.js';
import type { QueueRegistry } from '../../platform/queues/registry.js';
import { INBOUND_SETTLE_MS, kickSender } from './inbox.queue.js';
import { storeInbound } from './inbox.service.js';
import { clinicForPhoneNumber } from './messaging-clinic.js';
import { applyStatusReport, isReportedStatus } from './outbound.status.js';
import { deferStatusReport } from './status.queue.js';
import type { MessagesValue, StatusReportPayload, WebhookPayload } from './whatsapp-webhook.schemas.js';

/** Counts of what one POST contained (ids only ever reach the logs). */
export interface WebhookReceipt {
  stored: number;
  duplicates: number;
  statuses: number;
  ignored: number;
}

async function receiveStatus(
  queues: QueueRegistry,
  clinicId: string,
  status: StatusReportPayload,
  receipt: WebhookReceipt,
): Promise<void> {
  if (!isReportedStatus(status.status)) {
    receipt.ignored += 1;
    return;
  }
  const errorCode = status.errors?.[0]?.code;
  const report = {
    wamid: status.id,
    status: status.status,
    at: new Date(Number(status.timestamp) * 1000),
    ...(errorCode !== undefined ? { errorCode } : {}),
  };
  const outcome = await applyStatusReport(clinicId, report);
  if (outcome === 'unknown') await deferStatusReport(queues, clinicId, report);
  receipt.statuses += 1;
}

async function receiveMessages(
  queues: QueueRegistry,
  clinicId: string,
  value: MessagesValue,
  receivedAt: Date,
  receipt: WebhookReceipt,
): Promise<void> {
  const names = new Map((value.contacts ?? []).map((contact) => [contact.wa_id, contact.profile?.name]));
  // In array order: messages of one second keep Meta's order through their insertion order.
  for (const message of value.messages ?? []) {
    const outcome = await storeInbound(clinicId, message, names.get(message.from), receivedAt);
    if (!outcome.stored) {
      if (outcome.reason === 'duplicate') receipt.duplicates += 1;
      else {
        receipt.ignored += 1;
        log().warn({ wamid: message.id, reason: outcome.reason }, 'inbound message skipped');
      }
      continue;
    }
    receipt.stored += 1;
    try {
      await kickSender(
        queues,
        { clinicId, waContactId: outcome.waContactId },
        `inbound-${outcome.inboxId}`,
        INBOUND_SETTLE_MS,
      );
    } catch (error) {
      // Stored is what matters for the answer: the sweeper kicks what was not kicked here.
      log().warn({ err: error, inboxId: outcome.inboxId }, 'inbound kick failed; left to the sweeper');
    }
  }
  for (const status of value.statuses ?? []) await receiveStatus(queues, clinicId, status, receipt);
}

/** Stores and applies everything in `payload` that is for this installation's number. */
export async function receiveWebhook(
  config: Config,
  queues: QueueRegistry,
  payload: WebhookPayload,
): Promise<WebhookReceipt> {
  const receipt: WebhookReceipt = { stored: 0, duplicates: 0, statuses: 0, ignored: 0 };
  const receivedAt = new Date();
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') {
        receipt.ignored += 1;
        continue;
      }
      const { value } = change;
      const clinicId = await clinicForPhoneNumber(config, value.metadata.phone_number_id);
      if (!clinicId) {
        receipt.ignored += 1;
        continue;
      }
      await receiveMessages(queues, clinicId, value, receivedAt, receipt);
    }
  }
  return receipt;
}
