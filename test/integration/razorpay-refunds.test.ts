import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreditNote } from '../../src/modules/billing/credit-note.model.js';
import { Payment } from '../../src/modules/billing/payment.model.js';
import { Refund } from '../../src/modules/billing/refund.model.js';
import { PatientDocumentDelivery } from '../../src/modules/messaging/document-delivery.model.js';
import { OutboundMessageModel } from '../../src/modules/messaging/outbound.model.js';
import { waHashOf } from '../../src/modules/messaging/wa-contact.model.js';
import { RAZORPAY_REFUNDS_QUEUE } from '../../src/modules/payments/razorpay-refunds.queue.js';
import { PaymentLink } from '../../src/modules/payments/payment-link.model.js';
import type { Actor } from '../../src/platform/actor.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { expectBooksBalanced, issuedInvoice, makeExemptItem, prepareBillingClinic } from '../helpers/billing.js';
import { payInSandbox, startPaymentsApp } from '../helpers/payments.js';
import { makePatient } from '../helpers/scheduling.js';
import { waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

// The sandbox picks faults by the last two digits of the amount in paise (src/sandbox/razorpay/faults.ts).
const REFUND_TIMEOUT = 50_092;
const REFUND_FAILS = 50_093;
const LINK_500 = 50_091;

describe('online refunds and desk payment links through the Razorpay SDK', () => {
  let t: ListeningApp;
  let system: Actor;
  let desk: SignedInStaff;
  let accounts: SignedInStaff;

  beforeAll(async () => {
    t = await startPaymentsApp('razorpay-refunds');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    desk = await createStaffAndLogin(t, ['frontdesk']);
    accounts = await createStaffAndLogin(t, ['accounts']);
  });
  afterAll(async () => {
    await t.close();
  });

  /** An issued invoice of `amountPaise`, paid online through a desk-sent link. */
  async function paidOnline(amountPaise: number) {
    const patient = await makePatient(system);
    const invoice = await issuedInvoice(system, patient.id, [[await makeExemptItem(system, amountPaise), 1]]);
    const res = await desk.agent.post(`/api/v1/invoices/${invoice.id}/payment-link`).send({});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ invoiceId: invoice.id, amountPaise, sentOnWhatsApp: true });
    const paid = await payInSandbox(t.baseUrl, res.body.paymentLinkId as string);
    const payment = await waitFor(
      async () => (await Payment.findOne({ invoiceId: invoice.id, status: 'recorded' }).lean()) ?? undefined,
      { what: 'payment recorded' },
    );
    return { patient, invoice, payment, providerPaymentId: paid.paymentId };
  }

  async function sandboxRefundsOf(providerPaymentId: string): Promise<{ id: string }[]> {
    const auth = Buffer.from(`${t.runtime.config.razorpay.keyId}:${t.runtime.config.razorpay.keySecret}`).toString(
      'base64',
    );
    const res = await fetch(`${t.baseUrl}/sandbox/razorpay/api/v1/payments/${providerPaymentId}/refunds`, {
      headers: { authorization: `Basic ${auth}` },
    });
    return ((await res.json()) as { items: { id: string }[] }).items;
  }

  it('refunds once although the first Razorpay call timed out and was retried with the same idempotency key', async () => {
    const { invoice, payment, providerPaymentId } = await paidOnline(REFUND_TIMEOUT);
    const res = await accounts.agent
      .post(`/api/v1/invoices/${invoice.id}/refunds`)
      .send({ amountPaise: REFUND_TIMEOUT, reason: 'Procedure not done' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'requested',
      channel: 'online',
      idempotencyKey: `cinic-refund-${res.body.id as string}`,
    });

    const refund = await waitFor(
      async () => (await Refund.findOne({ _id: res.body.id, status: 'processed' }).lean()) ?? undefined,
      { what: 'refund processed', timeoutMs: 40_000 },
    );
    // The first call timed out (the sandbox held its answer) and the job tried again, with the same key.
    const queue = t.runtime.queues.queue(RAZORPAY_REFUNDS_QUEUE);
    const job = await waitFor(
      async () => {
        const current = await queue.getJob(`razorpay-refund-${res.body.id as string}`);
        return current && (await current.isCompleted()) ? current : undefined;
      },
      { what: 'refund job done', timeoutMs: 30_000 },
    );
    expect(job.attemptsStarted).toBeGreaterThanOrEqual(2);
    const atRazorpay = await sandboxRefundsOf(providerPaymentId);
    expect(atRazorpay).toHaveLength(1);
    expect(refund.providerRefundId).toBe(atRazorpay[0]!.id);
    expect(await CreditNote.countDocuments({ invoiceId: invoice.id })).toBe(1);
    expect(await Payment.findById(payment._id).lean()).toMatchObject({ refundablePaise: 0 });
    await waitFor(() => PatientDocumentDelivery.exists({ dedupeKey: `refund-voucher|${res.body.id as string}` }), {
      what: 'voucher sent',
    });
    await waitFor(() => PatientDocumentDelivery.exists({ dedupeKey: `credit-note|${String(refund.creditNoteId)}` }), {
      what: 'credit note sent',
    });
    await expectBooksBalanced(system);
  }, 60_000);

  it('gives the amount back to the payment when Razorpay fails the refund, and tells the patient', async () => {
    const { invoice, payment, patient } = await paidOnline(REFUND_FAILS);
    const res = await accounts.agent
      .post(`/api/v1/invoices/${invoice.id}/refunds`)
      .send({ amountPaise: 20_000, reason: 'Partial refund' });
    expect(res.status).toBe(201);
    await waitFor(async () => (await Refund.findOne({ _id: res.body.id, status: 'failed' }).lean()) ?? undefined, {
      what: 'refund failed',
      timeoutMs: 30_000,
    });
    expect(await Payment.findById(payment._id).lean()).toMatchObject({ refundablePaise: REFUND_FAILS });
    expect(await CreditNote.countDocuments({ invoiceId: invoice.id })).toBe(0);
    const toHash = waHashOf(patient.phone.replace(/^\+/, ''));
    await waitFor(
      () => OutboundMessageModel.exists({ clinicId: system.clinicId, purpose: 'appointment_update', toHash }),
      { what: 'patient told' },
    );
    await expectBooksBalanced(system);
  }, 60_000);

  it('answers 502 when Razorpay fails to create the link, and the retry creates it under the same reference id', async () => {
    const patient = await makePatient(system);
    const invoice = await issuedInvoice(system, patient.id, [[await makeExemptItem(system, LINK_500), 1]]);
    const first = await desk.agent.post(`/api/v1/invoices/${invoice.id}/payment-link`).send({ send: false });
    expect(first.status).toBe(502);
    expect(first.headers['content-type']).toMatch(/application\/problem\+json/);
    const second = await desk.agent.post(`/api/v1/invoices/${invoice.id}/payment-link`).send({ send: false });
    expect(second.status).toBe(200);
    const links = await PaymentLink.find({ invoiceId: invoice.id }).lean();
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ attempt: 1, referenceId: invoice.id, status: 'created' });
  });

  it('refuses links for invoices that cannot be paid, and roles that may not take payments', async () => {
    const { invoice } = await paidOnline(30_000);
    const paid = await desk.agent.post(`/api/v1/invoices/${invoice.id}/payment-link`).send({});
    expect(paid.status).toBe(409);
    expect(paid.body).toMatchObject({ reason: 'invoice_not_payable' });
    expect((await desk.agent.post('/api/v1/invoices/64b000000000000000000000/payment-link').send({})).status).toBe(404);
    expect((await desk.agent.post('/api/v1/invoices/not-an-id/payment-link').send({})).status).toBe(400);
    expect((await desk.agent.post(`/api/v1/invoices/${invoice.id}/payment-link`).send({ send: 'yes' })).status).toBe(
      400,
    );
    const doctor = await createStaffAndLogin(t, ['doctor']);
    expect((await doctor.agent.post(`/api/v1/invoices/${invoice.id}/payment-link`).send({})).status).toBe(403);
  });
});
