/**
 * Rule `no_show_notice`: when an appointment is marked a no-show (the grace period passed), the
 * patient gets a polite note in their language with a Book again button, whatever the booking's
 * channel. Job id `noshownotice-<appointmentId>-<noShowAt epoch s>`; the handler skips if staff
 * overrode the no-show meanwhile (the patient turned up late).
 */
import { subscribe } from '../../../platform/domain-events.js';
import { ruleEnabled } from '../automation-settings.js';
import { sendPatientNotice } from '../patient-notice.js';
import { done, skipped } from '../rule.js';
import type { AutomationRule } from '../rule.js';
import { smsText } from '../sms/sms-templates.js';
import { currentAppointment, noticeContext } from './appointment-notice-parts.js';
import { bookAgainMessage, bookAgainText } from './book-again.js';

/** The no-show notice rule. */
export const noShowNoticeRule: AutomationRule = {
  name: 'no_show_notice',
  escalateTo: 'frontdesk',
  subjectType: 'appointment',
  register({ scheduler }) {
    subscribe('appointment.transitioned', 'automation-no-show', async ({ clinicId, appointmentId, to }) => {
      if (to !== 'no_show') return;
      const appointment = await currentAppointment(clinicId, appointmentId);
      const at = appointment?.timestamps.no_show;
      if (!at) return;
      await scheduler.schedule(
        'no_show_notice',
        `noshownotice-${appointmentId}-${Math.floor(at.getTime() / 1000)}`,
        { clinicId, subjectId: appointmentId },
        new Date(),
      );
    });
  },
  async run({ clinicId, subjectId }, _deps, jobId) {
    const appointment = await currentAppointment(clinicId, subjectId);
    if (!appointment) return skipped('gone');
    if (appointment.status !== 'no_show') return skipped(appointment.status);
    if (!(await ruleEnabled(clinicId, 'no_show_notice'))) return skipped('rule_off');
    const context = await noticeContext(clinicId, appointment);
    if (!context) return skipped('no_contact');
    await sendPatientNotice({
      clinicId,
      rule: 'no_show_notice',
      jobId,
      patientId: appointment.patientId,
      phone: context.phone,
      appointmentId: appointment.id,
      purpose: 'appointment_update',
      message: bookAgainMessage('no_show', context),
      template: { components: { bodyParameters: [bookAgainText('no_show', context)] } },
      sms: {
        template: 'no_show',
        language: context.language,
        text: smsText('no_show', context.language, {
          doctor: context.doctorName,
          when: context.when,
          clinic: context.clinic.name,
        }),
      },
    });
    return done();
  },
};
