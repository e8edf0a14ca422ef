/**
 * The reminder's Confirm quick reply. Reschedule and Cancel are the booking conversation's own
 * menu options (it honours them from any step); Confirm is answered here, before the machine, so
 * it works whatever step the chat is at and leaves that step as it was. A tap on a reminder about
 * an older booking (rescheduled, cancelled) is answered with where things stand now.
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { audit } from '../../../platform/audit/audit.service.js';
import { systemActor } from '../../../platform/actor.js';
import { parseInteractiveId, sendWhatsApp, textMessage } from '../../messaging/index.js';
import type { InboundMessage } from '../../messaging/index.js';
import { AutomationDelivery } from '../automation-delivery.model.js';
import { currentAppointment, noticeContext } from './appointment-notice-parts.js';
import { confirmedReply } from './reminder.texts.js';

const STALE = {
  en: 'This reminder is about a booking that has since changed. Type *menu* to see your appointments.',
  hi: 'यह याद दिलाना एक ऐसी बुकिंग के बारे में है जो बदल चुकी है। अपने अपॉइंटमेंट देखने के लिए *मेनू* लिखें।',
};

/** True when `message` is a reminder's Confirm tap (answered here); false for anything else. */
export async function handleReminderReply(message: InboundMessage): Promise<boolean> {
  if (message.kind !== 'button' || !message.replyId) return false;
  const parsed = parseInteractiveId(message.replyId);
  if (!parsed || parsed.step !== 'remind' || !parsed.value.startsWith('confirm.')) return false;
  const appointmentId = parsed.value.slice('confirm.'.length);
  const { clinicId } = message;
  const appointment = Types.ObjectId.isValid(appointmentId) ? await currentAppointment(clinicId, appointmentId) : null;
  const current =
    appointment?.status === 'confirmed' &&
    Math.floor(appointment.startAt.getTime() / 1000).toString(36) === parsed.token;
  const context = appointment ? await noticeContext(clinicId, appointment) : null;
  const language = context?.language ?? 'en';
  // The patient's own tap decides, so the reply goes to the number that tapped, once per tap.
  const replyId = new Types.ObjectId(
    createHash('sha256').update(`reminder-reply|${clinicId}|${message.wamid}`).digest('hex').slice(0, 24),
  );
  if (current && context) {
    const changed = await AutomationDelivery.updateMany(
      { clinicId, appointmentId, rule: 'reminder', patientConfirmedAt: { $exists: false } },
      { $set: { patientConfirmedAt: message.timestamp } },
    );
    if (changed.modifiedCount > 0)
      await audit.record({
        actor: systemActor(clinicId, 'whatsapp:reminder-reply'),
        action: 'appointment.attendance_confirmed',
        entity: { type: 'appointment', id: appointmentId },
        diff: [{ field: 'patientConfirmedAt', to: message.timestamp.toISOString() }],
      });
  }
  await sendWhatsApp({
    clinicId,
    to: message.waId,
    message: textMessage(
      current && context ? confirmedReply(language, context.doctorName, context.when) : STALE[language],
    ),
    purpose: 'conversation',
    ...(appointment ? { appointmentId: appointment.id } : {}),
    outboundId: replyId,
  });
  return true;
}
