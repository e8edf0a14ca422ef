/**
 * Automation rules against real Redis and the real database, through the real workers and the
 * WhatsApp and SMS sandbox stand-ins: reminders scheduled, moved, dropped, sent once; consent
 * withdrawal; the Confirm quick reply; SMS fallback once; one escalation after the last retry;
 * hold-release and no-show notices; the status API.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { APPOINTMENT_TIMERS_QUEUE } from '../../src/modules/appointments/appointment.timers.js';
import {
  bookAppointment,
  rescheduleAppointment,
  transitionAppointment,
} from '../../src/modules/appointments/appointment.service.js';
import { AUTOMATION_QUEUE, reminderJobId } from '../../src/modules/automation/index.js';
import { AutomationDelivery } from '../../src/modules/automation/automation-delivery.model.js';
import { AutomationRun } from '../../src/modules/automation/automation-run.model.js';
import type { RuleDeps, RuleJobData } from '../../src/modules/automation/rule.js';
import { reminderRule } from '../../src/modules/automation/rules/reminder.rule.js';
import { Escalation } from '../../src/modules/automation/escalation.model.js';
import { updateSchedulingSettings } from '../../src/modules/clinics/clinic.service.js';
import { OutboundMessageModel } from '../../src/modules/messaging/outbound.model.js';
import { recordConsent, withdrawConsent } from '../../src/modules/patients/consent.service.js';
import { registerPatient } from '../../src/modules/patients/patient.service.js';
import { SandboxSms, SandboxSmsSwitch } from '../../src/sandbox/sms/sandbox-sms.model.js';
import type { Actor } from '../../src/platform/actor.js';
import { publish } from '../../src/platform/domain-events.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { inMinutes, makeDoctor, makeSlot } from '../helpers/scheduling.js';
import { sendInboundVia, startListeningApp, waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

describe('automation rules', () => {
  let t: ListeningApp;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let doctorId: string;

  beforeAll(async () => {
    t = await startListeningApp('automation', { env: { AUTOMATION_BACKOFF_MS: '20', AUTOMATION_ATTEMPTS: '3' } });
    system = await testSystemActor();
    doctorId = await makeDoctor(system, 'Dr Meera Rao');
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
  });
  afterAll(async () => {
    await t.close();
  });

  const queue = () => t.runtime.queues.queue(AUTOMATION_QUEUE);
  const patient = async (suffix = String(randomInt(1000, 9999)), language?: 'hi') => {
    const phone = `+9197${randomInt(1000, 9999)}${suffix}`;
    const { patient: p } = await registerPatient(system, {
      phone,
      name: 'Kavya Iyer',
      relationToContact: 'self',
      ageYears: 30,
      source: 'frontdesk',
      ...(language ? { preferredLanguage: language } : {}),
    } as Parameters<typeof registerPatient>[1]);
    return { id: p.id, phone };
  };
  let spread = 0;
  // Slots a few seconds apart, so bookings "3 h ahead" in different tests never share a start.
  const book = async (patientId: string, startAt: Date, doctor = doctorId) => {
    spread += 7;
    const slotId = await makeSlot(system.clinicId, doctor, new Date(startAt.getTime() + spread * 1000));
    return bookAppointment(system, { patientId, slotId, source: 'frontdesk' });
  };
  // The reminder handler uses none of its dependencies.
  const deps = {} as RuleDeps;
  const jobState = async (id: string) => (await queue().getJob(id))?.getState();
  const fire = async (id: string) => (await queue().getJob(id))!.changeDelay(0);
  const reminders = (appointmentId: string) => OutboundMessageModel.find({ appointmentId, purpose: 'reminder' }).lean();

  it('schedules only the offsets still ahead: 26 h → 24 h and 2 h, 3 h → 2 h, 1 h → none', async () => {
    const p = await patient();
    const far = await book(p.id, inMinutes(26 * 60));
    const near = await book(p.id, inMinutes(3 * 60));
    const soon = await book(p.id, inMinutes(60));
    expect(await jobState(reminderJobId(far.id, 1440, far.startAt))).toBe('delayed');
    expect(await jobState(reminderJobId(far.id, 120, far.startAt))).toBe('delayed');
    expect(await queue().getJob(reminderJobId(near.id, 1440, near.startAt))).toBeUndefined();
    expect(await jobState(reminderJobId(near.id, 120, near.startAt))).toBe('delayed');
    expect(await AutomationRun.countDocuments({ subjectId: soon.id })).toBe(0);
    const job = await queue().getJob(reminderJobId(near.id, 120, near.startAt));
    expect(job!.id).not.toContain(':');
    expect(job!.data).toEqual({
      clinicId: system.clinicId,
      subjectId: near.id,
      params: { offset: 120, startAt: Math.floor(near.startAt.getTime() / 1000) },
    });
  });

  it('moves reminders on reschedule and drops them on cancel', async () => {
    const p = await patient();
    const booked = await book(p.id, inMinutes(5 * 60));
    const oldId = reminderJobId(booked.id, 120, booked.startAt);
    expect(await jobState(oldId)).toBe('delayed');
    const newSlot = await makeSlot(system.clinicId, doctorId, inMinutes(6 * 60));
    const moved = await rescheduleAppointment(frontdesk.actor, booked.id, { slotId: newSlot });
    const newId = reminderJobId(booked.id, 120, moved.startAt);
    expect(await queue().getJob(oldId)).toBeUndefined();
    expect(await AutomationRun.findById(oldId).lean()).toMatchObject({ status: 'dropped', reason: 'rescheduled' });
    expect(await jobState(newId)).toBe('delayed');
    await frontdesk.agent
      .post(`/api/v1/appointments/${booked.id}/cancel`)
      .send({ reason: 'patient called' })
      .expect(200);
    expect(await queue().getJob(newId)).toBeUndefined();
    expect(await AutomationRun.findById(newId).lean()).toMatchObject({ status: 'dropped', reason: 'cancelled' });
  });

  it('sends a reminder once, with doctor, time, address, queue hint and three quick replies, despite duplicate triggers and concurrent runs', async () => {
    const p = await patient();
    // A doctor of its own: the patient is first on that list.
    const booked = await book(p.id, inMinutes(3 * 60), await makeDoctor(system, 'Dr Meera Rao'));
    const jobId = reminderJobId(booked.id, 120, booked.startAt);
    // Duplicate triggers: the same events again add no job.
    await publish('appointment.booked', { clinicId: system.clinicId, appointmentId: booked.id, status: 'confirmed' });
    await publish('appointment.rescheduled', { clinicId: system.clinicId, appointmentId: booked.id, toSlotId: 'x' });
    expect((await queue().getJobs(['delayed'])).filter((job) => job?.id === jobId)).toHaveLength(1);
    await fire(jobId);
    const [sent] = await waitFor(async () => {
      const list = await reminders(booked.id);
      return list.length > 0 && list[0]!.status !== 'queued' ? list : undefined;
    });
    expect(sent!.status).toBe('sent');
    const message = sent!.message as { kind: string; body: string; buttons: { id: string; title: string }[] };
    expect(message.kind).toBe('buttons');
    expect(message.body).toContain('Dr Meera Rao');
    expect(message.body).toContain('You are no. 1');
    expect(message.buttons.map((b) => b.title)).toEqual(['Confirm', 'Reschedule', 'Cancel']);
    expect(message.buttons[1]!.id).toMatch(/^menu:r[0-9a-z]+:reschedule$/);
    // A retry or a second worker running the same job (even two at once) sends nothing new.
    const data = (await queue().getJob(jobId))!.data as RuleJobData;
    const again = await Promise.all([reminderRule.run(data, deps, jobId), reminderRule.run(data, deps, jobId)]);
    expect(again).toEqual([{ done: true }, { done: true }]);
    expect(await reminders(booked.id)).toHaveLength(1);
    expect(await AutomationRun.findById(jobId).lean()).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('stops reminders once the reminders consent is withdrawn', async () => {
    const p = await patient();
    const { consent } = await recordConsent(system, p.id, {
      purpose: 'reminders',
      noticeVersion: 'test-1',
      givenBy: 'self',
      channel: 'frontdesk',
    } as Parameters<typeof recordConsent>[2]);
    const booked = await book(p.id, inMinutes(3 * 60));
    await withdrawConsent(system, p.id, consent.id, { channel: 'frontdesk' } as Parameters<typeof withdrawConsent>[3]);
    const jobId = reminderJobId(booked.id, 120, booked.startAt);
    await fire(jobId);
    await waitFor(async () => (await AutomationRun.findById(jobId).lean())?.status === 'skipped');
    expect(await AutomationRun.findById(jobId).lean()).toMatchObject({ reason: 'consent_withdrawn' });
    expect(await reminders(booked.id)).toHaveLength(0);
  });

  it('answers the Confirm quick reply and records the confirmation', async () => {
    const p = await patient();
    const booked = await book(p.id, inMinutes(3 * 60));
    const jobId = reminderJobId(booked.id, 120, booked.startAt);
    await fire(jobId);
    const [sent] = await waitFor(async () => {
      const list = await reminders(booked.id);
      return list.length > 0 && list[0]!.status === 'sent' ? list : undefined;
    });
    const confirmId = (sent!.message as { buttons: { id: string }[] }).buttons[0]!.id;
    await sendInboundVia(t.http, t.runtime.config, {
      from: p.phone.slice(1),
      buttonReplyId: confirmId,
      replyTitle: 'Confirm',
    });
    const delivery = await waitFor(async () => {
      const found = await AutomationDelivery.findOne({ appointmentId: booked.id, rule: 'reminder' }).lean();
      return found?.patientConfirmedAt ? found : undefined;
    });
    expect(delivery.patientConfirmedAt).toBeInstanceOf(Date);
    const reply = await waitFor(
      async () =>
        (await OutboundMessageModel.findOne({ appointmentId: booked.id, purpose: 'conversation' }).lean()) ?? undefined,
    );
    expect((reply!.message as { body: string }).body).toContain('Thank you');
  });

  it('falls back to exactly one SMS when WhatsApp cannot deliver (131026), however often the failure is reported', async () => {
    const p = await patient('0400');
    const booked = await book(p.id, inMinutes(3 * 60));
    const jobId = reminderJobId(booked.id, 120, booked.startAt);
    await fire(jobId);
    const [failed] = await waitFor(async () => {
      const list = await reminders(booked.id);
      return list[0]?.status === 'failed' ? list : undefined;
    });
    const texts = await waitFor(async () => {
      const found = await SandboxSms.find({ to: p.phone.slice(1) }).lean();
      return found.length > 0 ? found : undefined;
    });
    // The same failure reported again (status webhook repeat) adds no second SMS.
    await publish('message.undeliverable', {
      clinicId: system.clinicId,
      outboundId: String(failed!._id),
      purpose: 'reminder',
      reason: 'meta_131026',
    });
    await waitFor(async () => (await jobState(`sms-${String(failed!._id)}`)) === 'completed');
    expect(await SandboxSms.countDocuments({ to: p.phone.slice(1) })).toBe(1);
    expect(texts[0]!.text).toContain('Dr Meera Rao');
    expect(texts[0]!.sender).toBe('CINICS');
    expect(await AutomationDelivery.findById(failed!._id).lean()).toMatchObject({ smsStatus: 'sent' });
  });

  it('raises one escalation after the last retry when the SMS gateway is down', async () => {
    await SandboxSmsSwitch.updateOne({ _id: 'switches' }, { $set: { gatewayDown: true } }, { upsert: true });
    try {
      const p = await patient('0400');
      const booked = await book(p.id, inMinutes(3 * 60));
      const jobId = reminderJobId(booked.id, 120, booked.startAt);
      await fire(jobId);
      const [failed] = await waitFor(async () => {
        const list = await reminders(booked.id);
        return list[0]?.status === 'failed' ? list : undefined;
      });
      const smsJobId = `sms-${String(failed!._id)}`;
      await waitFor(async () => (await jobState(smsJobId)) === 'failed', { what: 'sms job failed' });
      expect((await queue().getJob(smsJobId))!.attemptsMade).toBe(3);
      expect(await Escalation.find({ key: smsJobId }).lean()).toEqual([
        expect.objectContaining({ rule: 'sms_fallback', team: 'frontdesk', status: 'open', reason: 'sms_http_503' }),
      ]);
      const list = await frontdesk.agent.get('/api/v1/automation/escalations?status=open').expect(200);
      expect(
        list.body.items.filter((item: { subject: { id: string } }) => item.subject.id === String(failed!._id)),
      ).toHaveLength(1);
      expect(await SandboxSms.countDocuments({ to: p.phone.slice(1) })).toBe(0);
    } finally {
      await SandboxSmsSwitch.updateOne({ _id: 'switches' }, { $set: { gatewayDown: false } });
    }
  });

  it('tells a front-desk prepayment patient politely, with Book again, when the hold lapses', async () => {
    await updateSchedulingSettings(system, { prepaymentRequired: true, prepaymentPaise: 20_000, holdMinutes: 15 });
    try {
      const p = await patient();
      const held = await book(p.id, inMinutes(8 * 60));
      expect(held.status).toBe('tentative');
      await Appointment.updateOne({ _id: held.id }, { $set: { holdExpiresAt: new Date(Date.now() - 1000) } });
      await (await t.runtime.queues.queue(APPOINTMENT_TIMERS_QUEUE).getJob(`hold-${held.id}`))!.changeDelay(0);
      // The notice waits a minute for a racing payment; none comes here.
      await waitFor(async () => (await jobState(`holdnotice-${held.id}`)) === 'delayed');
      await fire(`holdnotice-${held.id}`);
      const notice = await waitFor(
        async () =>
          (await OutboundMessageModel.findOne({ appointmentId: held.id, purpose: 'appointment_update' }).lean()) ??
          undefined,
      );
      const message = notice!.message as { body: string; buttons: { id: string; title: string }[] };
      expect(message.body).toContain('has been released');
      expect(message.buttons).toEqual([{ id: 'menu:again:book', title: 'Book again' }]);
    } finally {
      await updateSchedulingSettings(system, { prepaymentRequired: false, prepaymentPaise: 0 });
    }
  });

  it('sends a no-show notice once, and shows the day in the status API', async () => {
    const p = await patient();
    const booked = await book(p.id, inMinutes(3 * 60));
    // The visit is long past its grace period.
    await Appointment.updateOne({ _id: booked.id }, { $set: { startAt: new Date(Date.now() - 3 * 60 * 60_000) } });
    await transitionAppointment(system, booked.id, { event: 'MARK_NO_SHOW', reason: 'grace_period_passed' });
    const notice = await waitFor(
      async () =>
        (await OutboundMessageModel.findOne({ appointmentId: booked.id, purpose: 'appointment_update' }).lean()) ??
        undefined,
    );
    expect((notice!.message as { body: string }).body).toContain('We missed you');
    const status = await frontdesk.agent.get('/api/v1/automation/status').expect(200);
    const byRule = Object.fromEntries(
      status.body.rules.map((rule: { rule: string; counts: Record<string, number> }) => [rule.rule, rule.counts]),
    );
    expect(byRule.reminder.done).toBeGreaterThanOrEqual(1);
    expect(byRule.no_show_notice.done + byRule.no_show_notice.scheduled).toBeGreaterThanOrEqual(1);
    expect(byRule.sms_fallback.failed).toBeGreaterThanOrEqual(1);
    const metrics = await t.http.get('/metrics');
    expect(metrics.text).toMatch(/automation_rule_jobs_total\{rule="reminder",outcome="done"\} \d+/);
    expect(metrics.text).toMatch(/automation_rule_lateness_seconds_count\{rule="reminder"\} \d+/);
  });
});
