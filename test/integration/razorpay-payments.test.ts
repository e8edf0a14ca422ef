import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { bookAppointment, getAppointment } from '../../src/modules/appointments/appointment.service.js';
import { runTimerJob } from '../../src/modules/appointments/appointment.timers.js';
import { Invoice } from '../../src/modules/billing/invoice.model.js';
import { Payment } from '../../src/modules/billing/payment.model.js';
import { Refund } from '../../src/modules/billing/refund.model.js';
import { updateSchedulingSettings } from '../../src/modules/clinics/clinic.service.js';
import { PatientDocumentDelivery } from '../../src/modules/messaging/document-delivery.model.js';
import { OutboundMessageModel } from '../../src/modules/messaging/outbound.model.js';
import { waHashOf } from '../../src/modules/messaging/wa-contact.model.js';
import { PaymentLink } from '../../src/modules/payments/payment-link.model.js';
import { RazorpayEvent } from '../../src/modules/payments/razorpay-event.model.js';
import { factsOf, razorpayWebhookSchema } from '../../src/modules/payments/razorpay-event.schemas.js';
import { SlotModel } from '../../src/modules/scheduling/slot.model.js';
import type { Actor } from '../../src/platform/actor.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { expectBooksBalanced, prepareBillingClinic } from '../helpers/billing.js';
import { eventIdOf, handledEvent, payInSandbox, resendEvent, startPaymentsApp } from '../helpers/payments.js';
import { inMinutes, makeDoctor, makePatient, makeSlot } from '../helpers/scheduling.js';
import { waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

const PREPAYMENT = 50_000;

describe('Razorpay payment links, webhooks and refunds against the sandbox', () => {
  let t: ListeningApp;
  let system: Actor;
  let desk: SignedInStaff;

  beforeAll(async () => {
    t = await startPaymentsApp('razorpay-payments');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    await updateSchedulingSettings(system, { prepaymentRequired: true, prepaymentPaise: PREPAYMENT, holdMinutes: 10 });
    desk = await createStaffAndLogin(t, ['frontdesk']);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A fresh prepayment hold and its payment link, created by the desk (sent on WhatsApp). */
  async function heldWithLink(minutesAhead = 600) {
    const doctorId = await makeDoctor(system);
    const patient = await makePatient(system);
    const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(minutesAhead));
    const appointment = await bookAppointment(system, { patientId: patient.id, slotId, source: 'frontdesk' });
    const res = await desk.agent.post(`/api/v1/appointments/${appointment.id}/payment-link`).send({});
    expect(res.status).toBe(200);
    return {
      appointment,
      patient,
      slotId,
      doctorId,
      link: res.body as {
        invoiceId: string;
        paymentLinkId: string;
        shortUrl: string;
        amountPaise: number;
        expiresAt: string;
        sentOnWhatsApp: boolean;
      },
    };
  }

  async function expireHold(appointmentId: string) {
    await Appointment.updateOne({ _id: appointmentId }, { $set: { holdExpiresAt: new Date(Date.now() - 1000) } });
    await runTimerJob({ name: 'expire-hold', data: { clinicId: system.clinicId, appointmentId } });
    expect((await getAppointment(system, appointmentId)).status).toBe('cancelled');
  }

  const paymentsOf = (invoiceId: string) => Payment.find({ invoiceId, status: 'recorded' }).lean();

  it('creates one link per hold (amount in paise, reference = invoice, expiring with the hold but ≥ 15 min), sends it with a Pay button, and paying confirms the booking once', async () => {
    const { appointment, patient, link } = await heldWithLink();
    expect(link).toMatchObject({ amountPaise: PREPAYMENT, sentOnWhatsApp: true });
    expect(link.paymentLinkId).toMatch(/^plink_/);
    expect(link.shortUrl).toBe(`${t.baseUrl}/sandbox/razorpay/l/${link.paymentLinkId}`);
    expect(new Date(link.expiresAt).getTime()).toBeGreaterThanOrEqual(Date.now() + 15 * 60_000);
    const stored = await PaymentLink.findOne({ providerLinkId: link.paymentLinkId }).lean();
    expect(stored).toMatchObject({ referenceId: link.invoiceId, status: 'created' });

    // A second request reuses the open link rather than sending another.
    const again = await desk.agent.post(`/api/v1/appointments/${appointment.id}/payment-link`).send({ send: false });
    expect(again.body).toMatchObject({ paymentLinkId: link.paymentLinkId, sentOnWhatsApp: false });

    const sent = await OutboundMessageModel.find({
      clinicId: system.clinicId,
      purpose: 'payment_link',
      appointmentId: appointment.id,
    }).lean();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toMatchObject({ kind: 'cta_url', url: link.shortUrl });

    const paid = await payInSandbox(t.baseUrl, link.paymentLinkId);
    await waitFor(async () => (await getAppointment(system, appointment.id)).status === 'confirmed', {
      what: 'confirmed',
    });
    for (const { id } of paid.events) await handledEvent(id);
    expect(await paymentsOf(link.invoiceId)).toHaveLength(1);
    expect(await Invoice.findById(link.invoiceId).lean()).toMatchObject({ status: 'paid', paidPaise: PREPAYMENT });
    expect(await SlotModel.findById(appointment.slotId).lean()).toMatchObject({ status: 'booked' });
    expect(await PaymentLink.findOne({ providerLinkId: link.paymentLinkId }).lean()).toMatchObject({ status: 'paid' });
    // The receipt (and the paid invoice) go to the patient as documents.
    const payment = (await paymentsOf(link.invoiceId))[0]!;
    await waitFor(() => PatientDocumentDelivery.exists({ dedupeKey: `receipt|${String(payment._id)}` }), {
      what: 'receipt sent',
    });
    expect(await PatientDocumentDelivery.exists({ dedupeKey: `invoice|${link.invoiceId}` })).not.toBeNull();
    expect(
      await OutboundMessageModel.countDocuments({
        toHash: waHashOf(patient.phone.replace(/^\+/, '')),
        purpose: 'document',
      }),
    ).toBe(2);
    await expectBooksBalanced(system);
  });

  it('records one payment when payment_link.paid is delivered five times at once, and answers every repeat 200', async () => {
    const { appointment, link } = await heldWithLink();
    const paid = await payInSandbox(t.baseUrl, link.paymentLinkId, { deliver: false });
    const eventId = eventIdOf(paid, 'payment_link.paid');
    const deliveries = await Promise.all(Array.from({ length: 5 }, () => resendEvent(t.baseUrl, eventId)));
    expect(deliveries.map((delivery) => delivery.lastStatus)).toEqual([200, 200, 200, 200, 200]);
    await handledEvent(eventId);
    expect(await RazorpayEvent.countDocuments({ eventId })).toBe(1);
    expect(await paymentsOf(link.invoiceId)).toHaveLength(1);
    expect((await getAppointment(system, appointment.id)).status).toBe('confirmed');
  });

  it('refuses a missing or wrong signature with 401 and records nothing', async () => {
    const { link } = await heldWithLink();
    const paid = await payInSandbox(t.baseUrl, link.paymentLinkId, { deliver: false });
    const eventId = eventIdOf(paid, 'payment_link.paid');
    const events = (await (
      await fetch(`${t.baseUrl}/sandbox/razorpay/events?paymentLinkId=${link.paymentLinkId}`)
    ).json()) as { events: { id: string; body: string; signature: string }[] };
    const stored = events.events.find((event) => event.id === eventId)!;
    const missing = await t.http
      .post('/webhooks/razorpay')
      .set('content-type', 'application/json')
      .set('x-razorpay-event-id', eventId)
      .send(stored.body);
    expect(missing.status).toBe(401);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    const wrong = await t.http
      .post('/webhooks/razorpay')
      .set('content-type', 'application/json')
      .set('x-razorpay-event-id', eventId)
      .set(
        'x-razorpay-signature',
        stored.signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      )
      .send(stored.body);
    expect(wrong.status).toBe(401);
    const tampered = await t.http
      .post('/webhooks/razorpay')
      .set('content-type', 'application/json')
      .set('x-razorpay-event-id', eventId)
      .set('x-razorpay-signature', stored.signature)
      .send(stored.body.replace(`"amount":${PREPAYMENT}`, '"amount":100'));
    expect(tampered.status).toBe(401);
    expect(await RazorpayEvent.countDocuments({ eventId })).toBe(0);
    expect(await Payment.countDocuments({ invoiceId: link.invoiceId })).toBe(0);
  });

  it('handles payment.captured before payment_link.paid: one payment, confirmed', async () => {
    const { appointment, link } = await heldWithLink();
    const paid = await payInSandbox(t.baseUrl, link.paymentLinkId, { deliver: false });
    await resendEvent(t.baseUrl, eventIdOf(paid, 'payment.captured'));
    expect((await handledEvent(eventIdOf(paid, 'payment.captured'))).outcome).toBe('confirmed');
    await resendEvent(t.baseUrl, eventIdOf(paid, 'payment_link.paid'));
    await handledEvent(eventIdOf(paid, 'payment_link.paid'));
    expect(await paymentsOf(link.invoiceId)).toHaveLength(1);
    expect((await getAppointment(system, appointment.id)).status).toBe('confirmed');
    expect(await PaymentLink.findOne({ providerLinkId: link.paymentLinkId }).lean()).toMatchObject({ status: 'paid' });
  });

  it('cancels the link through Razorpay when the hold lapses unpaid, and voids the unpaid invoice', async () => {
    const { appointment, link } = await heldWithLink();
    await expireHold(appointment.id);
    await waitFor(
      async () => (await PaymentLink.findOne({ providerLinkId: link.paymentLinkId }).lean())?.status === 'cancelled',
      { what: 'link cancelled' },
    );
    await waitFor(async () => (await Invoice.findById(link.invoiceId).lean())?.status === 'void', {
      what: 'invoice voided',
    });
    const page = await fetch(link.shortUrl);
    expect(await page.text()).toMatch(/cancelled/i);
    // Paying a cancelled link is refused by the gateway.
    const refused = await fetch(`${t.baseUrl}/sandbox/razorpay/payment_links/${link.paymentLinkId}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(400);
    await expectBooksBalanced(system);
  });

  it('reinstates a lapsed hold whose payment lands afterwards while the slot is still free', async () => {
    const { appointment, link } = await heldWithLink();
    const paid = await payInSandbox(t.baseUrl, link.paymentLinkId, { deliver: false });
    await expireHold(appointment.id);
    for (const { id } of paid.events) await resendEvent(t.baseUrl, id);
    await waitFor(async () => (await getAppointment(system, appointment.id)).status === 'confirmed', {
      what: 'reinstated',
    });
    const after = await Appointment.findById(appointment.id).lean();
    expect(after!.history.at(-1)).toMatchObject({ from: 'cancelled', to: 'confirmed', event: 'REINSTATE' });
    expect(await SlotModel.findById(appointment.slotId).lean()).toMatchObject({
      status: 'booked',
      appointmentId: after!._id,
    });
    expect(await paymentsOf(link.invoiceId)).toHaveLength(1);
    expect(await Invoice.findById(link.invoiceId).lean()).toMatchObject({ status: 'paid' });
    expect(await Refund.countDocuments({ invoiceId: link.invoiceId })).toBe(0);
  });

  it('refunds a payment that lands after the hold lapsed and the slot was taken, and tells the patient', async () => {
    const { appointment, link, slotId, patient } = await heldWithLink();
    const paid = await payInSandbox(t.baseUrl, link.paymentLinkId, { deliver: false });
    await expireHold(appointment.id);
    const other = await makePatient(system, 'Ravi Kumar');
    await bookAppointment(system, { patientId: other.id, slotId, source: 'frontdesk' });
    for (const { id } of paid.events) await resendEvent(t.baseUrl, id);

    const refund = await waitFor(
      async () => (await Refund.findOne({ invoiceId: link.invoiceId, status: 'processed' }).lean()) ?? undefined,
      { what: 'refund processed', timeoutMs: 30_000 },
    );
    expect(refund).toMatchObject({ amountPaise: PREPAYMENT, idempotencyKey: `cinic-refund-${String(refund._id)}` });
    expect(refund.providerRefundId).toMatch(/^rfnd_/);
    expect((await getAppointment(system, appointment.id)).status).toBe('cancelled');
    expect(await paymentsOf(link.invoiceId)).toHaveLength(1);
    const toHash = waHashOf(patient.phone.replace(/^\+/, ''));
    await waitFor(
      () =>
        OutboundMessageModel.exists({
          clinicId: system.clinicId,
          appointmentId: appointment.id,
          purpose: 'appointment_update',
          toHash,
        }),
      { what: 'patient told' },
    );
    // Both events (captured, link paid) took the refund path: one refund, one message.
    for (const { id } of paid.events) await handledEvent(id);
    expect(await Refund.countDocuments({ invoiceId: link.invoiceId })).toBe(1);
    expect(
      await OutboundMessageModel.countDocuments({
        clinicId: system.clinicId,
        appointmentId: appointment.id,
        purpose: 'appointment_update',
        toHash,
      }),
    ).toBe(1);
    await expectBooksBalanced(system);
  });

  it('ends a payment racing the hold release and another booking in exactly one of confirmed or refunded', async () => {
    const { appointment, link, slotId } = await heldWithLink();
    const paid = await payInSandbox(t.baseUrl, link.paymentLinkId, { deliver: false });
    await Appointment.updateOne({ _id: appointment.id }, { $set: { holdExpiresAt: new Date(Date.now() - 1000) } });
    const other = await makePatient(system, 'Ravi Kumar');
    // The release, the payment's events and another patient's booking of the same slot, all at once.
    await Promise.all([
      runTimerJob({ name: 'expire-hold', data: { clinicId: system.clinicId, appointmentId: appointment.id } }),
      ...paid.events.map(({ id }) => resendEvent(t.baseUrl, id)),
      bookAppointment(system, { patientId: other.id, slotId, source: 'frontdesk' }).catch(() => undefined),
    ]);
    for (const { id } of paid.events) await handledEvent(id);
    const final = await getAppointment(system, appointment.id);
    const slot = await SlotModel.findById(slotId).lean();
    if (final.status === 'confirmed') {
      expect(String(slot!.appointmentId)).toBe(appointment.id);
      expect(await Refund.countDocuments({ invoiceId: link.invoiceId })).toBe(0);
    } else {
      expect(final.status).toBe('cancelled');
      expect(String(slot!.appointmentId)).not.toBe(appointment.id);
      await waitFor(async () => (await Refund.countDocuments({ invoiceId: link.invoiceId })) === 1, {
        what: 'one refund',
      });
    }
    expect(await paymentsOf(link.invoiceId)).toHaveLength(1);
  });

  it('refunds money captured on a link cancelled at the gateway (invoice already void)', async () => {
    const { appointment, link } = await heldWithLink();
    await expireHold(appointment.id);
    await waitFor(async () => (await Invoice.findById(link.invoiceId).lean())?.status === 'void', {
      what: 'invoice voided',
    });
    await payInSandbox(t.baseUrl, link.paymentLinkId, { late: true });
    const refund = await waitFor(
      async () => (await Refund.findOne({ invoiceId: link.invoiceId, status: 'processed' }).lean()) ?? undefined,
      { what: 'refund processed', timeoutMs: 30_000 },
    );
    expect(refund).toMatchObject({ amountPaise: PREPAYMENT, source: 'unapplied_payment' });
    expect(await Payment.findOne({ invoiceId: link.invoiceId }).lean()).toMatchObject({
      status: 'unapplied',
      refundablePaise: 0,
    });
    await expectBooksBalanced(system);
  });

  it('lists an event that failed for good to accounts and replays it once, to the same single outcome', async () => {
    const { appointment, link } = await heldWithLink();
    const paid = await payInSandbox(t.baseUrl, link.paymentLinkId, { deliver: false });
    const eventId = eventIdOf(paid, 'payment_link.paid');
    const events = (await (
      await fetch(`${t.baseUrl}/sandbox/razorpay/events?paymentLinkId=${link.paymentLinkId}`)
    ).json()) as { events: { id: string; body: string }[] };
    const body = events.events.find((event) => event.id === eventId)!.body;
    // As the job leaves an event after its last failed attempt (e.g. the database was away all along).
    await RazorpayEvent.create({
      eventId,
      event: 'payment_link.paid',
      clinicId: system.clinicId,
      facts: factsOf(razorpayWebhookSchema.parse(JSON.parse(body))),
      rawBody: body,
      status: 'failed',
      attempts: 8,
      receivedAt: new Date(),
    });

    const accounts = await createStaffAndLogin(t, ['accounts']);
    const listed = await accounts.agent.get('/api/v1/razorpay-events?status=failed').expect(200);
    expect(listed.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          eventId,
          event: 'payment_link.paid',
          status: 'failed',
          paymentLinkId: link.paymentLinkId,
        }),
      ]),
    );
    expect(JSON.stringify(listed.body)).not.toContain('rawBody');
    expect((await desk.agent.post(`/api/v1/razorpay-events/${eventId}/replay`)).status).toBe(403);

    expect((await accounts.agent.post(`/api/v1/razorpay-events/${eventId}/replay`)).body).toMatchObject({
      eventId,
      status: 'received',
    });
    expect((await handledEvent(eventId)).outcome).toBe('confirmed');
    expect((await getAppointment(system, appointment.id)).status).toBe('confirmed');
    const again = await accounts.agent.post(`/api/v1/razorpay-events/${eventId}/replay`);
    expect(again.status).toBe(409);
    expect(await paymentsOf(link.invoiceId)).toHaveLength(1);
  });

  it('tells the patient once when a payment attempt fails, and leaves the link open for another try', async () => {
    const { appointment, link, patient } = await heldWithLink();
    const res = await fetch(`${t.baseUrl}/sandbox/razorpay/payment_links/${link.paymentLinkId}/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deliver: false }),
    });
    const failed = (await res.json()) as { events: { id: string; event: string }[] };
    const eventId = failed.events.find((event) => event.event === 'payment.failed')!.id;
    await Promise.all([resendEvent(t.baseUrl, eventId), resendEvent(t.baseUrl, eventId)]);
    expect((await handledEvent(eventId)).outcome).toBe('payment_failed');
    const toHash = waHashOf(patient.phone.replace(/^\+/, ''));
    await waitFor(
      () =>
        OutboundMessageModel.exists({
          clinicId: system.clinicId,
          appointmentId: appointment.id,
          purpose: 'appointment_update',
          toHash,
        }),
      { what: 'patient told' },
    );
    expect(
      await OutboundMessageModel.countDocuments({
        clinicId: system.clinicId,
        appointmentId: appointment.id,
        purpose: 'appointment_update',
        toHash,
      }),
    ).toBe(1);
    expect(await PaymentLink.findOne({ providerLinkId: link.paymentLinkId }).lean()).toMatchObject({
      status: 'created',
      failedPayments: 1,
    });
    expect((await getAppointment(system, appointment.id)).status).toBe('tentative');
    // The same link still pays.
    await payInSandbox(t.baseUrl, link.paymentLinkId);
    await waitFor(async () => (await getAppointment(system, appointment.id)).status === 'confirmed', {
      what: 'confirmed after retry',
    });
  });
});
