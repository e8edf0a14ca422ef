/**
 * Rule `sms_fallback`: when a WhatsApp message an automation rule sent cannot be delivered
 * (number not on WhatsApp 131026, re-engagement needed 131047, outside the window with no
 * template that fits, or failed for good), the same notice goes once by SMS. Trigger: the
 * `message.undeliverable` event; job id `sms-<outboundId>`. The patient gets one SMS per failed
 * WhatsApp message and never both channels: an SMS is only sent for a message that failed.
 */
import { UnrecoverableError } from 'bullmq';
import { subscribe } from '../../../platform/domain-events.js';
import { AppError } from '../../../platform/errors.js';
import { log } from '../../../platform/logger.js';
import { contactOfPatient } from '../../patients/index.js';
import { AutomationDelivery } from '../automation-delivery.model.js';
import type { AutomationDeliveryRecord } from '../automation-delivery.model.js';
import { done, skipped } from '../rule.js';
import type { AutomationRule } from '../rule.js';
import { SmsError } from '../sms/sms-provider.js';

// A message that can never be built is a bug to fix, not a reason to text the patient.
const NO_FALLBACK = new Set(['invalid_message']);

/** The SMS fallback rule. */
export const smsFallbackRule: AutomationRule = {
  name: 'sms_fallback',
  escalateTo: 'frontdesk',
  subjectType: 'outbound_message',
  register({ scheduler }) {
    subscribe('message.undeliverable', 'automation-sms-fallback', async ({ clinicId, outboundId, reason }) => {
      if (NO_FALLBACK.has(reason)) return;
      const delivery = await AutomationDelivery.exists({ _id: outboundId, clinicId, sms: { $exists: true } });
      if (!delivery) return;
      await scheduler.schedule('sms_fallback', `sms-${outboundId}`, { clinicId, subjectId: outboundId }, new Date());
    });
  },
  async run({ clinicId, subjectId }, { sms }) {
    const delivery = await AutomationDelivery.findOne({ _id: subjectId, clinicId }).lean<AutomationDeliveryRecord>();
    if (!delivery?.sms) return skipped('gone');
    if (delivery.smsStatus === 'sent') return skipped('already_sent');
    const contact = await contactOfPatient(clinicId, delivery.patientId);
    if (!contact) return skipped('no_contact');
    await AutomationDelivery.updateOne(
      { _id: subjectId, smsStatus: { $ne: 'sent' } },
      { $set: { smsStatus: 'sending' } },
    );
    try {
      const { providerMessageId } = await sms.send({ to: contact.phone, ...delivery.sms });
      // At least once: a crash between the provider's answer and this write sends again on retry
      // (Gupshup takes no idempotency key), the same trade-off as WhatsApp sends.
      await AutomationDelivery.updateOne(
        { _id: subjectId },
        { $set: { smsStatus: 'sent', smsProviderMessageId: providerMessageId, smsSentAt: new Date() } },
      );
      log().info({ outboundId: subjectId, provider: sms.name }, 'sms fallback sent');
      return done();
    } catch (error) {
      if (!(error instanceof SmsError)) throw error;
      if (!error.retryable) {
        await AutomationDelivery.updateOne({ _id: subjectId }, { $set: { smsStatus: 'failed' } });
        throw Object.assign(new UnrecoverableError(error.code), { code: error.code });
      }
      throw new AppError(error.code, 503, `SMS send failed (${error.code}); will retry`);
    }
  },
};
