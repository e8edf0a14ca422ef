/**
 * Refunds and credit notes: desk refunds paid out at once with a credit note and refund voucher,
 * online refunds through their lifecycle (the seam the Razorpay engineer calls), never more than
 * was paid (also under concurrency), automatic refunds on cancellation, and corrections.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bookAppointment, transitionAppointment } from '../../src/modules/appointments/appointment.service.js';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { raiseConsultationCharge } from '../../src/modules/billing/consultation-charge.service.js';
import { CreditNote } from '../../src/modules/billing/credit-note.model.js';
import type { CreditNoteRecord } from '../../src/modules/billing/credit-note.model.js';
import { Payment } from '../../src/modules/billing/payment.model.js';
import type { PaymentRecord } from '../../src/modules/billing/payment.model.js';
import { recordPayment } from '../../src/modules/billing/payment.service.js';
import {
  markRefundFailed,
  markRefundProcessed,
  markRefundProcessing,
} from '../../src/modules/billing/refund-settle.service.js';
import { Refund } from '../../src/modules/billing/refund.model.js';
import { findProviderRefund, requestRefund } from '../../src/modules/billing/refund.service.js';
import { JournalEntry } from '../../src/modules/ledger/journal.model.js';
import { systemActor } from '../../src/platform/actor.js';
import type { Actor } from '../../src/platform/actor.js';
import { publish, subscribe } from '../../src/platform/domain-events.js';
import type { DomainEvents } from '../../src/platform/domain-events.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import {
  balanceOf,
  expectBooksBalanced,
  issuedInvoice,
  makeExemptItem,
  makeItem,
  prepareBillingClinic,
  startBillingApp,
} from '../helpers/billing.js';
import { inMinutes, makeDoctor, makePatient, makeSlot } from '../helpers/scheduling.js';

type App = Awaited<ReturnType<typeof startBillingApp>>;

describe('refunds and credit notes', () => {
  let t: App;
  let system: Actor;
  let webhook: Actor;
  let frontdesk: SignedInStaff;
  let accounts: SignedInStaff;
  let patientId: string;
  let taxable: Awaited<ReturnType<typeof makeItem>>;
  let exempt: Awaited<ReturnType<typeof makeItem>>;
  const requested: DomainEvents['refund.requested'][] = [];

  beforeAll(async () => {
    t = await startBillingApp('billrefunds');
    system = await testSystemActor();
    webhook = systemActor(system.clinicId, 'webhook:razorpay');
    await prepareBillingClinic(system);
    [frontdesk, accounts] = await Promise.all([
      createStaffAndLogin(t, ['frontdesk']),
      createStaffAndLogin(t, ['accounts']),
    ]);
    patientId = (await makePatient(system)).id;
    taxable = await makeItem(system, {
      unitPricePaise: 10_000,
      rate: { effectiveFrom: '2020-04-01', ratePercent: 18 },
    });
    exempt = await makeExemptItem(system, 50_000);
    subscribe('refund.requested', 'test-refunds', (payload) => {
      requested.push(payload);
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const paidInvoice = async (lines: [typeof taxable, number][], method: 'cash' | 'upi' = 'cash') => {
    const invoice = await issuedInvoice(system, patientId, lines);
    const paid = await frontdesk.agent
      .post(`/api/v1/invoices/${invoice.id}/payments`)
      .send({ amountPaise: invoice.totals.totalPaise, method })
      .expect(201);
    return { invoice, payment: paid.body.payment as { id: string } };
  };
  const refund = (who: SignedInStaff, invoiceId: string, body: Record<string, unknown>) =>
    who.agent.post(`/api/v1/invoices/${invoiceId}/refunds`).send(body);

  it('pays a desk refund out at once with a credit note and a refund voucher, partial then full, never beyond what was paid', async () => {
    const { invoice } = await paidInvoice([
      [exempt, 1],
      [taxable, 1],
    ]);
    expect(invoice.totals.totalPaise).toBe(61_800);
    const partial = await refund(accounts, invoice.id, {
      amountPaise: 11_800,
      lineId: 'L2',
      reason: 'medicine returned unopened',
    }).expect(201);
    expect(partial.body).toMatchObject({
      status: 'processed',
      channel: 'counter',
      creditNoteNumber: expect.stringMatching(/^CN\//),
      voucherNumber: expect.stringMatching(/^RFV\//),
    });
    const note = await accounts.agent.get(`/api/v1/credit-notes/${partial.body.creditNoteId}`).expect(200);
    // A returned item: the note credits that line only, value and tax.
    expect(note.body).toMatchObject({
      kind: 'refund',
      invoice: { id: invoice.id, number: invoice.number },
      totals: { taxablePaise: 10_000, cgstPaise: 900, sgstPaise: 900, totalPaise: 11_800 },
    });
    expect(note.body.lines.map((line: { lineId: string }) => line.lineId)).toEqual(['L2']);

    const rest = await refund(accounts, invoice.id, {
      amountPaise: 50_000,
      reason: 'consultation cancelled by the clinic',
    }).expect(201);
    expect(rest.body.status).toBe('processed');
    const over = await refund(accounts, invoice.id, { amountPaise: 1, reason: 'one paisa too many' }).expect(422);
    expect(over.body).toMatchObject({ reason: 'exceeds_refundable', refundablePaise: 0 });
    const after = await accounts.agent.get(`/api/v1/invoices/${invoice.id}`).expect(200);
    expect(after.body).toMatchObject({
      status: 'paid',
      paidPaise: 61_800,
      creditedPaise: 61_800,
      refundedPaise: 61_800,
    });

    await accounts.agent
      .get(`/api/v1/refunds/${partial.body.id}/voucher.pdf`)
      .expect(200)
      .expect('content-type', 'application/pdf');
    await accounts.agent
      .get(`/api/v1/credit-notes/${partial.body.creditNoteId}/pdf`)
      .expect(200)
      .expect('content-type', 'application/pdf');
    expect(
      (await accounts.agent.get(`/api/v1/invoices/${invoice.id}/credit-notes`).expect(200)).body.items,
    ).toHaveLength(2);
    await expectBooksBalanced(system);
  });

  it('never refunds more than was paid, even when refunds race', async () => {
    const { invoice, payment } = await paidInvoice([[exempt, 2]]);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        refund(accounts, invoice.id, { amountPaise: 30_000, reason: `racing refund ${i + 1}` }),
      ),
    );
    expect(results.filter((res) => res.status === 201)).toHaveLength(3);
    expect(results.filter((res) => res.status === 422)).toHaveLength(3);
    const stored = await Payment.findById(payment.id).lean<PaymentRecord>();
    expect(stored!.refundablePaise).toBe(10_000);
    const notes = await CreditNote.find({ clinicId: system.clinicId, invoiceId: invoice.id, status: 'issued' }).lean<
      CreditNoteRecord[]
    >();
    expect(notes.map((note) => note.totals.totalPaise)).toEqual([30_000, 30_000, 30_000]);
    expect(new Set(notes.map((note) => note.number)).size).toBe(3);
    const invoiceNow = (await accounts.agent.get(`/api/v1/invoices/${invoice.id}`).expect(200)).body;
    expect(invoiceNow).toMatchObject({ refundedPaise: 90_000, creditedPaise: 90_000 });
    await expectBooksBalanced(system);
  });

  it('is for accounts and admin: front desk gets 403 naming them', async () => {
    const { invoice } = await paidInvoice([[exempt, 1]]);
    const denied = await refund(frontdesk, invoice.id, { amountPaise: 100, reason: 'patient asked' }).expect(403);
    expect(denied.body.approvers).toEqual(['accounts', 'admin']);
    await refund(accounts, invoice.id, { amountPaise: 100 }).expect(400);
    await refund(accounts, '0123456789abcdef01234567', { amountPaise: 100, reason: 'no invoice' }).expect(404);
  });

  it('makes one refund for a request retried with the same Idempotency-Key', async () => {
    const { invoice } = await paidInvoice([[exempt, 1]]);
    const send = () =>
      accounts.agent
        .post(`/api/v1/invoices/${invoice.id}/refunds`)
        .set('Idempotency-Key', `refund-${invoice.id}`)
        .send({ amountPaise: 5_000, reason: 'goodwill' });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(await Refund.countDocuments({ clinicId: system.clinicId, invoiceId: invoice.id })).toBe(1);
  });

  describe('online refunds (the Razorpay seam)', () => {
    const onlineInvoice = async (paymentId: string) => {
      const invoice = await issuedInvoice(system, patientId, [[exempt, 1]]);
      await recordPayment(webhook, {
        invoiceId: invoice.id,
        amountPaise: 50_000,
        method: 'upi',
        provider: 'razorpay',
        providerPaymentId: paymentId,
      });
      return invoice;
    };

    it('stay requested with a deterministic idempotency key until the provider reports processed', async () => {
      const invoice = await onlineInvoice('pay_RefundOk0001');
      const res = await refund(accounts, invoice.id, { amountPaise: 20_000, reason: 'partial refund' }).expect(201);
      expect(res.body).toMatchObject({
        status: 'requested',
        channel: 'online',
        provider: 'razorpay',
        providerPaymentId: 'pay_RefundOk0001',
        idempotencyKey: `cinic-refund-${res.body.id}`,
      });
      expect(res.body.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{10,}$/);
      expect(requested.find((event) => event.refundId === res.body.id)).toMatchObject({
        providerPaymentId: 'pay_RefundOk0001',
        amountPaise: 20_000,
        idempotencyKey: res.body.idempotencyKey,
      });
      // Nothing is booked until the money actually goes back.
      expect(await JournalEntry.countDocuments({ clinicId: system.clinicId, 'source.id': res.body.id })).toBe(0);

      expect((await markRefundProcessing(webhook, res.body.id, 'rfnd_Sandbox0001')).status).toBe('processing');
      const done = await Promise.all([
        markRefundProcessed(webhook, res.body.id, 'rfnd_Sandbox0001'),
        markRefundProcessed(webhook, res.body.id, 'rfnd_Sandbox0001'),
      ]);
      expect(done.map((entry) => entry.status)).toEqual(['processed', 'processed']);
      expect(done[0]!.creditNoteId).toBe(done[1]!.creditNoteId);
      expect(await CreditNote.countDocuments({ clinicId: system.clinicId, refundId: res.body.id })).toBe(1);
      await expect(markRefundProcessed(webhook, res.body.id, 'rfnd_Other')).rejects.toMatchObject({ status: 409 });
      expect(await findProviderRefund(system.clinicId, 'rfnd_Sandbox0001')).toMatchObject({
        id: res.body.id,
        status: 'processed',
      });
      const trial = await expectBooksBalanced(system);
      expect(balanceOf(trial, 'refunds_payable')).toBe(0);
    });

    it('give the amount back to the payment when the provider fails, once', async () => {
      const invoice = await onlineInvoice('pay_RefundFail01');
      const res = await refund(accounts, invoice.id, { amountPaise: 50_000, reason: 'full refund' }).expect(201);
      await refund(accounts, invoice.id, { amountPaise: 1, reason: 'nothing left' }).expect(422);
      const failed = await markRefundFailed(webhook, res.body.id, 'BAD_REQUEST_ERROR: payment not captured');
      expect(failed).toMatchObject({ status: 'failed', failureReason: 'BAD_REQUEST_ERROR: payment not captured' });
      await markRefundFailed(webhook, res.body.id, 'again');
      const payment = await Payment.findOne({
        clinicId: system.clinicId,
        dedupeKey: 'razorpay|pay_RefundFail01',
      }).lean<PaymentRecord>();
      expect(payment!.refundablePaise).toBe(50_000);
      await expect(markRefundProcessed(webhook, res.body.id, 'rfnd_Late')).rejects.toMatchObject({ status: 409 });
      // A new refund can be asked for.
      await refund(accounts, invoice.id, { amountPaise: 50_000, reason: 'second try' }).expect(201);
    });

    it('refund money that could not be applied (no credit note: it was never on the invoice)', async () => {
      const { invoice } = await paidInvoice([[exempt, 1]]);
      await expect(
        recordPayment(webhook, {
          invoiceId: invoice.id,
          amountPaise: 50_000,
          method: 'upi',
          provider: 'razorpay',
          providerPaymentId: 'pay_Twice00001',
        }),
      ).rejects.toMatchObject({ status: 422 });
      const unapplied = await Payment.findOne({
        clinicId: system.clinicId,
        dedupeKey: 'razorpay|pay_Twice00001',
      }).lean<PaymentRecord>();
      const back = await requestRefund(webhook, {
        invoiceId: invoice.id,
        paymentId: String(unapplied!._id),
        amountPaise: 50_000,
        reason: 'paid twice',
      });
      expect(back).toMatchObject({ status: 'requested', source: 'unapplied_payment' });
      const done = await markRefundProcessed(webhook, back.id, 'rfnd_Twice0001');
      expect(done.creditNoteId).toBeUndefined();
      expect(done.voucherNumber).toMatch(/^RFV\//);
      expect((await accounts.agent.get(`/api/v1/invoices/${invoice.id}`).expect(200)).body.creditedPaise).toBe(0);
      await expectBooksBalanced(system);
    });
  });

  describe('refunds by the cancellation rules', () => {
    const bookAndPay = async (online: boolean) => {
      const doctorId = await makeDoctor(system);
      const slotId = await makeSlot(
        system.clinicId,
        doctorId,
        inMinutes(3 * 24 * 60 + Math.floor(Math.random() * 500) * 15),
      );
      const appointment = await bookAppointment(system, {
        patientId: (await makePatient(system, 'Meena Joshi')).id,
        slotId,
        source: 'frontdesk',
      });
      const invoice = await raiseConsultationCharge(system, appointment.id, { issue: true });
      const paid = online
        ? await recordPayment(webhook, {
            invoiceId: invoice.id,
            amountPaise: 50_000,
            method: 'upi',
            provider: 'razorpay',
            providerPaymentId: `pay_Cancel${appointment.id.slice(-8)}`,
          })
        : await recordPayment({ ...accounts.actor }, { invoiceId: invoice.id, amountPaise: 50_000, method: 'cash' });
      // What the appointments side records when a payment lands (its paidPaise drives the refund due).
      await Appointment.updateOne({ _id: appointment.id }, { $set: { paidPaise: 50_000 } });
      return { appointment, invoice, payment: paid.payment };
    };

    it('requests the refund due when an appointment with a paid invoice is cancelled, once', async () => {
      const { appointment, invoice } = await bookAndPay(true);
      const cancelled = await frontdesk.agent
        .post(`/api/v1/appointments/${appointment.id}/cancel`)
        .send({ reason: 'doctor unavailable' })
        .expect(200);
      expect(cancelled.body.refund).toMatchObject({ dueAmountPaise: 50_000, reason: 'clinic_cancelled' });
      const refunds = await Refund.find({ clinicId: system.clinicId, invoiceId: invoice.id }).lean();
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({
        status: 'requested',
        source: 'cancellation',
        amountPaise: 50_000,
        channel: 'online',
      });
      // A redelivered event asks for nothing more.
      await publish('appointment.transitioned', {
        clinicId: system.clinicId,
        appointmentId: appointment.id,
        event: 'CANCEL',
        from: 'confirmed',
        to: 'cancelled',
        refundDuePaise: 50_000,
      });
      expect(await Refund.countDocuments({ clinicId: system.clinicId, invoiceId: invoice.id })).toBe(1);
    });

    it('leaves a refund of a desk payment for the desk to hand over, then pays it out', async () => {
      const { appointment, invoice } = await bookAndPay(false);
      await transitionAppointment(frontdesk.actor, appointment.id, { event: 'CANCEL', reason: 'clinic closed' });
      const waiting = await Refund.findOne({ clinicId: system.clinicId, invoiceId: invoice.id }).lean();
      expect(waiting).toMatchObject({ status: 'requested', channel: 'counter', amountPaise: 50_000 });
      await frontdesk.agent.post(`/api/v1/refunds/${String(waiting!._id)}/complete`).expect(403);
      const paidOut = await accounts.agent.post(`/api/v1/refunds/${String(waiting!._id)}/complete`).expect(200);
      expect(paidOut.body).toMatchObject({
        status: 'processed',
        voucherNumber: expect.stringMatching(/^RFV\//),
        creditNoteNumber: expect.stringMatching(/^CN\//),
      });
      await expectBooksBalanced(system);
    });
  });

  describe('correction credit notes', () => {
    it('reduce what is still due, never below what was paid, and refuse to credit an unpaid invoice whole', async () => {
      const invoice = await issuedInvoice(system, patientId, [[exempt, 2]]);
      await frontdesk.agent
        .post(`/api/v1/invoices/${invoice.id}/credit-notes`)
        .send({ amountPaise: 20_000, reason: 'wrong quantity' })
        .expect(403);
      const whole = await accounts.agent
        .post(`/api/v1/invoices/${invoice.id}/credit-notes`)
        .send({ amountPaise: 100_000, reason: 'all of it' })
        .expect(422);
      expect(whole.body.reason).toBe('void_instead');
      const corrected = await accounts.agent
        .post(`/api/v1/invoices/${invoice.id}/credit-notes`)
        .send({ amountPaise: 20_000, reason: 'priced twice' })
        .expect(201);
      expect(corrected.body.creditNote).toMatchObject({
        kind: 'correction',
        number: expect.stringMatching(/^CN\//),
        totals: { totalPaise: 20_000 },
      });
      expect(corrected.body.invoice).toMatchObject({
        status: 'issued',
        duePaise: 80_000,
        creditedPaise: 20_000,
        refundedPaise: 0,
      });
      await frontdesk.agent
        .post(`/api/v1/invoices/${invoice.id}/payments`)
        .send({ amountPaise: 60_000, method: 'cash' })
        .expect(201);
      const over = await accounts.agent
        .post(`/api/v1/invoices/${invoice.id}/credit-notes`)
        .send({ amountPaise: 20_001, reason: 'more than due' })
        .expect(422);
      expect(over.body.reason).toBe('exceeds_due');
      const settled = await accounts.agent
        .post(`/api/v1/invoices/${invoice.id}/credit-notes`)
        .send({ amountPaise: 20_000, reason: 'senior citizen rate' })
        .expect(201);
      expect(settled.body.invoice).toMatchObject({
        status: 'paid',
        duePaise: 0,
        paidPaise: 60_000,
        creditedPaise: 40_000,
      });
      const trial = await expectBooksBalanced(system);
      expect(balanceOf(trial, 'patient_receivable')).toBeGreaterThanOrEqual(0);
    });
  });
});
