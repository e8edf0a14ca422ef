import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Types } from 'mongoose';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { Conversation } from '../../src/modules/conversations/conversation.model.js';
import { Consent } from '../../src/modules/patients/consent.model.js';
import { Patient } from '../../src/modules/patients/patient.model.js';
import { SlotModel } from '../../src/modules/scheduling/slot.model.js';
import type { Actor } from '../../src/platform/actor.js';
import { testSystemActor } from '../helpers/auth.js';
import { inMinutes, makeDoctor, makeSlot } from '../helpers/scheduling.js';
import { startListeningApp } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';
import { Phone, optionsOf, textOf } from '../helpers/whatsapp-phone.js';
import type { SentMessage } from '../helpers/whatsapp-phone.js';

const text = (messages: SentMessage[]) => messages.map(textOf).join('\n');

// Whole conversations of 10–15 turns, each through webhook, inbox, bot, outbound queue and stand-in.
jest.setTimeout(120_000);

describe('booking on WhatsApp through signed webhooks, end to end', () => {
  let t: ListeningApp;
  let system: Actor;
  let doctorId: string;

  beforeAll(async () => {
    // Pacing between messages to one number matters in production, not between test turns.
    t = await startListeningApp('wa-booking', { env: { WHATSAPP_PACING_MS: '20' } });
    system = await testSystemActor();
    doctorId = await makeDoctor(system, 'Dr Meera Rao');
    for (let i = 0; i < 8; i++) await makeSlot(system.clinicId, doctorId, inMinutes(24 * 60 + i * 15));
  });
  afterAll(async () => {
    await t.close();
  });

  /** Walks from hello to the "who is it for" question, picking the first free time. */
  async function reachPatientChoice(phone: Phone, language: 'English' | 'हिन्दी' = 'English') {
    const hello = await phone.say('hi');
    // A new number is asked its language first; a returning one goes straight to the menu.
    if (optionsOf(hello.at(-1)!).some((option) => option.title === language)) await phone.tap(language);
    await phone.tap(language === 'English' ? /Book appointment/ : /अपॉइंटमेंट बुक/);
    await phone.tap(/General Medicine/);
    await phone.tap(/^1\. /);
    await phone.tap(/^1\. /);
    return phone.tap(language === 'English' ? 'Confirm' : 'पुष्टि करें');
  }

  async function registerAs(phone: Phone, name: string, age: string) {
    expect(text(await phone.say(name))).toContain(`*${name}*`);
    const consent = await phone.say(age);
    expect(text(consent)).toMatch(/DPDP/);
    return consent;
  }

  it('lets a new patient book end to end, with consent recorded for each purpose', async () => {
    const phone = new Phone(t);
    expect(optionsOf((await reachPatientChoice(phone)).at(-1)!).map((option) => option.title)).toEqual([
      'Myself',
      'Family member',
    ]);
    await phone.tap('Myself');
    await registerAs(phone, 'Priya Sharma', '34');
    const booked = await phone.tap('I agree');
    expect(text(booked)).toMatch(/✅ Booked! \*Priya Sharma\* with \*Dr Meera Rao\*/);

    const patient = await Patient.findOne({ clinicId: system.clinicId }).sort({ _id: -1 });
    expect(patient?.name).toBe('Priya Sharma');
    const appointment = await Appointment.findOne({ patientId: patient!._id }).lean();
    expect(appointment).toMatchObject({
      status: 'confirmed',
      source: 'whatsapp',
      doctorId: new Types.ObjectId(doctorId),
    });
    const consents = await Consent.find({ patientId: patient!._id }).lean();
    expect(consents.map((consent) => consent.purpose).sort()).toEqual([
      'care',
      'payments',
      'reminders',
      'whatsapp_messaging',
    ]);
    expect(consents.every((consent) => consent.givenBy === 'self' && consent.channel === 'whatsapp')).toBe(true);
    // The conversation is back at rest, and its stored snapshot is ciphertext.
    const raw = await Conversation.collection.findOne({ clinicId: new Types.ObjectId(system.clinicId) });
    expect(JSON.stringify(raw)).not.toContain('Priya');
    expect(JSON.stringify(raw)).not.toContain(phone.waId);
  });

  it('lets a parent book for a child on the same number; the guardian gives the consent', async () => {
    const phone = new Phone(t);
    await reachPatientChoice(phone);
    await phone.tap('Myself');
    await registerAs(phone, 'Rohan Mehta', '38');
    await phone.tap('I agree');

    const who = await reachPatientChoice(phone);
    expect(optionsOf(who.at(-1)!).map((option) => option.title)).toEqual(
      expect.arrayContaining(['Rohan Mehta', 'Family member']),
    );
    await phone.tap('Family member');
    expect(text(await phone.say('Aarav Mehta'))).toContain('How old is *Aarav Mehta*');
    await phone.say('7');
    await phone.tap(/Son \/ daughter/);
    const booked = await phone.tap('I agree');
    expect(text(booked)).toMatch(/Booked! \*Aarav Mehta\*/);

    const child = await Patient.findOne({ clinicId: system.clinicId, relationToContact: 'child' }).sort({ _id: -1 });
    expect(child?.name).toBe('Aarav Mehta');
    const consents = await Consent.find({ patientId: child!._id }).lean();
    expect(consents.length).toBe(4);
    expect(consents.every((consent) => consent.givenBy === 'guardian')).toBe(true);
    expect(await Appointment.countDocuments({ patientId: child!._id, status: 'confirmed' })).toBe(1);
  });

  it('lets a returning patient list, reschedule and cancel', async () => {
    const phone = new Phone(t);
    await reachPatientChoice(phone);
    await phone.tap('Myself');
    await registerAs(phone, 'Sunita Iyer', '61');
    await phone.tap('I agree');

    await phone.say('menu');
    const mine = await phone.tap(/My appointments/);
    expect(text(mine)).toContain('Your upcoming appointments');
    await phone.tap('Reschedule', mine);
    await phone.tap(/^1\. /);
    await phone.tap(/^1\. /);
    const moved = await phone.tap('Yes, move it');
    expect(text(moved)).toMatch(/✅ Done! Your appointment with \*Dr Meera Rao\* is now on/);

    const patient = await Patient.findOne({ clinicId: system.clinicId }).sort({ _id: -1 });
    const appointment = await Appointment.findOne({ patientId: patient!._id }).lean();
    expect(appointment!.history.map((entry) => entry.event)).toContain('RESCHEDULE');

    await phone.say('menu');
    const listed = await phone.tap(/My appointments/);
    await phone.tap('Cancel one', listed);
    const cancelled = await phone.tap('Yes, cancel it');
    expect(text(cancelled)).toMatch(/cancelled/i);
    expect((await Appointment.findById(appointment!._id).lean())!.status).toBe('cancelled');
    expect(await SlotModel.findById(appointment!.slotId).lean()).toMatchObject({ status: 'free' });
  });

  it('when two patients race for one slot, one is booked and the other is offered fresh times', async () => {
    const first = new Phone(t);
    const second = new Phone(t);
    for (const phone of [first, second]) {
      await reachPatientChoice(phone);
      await phone.tap('Myself');
    }
    await registerAs(first, 'Kiran Rao', '29');
    await registerAs(second, 'Anil Kumar', '45');
    const [a, b] = await Promise.all([first.tap('I agree'), second.tap('I agree')]);
    const outcomes = [text(a), text(b)];
    expect(outcomes.filter((outcome) => /Booked!/.test(outcome))).toHaveLength(1);
    expect(outcomes.filter((outcome) => /someone else has just booked/.test(outcome))).toHaveLength(1);
  });

  it('speaks Hindi when the patient chooses it', async () => {
    const phone = new Phone(t);
    await reachPatientChoice(phone, 'हिन्दी');
    await phone.tap('मेरे लिए');
    await phone.say('सीमा वर्मा');
    const consent = await phone.say('40');
    expect(text(consent)).toMatch(/सहमति/);
    const booked = await phone.tap('मैं सहमत हूँ');
    expect(text(booked)).toMatch(/बुक/);
    expect(await Appointment.countDocuments({ source: 'whatsapp', status: 'confirmed' })).toBeGreaterThanOrEqual(4);
  });
});
