/**
 * Rule `hold_release_notice`: when a prepayment hold lapses (EXPIRE_HOLD), the patient is told
 * politely, in their language, with a Book again button. Bookings made in the WhatsApp chat are
 * told by the booking conversation itself (it is waiting for that payment and leaves its payment
 * step), so this rule covers holds made at the front desk or the portal. Job id
 * `holdnotice-<appointmentId>`, run a minute after the release so that a payment racing it decides
 * first: the handler skips if any payment for the booking arrived (it was reinstated, or the
 * payment path is refunding it and tells the patient so) — one coherent message, not two.
 */
import { subscribe } from '../../../platform/domain-events.js';
import { ruleEnabled } from '../automation-settings.js';
import { sendPatientNotice } from '../patient-notice.js';
import { done, skipped } from '../rule.js';
import type { AutomationRule } from '../rule.js';
import { smsText } from '../sms/sms-templates.js';
import { currentAppointment, noticeContext } from './appointment-notice-parts.js';
import { bookAgainMessage, bookAgainText } from './book-again.js';

/** How long after the release the notice waits for a racing payment. */
export const HOLD_NOTICE_GRACE_MS = 60_000;

/** The hold-release notice rule. */
export const holdReleaseNoticeRule: AutomationRule = {
  name: 'hold_release_notice',
  escalateTo: 'frontdesk',
  subjectType: 'appointment',
  register({ scheduler }) {
    subscribe('appointment.transitioned', 'automation-hold-release', async ({ clinicId, appointmentId, event, to }) => {
      if (event !== 'EXPIRE_HOLD' || to !== 'cancelled') return;
      await scheduler.schedule(
        'hold_release_notice',
        `holdnotice-${appointmentId}`,
        { clinicId, subjectId: appointmentId },
        new Date(Date.now() + HOLD_NOTICE_GRACE_MS),
      );
    });
  },
  async run({ clinicId, subjectId }, _deps, jobId) {
    const appointment = await currentAppointment(clinicId, subjectId);
    if (!appointment) return skipped('gone');
    if (appointment.status !== 'cancelled' || appointment.cancellation?.refundReason !== 'hold_expired')
      return skipped('reinstated');
    if (appointment.paidPaise > 0) return skipped('payment_arrived');
    if (appointment.source === 'whatsapp') return skipped('told_in_chat');
    if (!(await ruleEnabled(clinicId, 'hold_release_notice'))) return skipped('rule_off');
    const context = await noticeContext(clinicId, appointment);
    if (!context) return skipped('no_contact');
    const body = bookAgainText('hold_released', context);
    await sendPatientNotice({
      clinicId,
      rule: 'hold_release_notice',
      jobId,
      patientId: appointment.patientId,
      phone: context.phone,
      appointmentId: appointment.id,
      purpose: 'appointment_update',
      message: bookAgainMessage('hold_released', context),
      template: { components: { bodyParameters: [body] } },
      sms: {
        template: 'hold_released',
        language: context.language,
        text: smsText('hold_released', context.language, {
          doctor: context.doctorName,
          when: context.when,
          clinic: context.clinic.name,
        }),
      },
    });
    return done();
  },
};
