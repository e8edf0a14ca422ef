import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { Invoice } from '../../src/modules/billing/invoice.model.js';
import { Payment } from '../../src/modules/billing/payment.model.js';
import { updateSchedulingSettings } from '../../src/modules/clinics/clinic.service.js';
import { Patient } from '../../src/modules/patients/patient.model.js';
import type { Actor } from '../../src/platform/actor.js';
import { testSystemActor } from '../helpers/auth.js';
import { expectBooksBalanced, prepareBillingClinic } from '../helpers/billing.js';
import { payInSandbox, startPaymentsApp } from '../helpers/payments.js';
import { inMinutes, makeDoctor, makeSlot } from '../helpers/scheduling.js';
import { waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';
import { Phone, linkButtonOf, textOf } from '../helpers/whatsapp-phone.js';

// A whole WhatsApp booking (about a dozen turns) plus the payment and its webhooks.
jest.setTimeout(120_000);

describe('a prepayment booking on WhatsApp, paid on the sandbox checkout', () => {
  let t: ListeningApp;
  let system: Actor;

  beforeAll(async () => {
    t = await startPaymentsApp('wa-prepayment');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    await updateSchedulingSettings(system, { prepaymentRequired: true, prepaymentPaise: 30_000, holdMinutes: 10 });
    const doctorId = await makeDoctor(system, 'Dr Meera Rao');
    for (let i = 0; i < 4; i++) await makeSlot(system.clinicId, doctorId, inMinutes(24 * 60 + i * 15));
  });
  afterAll(async () => {
    await t.close();
  });

  it('holds the time, sends a Pay button, and after payment confirms with one payment, a receipt and balanced books', async () => {
    const phone = new Phone(t);
    await phone.say('hi');
    await phone.tap('English');
    await phone.tap(/Book appointment/);
    await phone.tap(/General Medicine/);
    await phone.tap(/^1\. /);
    await phone.tap(/^1\. /);
    await phone.tap('Confirm');
    await phone.tap('Myself');
    await phone.say('Kavya Iyer');
    await phone.say('29');
    const held = await phone.tap('I agree');
    expect(held.map(textOf).join('\n')).toMatch(/₹300/);

    // The link arrives as its own message with a Pay button.
    const withButton = await waitFor(async () => (await phone.inbox()).find((message) => linkButtonOf(message)), {
      what: 'pay button',
    });
    const button = linkButtonOf(withButton)!;
    expect(button.text).toBe('Pay now');
    const paymentLinkId = /\/sandbox\/razorpay\/l\/(plink_[A-Za-z0-9]{14})$/.exec(button.url)?.[1];
    expect(paymentLinkId).toBeDefined();

    const patient = await Patient.findOne({ clinicId: system.clinicId }).sort({ _id: -1 }).lean();
    const appointment = await Appointment.findOne({ patientId: patient!._id }).lean();
    expect(appointment).toMatchObject({ status: 'tentative', source: 'whatsapp' });

    await payInSandbox(t.baseUrl, paymentLinkId!);
    const inbox = await waitFor(
      async () => {
        const messages = await phone.inbox();
        const confirmed = messages.some((message) => /Payment received/.test(textOf(message)));
        const receipt = messages.find(
          (message) => message.type === 'document' && /^Receipt /.test(message.document?.caption ?? ''),
        );
        return confirmed && receipt ? messages : undefined;
      },
      { what: 'confirmation and receipt in the chat', timeoutMs: 30_000 },
    );
    expect((await Appointment.findById(appointment!._id).lean())!.status).toBe('confirmed');
    const invoice = await Invoice.findOne({ appointmentId: appointment!._id }).lean();
    expect(invoice).toMatchObject({ status: 'partially_paid', paidPaise: 30_000 });
    expect(await Payment.countDocuments({ invoiceId: invoice!._id, status: 'recorded' })).toBe(1);

    // The receipt's link downloads the PDF.
    const receipt = inbox.find((message) => message.type === 'document')!;
    const pdf = await fetch(receipt.document!.link!);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await expectBooksBalanced(system);
  });
});
