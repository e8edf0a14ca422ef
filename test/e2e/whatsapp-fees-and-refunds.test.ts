/**
 * Issue 13, points 2 and 3, through signed webhooks: before confirming, the bot states the
 * consultation fee and what is paid now versus at the clinic; before "Yes, cancel it" it states
 * the refund under the clinic's rules, and inside the no-refund window or the cutoff it says so
 * first and offers to reschedule or the front desk instead.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { bookAppointment } from '../../src/modules/appointments/appointment.service.js';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { updateSchedulingSettings } from '../../src/modules/clinics/clinic.service.js';
import { Conversation } from '../../src/modules/conversations/conversation.model.js';
import type { Actor } from '../../src/platform/actor.js';
import { testSystemActor } from '../helpers/auth.js';
import { prepareBillingClinic } from '../helpers/billing.js';
import { startPaymentsApp } from '../helpers/payments.js';
import { inMinutes, makeDoctor, makePatient, makeSlot } from '../helpers/scheduling.js';
import type { ListeningApp } from '../helpers/whatsapp.js';
import { Phone, optionsOf, textOf } from '../helpers/whatsapp-phone.js';
import type { SentMessage } from '../helpers/whatsapp-phone.js';

const text = (messages: SentMessage[]) => messages.map(textOf).join('\n');

jest.setTimeout(120_000);

describe('fees and refunds stated before the patient decides', () => {
  let t: ListeningApp;
  let system: Actor;
  let doctorId: string;

  beforeAll(async () => {
    t = await startPaymentsApp('wa-fees');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    doctorId = await makeDoctor(system, 'Dr Meera Rao'); // fee ₹500
    for (let i = 0; i < 3; i++) await makeSlot(system.clinicId, doctorId, inMinutes(3 * 24 * 60 + i * 15));
  });
  afterAll(async () => {
    await t.close();
  });

  async function openMenu(phone: Phone) {
    const hello = await phone.say('hi');
    if (optionsOf(hello.at(-1)!).some((option) => option.title === 'English')) await phone.tap('English');
  }

  it('states the ₹500 fee, ₹200 now and ₹300 at the clinic before Confirm (prepayment clinic)', async () => {
    await updateSchedulingSettings(system, { prepaymentRequired: true, prepaymentPaise: 20_000, holdMinutes: 10 });
    const phone = new Phone(t);
    await openMenu(phone);
    await phone.tap(/Book appointment/);
    await phone.tap(/General Medicine/);
    await phone.tap(/^1\. /);
    const confirm = await phone.tap(/^1\. /);
    expect(text(confirm)).toContain('💰 Consultation fee *₹500*: *₹200* to pay now to confirm, ₹300 at the clinic.');
    expect(optionsOf(confirm.at(-1)!).map((option) => option.title)).toEqual(['Confirm', 'Another time', 'Cancel']);
  });

  it('states a fee paid at the clinic when no prepayment is asked', async () => {
    await updateSchedulingSettings(system, { prepaymentRequired: false });
    const phone = new Phone(t);
    await openMenu(phone);
    await phone.tap(/Book appointment/);
    await phone.tap(/General Medicine/);
    await phone.tap(/^1\. /);
    expect(text(await phone.tap(/^1\. /))).toContain('💰 Consultation fee *₹500*, paid at the clinic.');
  });

  /** A patient on their own number with one confirmed appointment `hoursAhead`, ₹200 paid. */
  async function paidAppointmentIn(hoursAhead: number) {
    await updateSchedulingSettings(system, { prepaymentRequired: false });
    const patient = await makePatient(system, 'Farah Khan');
    const appointment = await bookAppointment(system, {
      patientId: patient.id,
      slotId: await makeSlot(system.clinicId, doctorId, inMinutes(hoursAhead * 60)),
      source: 'frontdesk',
    });
    // What the appointments side records when the prepayment lands.
    await Appointment.updateOne({ _id: appointment.id }, { $set: { paidPaise: 20_000 } });
    const phone = new Phone(t, patient.phone.replace(/^\+/, ''));
    await openMenu(phone);
    return { phone, appointmentId: appointment.id, prompt: await phone.tap(/Cancel appointment/) };
  }

  it('says the whole ₹200 comes back before asking, a day or more ahead', async () => {
    const { prompt } = await paidAppointmentIn(48);
    expect(text(prompt)).toContain("You'll get *₹200* back (all of what you paid).");
    expect(optionsOf(prompt.at(-1)!).map((option) => option.title)).toEqual(['Yes, cancel it', 'No, keep it']);
  });

  it('says ₹100 (50 %) comes back inside the partial window', async () => {
    const { phone, appointmentId, prompt } = await paidAppointmentIn(10);
    expect(text(prompt)).toContain("Under the clinic's rules you'll get *₹100* back (50 %).");
    const done = await phone.tap('Yes, cancel it');
    expect(text(done)).toMatch(/₹100/);
    expect((await Appointment.findById(appointmentId).lean())!.cancellation).toMatchObject({ refundDuePaise: 10_000 });
  });

  it('inside the no-refund window says so first and offers reschedule or the desk', async () => {
    const { phone, appointmentId, prompt } = await paidAppointmentIn(3);
    expect(text(prompt)).toContain('is *not refunded*');
    expect(optionsOf(prompt.at(-1)!).map((option) => option.title)).toEqual([
      'Yes, cancel it',
      'Reschedule',
      'Front desk',
    ]);
    // Reschedule instead: the days of the same doctor are offered, nothing is cancelled.
    const days = await phone.tap('Reschedule');
    expect(text(days)).toMatch(/Choose a new day/);
    expect((await Appointment.findById(appointmentId).lean())!.status).toBe('confirmed');
  });

  it('inside the cutoff says it cannot be cancelled here and hands over to the desk on request', async () => {
    const { phone, appointmentId, prompt } = await paidAppointmentIn(1);
    expect(text(prompt)).toContain("it can't be cancelled or moved here");
    expect(optionsOf(prompt.at(-1)!).map((option) => option.title)).toEqual(['Front desk', 'No, keep it']);
    expect(text(await phone.tap('Front desk'))).toMatch(/front desk|reply here/i);
    expect(await Conversation.countDocuments({ clinicId: system.clinicId, handedOff: true })).toBe(1);
    expect((await Appointment.findById(appointmentId).lean())!.status).toBe('confirmed');
  });
});
