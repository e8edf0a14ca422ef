/**
 * Rule `reminder`: a WhatsApp reminder at each of the clinic's offsets before a confirmed visit
 * (`reminderOffsetsMinutes`, 24 h and 2 h by default). Scheduled when an appointment becomes
 * confirmed, moved when it is rescheduled, dropped when it is cancelled, a no-show or checked in.
 * An offset already past when the booking was confirmed is not scheduled (booked 3 h ahead: only
 * the 2 h one; 1 h ahead: none). Job id `reminder-<appointmentId>-<offset>-<startAt epoch s>`, so
 * a reschedule makes new ids and a stale job finds the start time changed and does nothing. The
 * handler re-reads: still confirmed, same start, rule on, offset still configured, not started,
 * `reminders` consent not withdrawn. Quick replies: Confirm (reminder-replies.ts), Reschedule and
 * Cancel (the booking conversation's menu options, honoured from any step).
 */
import { subscribe } from '../../../platform/domain-events.js';
import { getClinic } from '../../clinics/index.js';
import { listAppointments } from '../../appointments/index.js';
import { consentStanding } from '../../patients/index.js';
import { encodeInteractiveId, replyButtonsMessage } from '../../messaging/index.js';
import { systemActor } from '../../../platform/actor.js';
import { AutomationRun } from '../automation-run.model.js';
import { ruleEnabled } from '../automation-settings.js';
import { sendPatientNotice } from '../patient-notice.js';
import { done, skipped } from '../rule.js';
import type { AutomationRule, RuleDeps } from '../rule.js';
import { smsText } from '../sms/sms-templates.js';
import { currentAppointment, noticeContext } from './appointment-notice-parts.js';
import { REMINDER_BUTTONS, reminderBody, queueHint } from './reminder.texts.js';

const ACTIVE = new Set(['tentative', 'confirmed', 'checked_in', 'in_consult']);
const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** The job id of the reminder `offsetMinutes` before `startAt`. */
export function reminderJobId(appointmentId: string, offsetMinutes: number, startAt: Date): string {
  return `reminder-${appointmentId}-${offsetMinutes}-${epochSeconds(startAt)}`;
}

/** The Confirm quick reply's id: `remind:<start>:confirm.<appointmentId>`. */
export function confirmReplyId(appointmentId: string, startAt: Date): string {
  return encodeInteractiveId('remind', epochSeconds(startAt).toString(36), `confirm.${appointmentId}`);
}

/**
 * Puts an appointment's reminder jobs in step with it: the wanted ones scheduled (a repeat adds
 * nothing), any other pending one dropped.
 */
export async function syncReminders(deps: RuleDeps, clinicId: string, appointmentId: string): Promise<void> {
  const appointment = await currentAppointment(clinicId, appointmentId);
  const wanted = new Map<string, { due: Date; offset: number }>();
  if (appointment?.status === 'confirmed') {
    const clinic = await getClinic(clinicId);
    const now = Date.now();
    const start = appointment.startAt.getTime();
    const demoDelayMs = (deps.config.automation.demoReminderDelaySeconds ?? 0) * 1000;
    const offsets = [...new Set(clinic.scheduling.reminderOffsetsMinutes)].sort((a, b) => b - a);
    offsets.forEach((offset, index) => {
      // The sandbox demo shortens the wait; the rest of the rule is unchanged.
      const due = demoDelayMs > 0 ? now + demoDelayMs * (index + 1) : start - offset * 60_000;
      if (due <= now || due >= start) return;
      wanted.set(reminderJobId(appointmentId, offset, appointment.startAt), { due: new Date(due), offset });
    });
  }
  const pending = await AutomationRun.find(
    { subjectId: appointmentId, rule: 'reminder', status: 'scheduled' },
    { _id: 1 },
  ).lean<{ _id: string }[]>();
  const why = !appointment ? 'gone' : appointment.status === 'confirmed' ? 'rescheduled' : appointment.status;
  for (const { _id } of pending) if (!wanted.has(_id)) await deps.scheduler.drop(_id, why);
  for (const [jobId, { due, offset }] of wanted) {
    await deps.scheduler.schedule(
      'reminder',
      jobId,
      { clinicId, subjectId: appointmentId, params: { offset, startAt: epochSeconds(appointment!.startAt) } },
      due,
    );
  }
}

async function positionOnList(
  clinicId: string,
  appointment: { id: string; doctorId: string; localDate: string; startAt: Date },
) {
  const day = await listAppointments(systemActor(clinicId, 'worker:automation'), {
    date: appointment.localDate,
    doctorId: appointment.doctorId,
  });
  return day.filter((other) => ACTIVE.has(other.status) && other.startAt < appointment.startAt).length + 1;
}

/** The reminder rule. */
export const reminderRule: AutomationRule = {
  name: 'reminder',
  escalateTo: 'frontdesk',
  subjectType: 'appointment',
  register(deps) {
    const sync = ({ clinicId, appointmentId }: { clinicId: string; appointmentId: string }) =>
      syncReminders(deps, clinicId, appointmentId);
    subscribe('appointment.booked', 'automation-reminders', sync);
    subscribe('appointment.transitioned', 'automation-reminders', sync);
    subscribe('appointment.rescheduled', 'automation-reminders', sync);
  },
  async run({ clinicId, subjectId, params }, _deps, jobId) {
    const appointment = await currentAppointment(clinicId, subjectId);
    if (!appointment) return skipped('gone');
    if (appointment.status !== 'confirmed') return skipped(appointment.status);
    if (epochSeconds(appointment.startAt) !== Number(params?.startAt)) return skipped('rescheduled');
    if (appointment.startAt.getTime() <= Date.now()) return skipped('started');
    if (!(await ruleEnabled(clinicId, 'reminder'))) return skipped('rule_off');
    const clinic = await getClinic(clinicId);
    if (!clinic.scheduling.reminderOffsetsMinutes.includes(Number(params?.offset))) return skipped('offset_removed');
    // Withdrawn (or refused when asked) stops reminders; patients registered without a consent
    // record (front desk before consent capture) keep getting them, as other notices do.
    if ((await consentStanding(clinicId, appointment.patientId, 'reminders')) === 'refused')
      return skipped('consent_withdrawn');
    const context = await noticeContext(clinicId, appointment);
    if (!context) return skipped('no_contact');
    const { language } = context;
    const values = {
      doctor: context.doctorName,
      when: context.when,
      clinicLine: context.clinicLine,
      position: await positionOnList(clinicId, appointment),
    };
    const tag = `r${epochSeconds(appointment.startAt).toString(36)}`;
    const ids = {
      confirm: confirmReplyId(appointment.id, appointment.startAt),
      reschedule: encodeInteractiveId('menu', tag, 'reschedule'),
      cancel: encodeInteractiveId('menu', tag, 'cancel'),
    };
    const titles = REMINDER_BUTTONS[language];
    await sendPatientNotice({
      clinicId,
      rule: 'reminder',
      jobId,
      patientId: appointment.patientId,
      phone: context.phone,
      appointmentId: appointment.id,
      purpose: 'reminder',
      message: replyButtonsMessage({
        body: reminderBody(language, values),
        buttons: [
          { id: ids.confirm, title: titles.confirm },
          { id: ids.reschedule, title: titles.reschedule },
          { id: ids.cancel, title: titles.cancel },
        ],
      }),
      // Outside the 24-hour window: the approved `reminder` template with the same facts and buttons.
      template: {
        components: {
          bodyParameters: [values.doctor, values.when, values.clinicLine, queueHint(language, values)],
          quickReplyPayloads: [ids.confirm, ids.reschedule, ids.cancel],
        },
      },
      sms: {
        template: 'reminder',
        language,
        text: smsText('reminder', language, { doctor: values.doctor, when: values.when, clinic: context.clinic.name }),
      },
    });
    return done();
  },
};
