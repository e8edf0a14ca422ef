/**
 * Payments: desk payments with receipt vouchers, idempotent online payments (the Razorpay
 * webhook's seam), no over-payment under concurrency, status moves, and the books after each.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createDraftInvoice } from '../../src/modules/billing/invoice.service.js';
import { Payment } from '../../src/modules/billing/payment.model.js';
import { findProviderPayment } from '../../src/modules/billing/payment-read.service.js';
import { recordPayment } from '../../src/modules/billing/payment.service.js';
import { JournalEntry } from '../../src/modules/ledger/journal.model.js';
import { systemActor } from '../../src/platform/actor.js';
import type { Actor } from '../../src/platform/actor.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { subscribe } from '../../src/platform/domain-events.js';
import type { DomainEvents } from '../../src/platform/domain-events.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import {
  balanceOf,
  expectBooksBalanced,
  issuedInvoice,
  makeItem,
  prepareBillingClinic,
  startBillingApp,
} from '../helpers/billing.js';
import { makePatient } from '../helpers/scheduling.js';

type App = Awaited<ReturnType<typeof startBillingApp>>;

describe('payments', () => {
  let t: App;
  let system: Actor;
  let webhook: Actor;
  let frontdesk: SignedInStaff;
  let doctor: SignedInStaff;
  let patientId: string;
  let item: Awaited<ReturnType<typeof makeItem>>;
  const recorded: DomainEvents['payment.recorded'][] = [];

  beforeAll(async () => {
    t = await startBillingApp('billpayments');
    system = await testSystemActor();
    webhook = systemActor(system.clinicId, 'webhook:razorpay');
    await prepareBillingClinic(system);
    [frontdesk, doctor] = await Promise.all([
      createStaffAndLogin(t, ['frontdesk']),
      createStaffAndLogin(t, ['doctor']),
    ]);
    patientId = (await makePatient(system)).id;
    item = await makeItem(system, { unitPricePaise: 100_000, rate: { effectiveFrom: '2020-04-01', exempt: true } });
    subscribe('payment.recorded', 'test-payments', (payload) => {
      recorded.push(payload);
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const pay = (invoiceId: string, body: Record<string, unknown>, key?: string) => {
    const request = frontdesk.agent.post(`/api/v1/invoices/${invoiceId}/payments`);
    if (key) request.set('Idempotency-Key', key);
    return request.send(body);
  };

  it('records desk payments with receipt vouchers and moves the invoice issued → partially_paid → paid', async () => {
    const invoice = await issuedInvoice(system, patientId, [[item, 1]]);
    expect(invoice.status).toBe('issued');
    const first = await pay(invoice.id, { amountPaise: 40_000, method: 'cash' }).expect(201);
    expect(first.body.payment).toMatchObject({
      status: 'recorded',
      amountPaise: 40_000,
      method: 'cash',
      channel: 'counter',
      receiptNumber: expect.stringMatching(/^RCT\/\d{4}-\d{2}\/\d{4}$/),
    });
    expect(first.body.invoice).toMatchObject({ status: 'partially_paid', paidPaise: 40_000, duePaise: 60_000 });
    const second = await pay(invoice.id, { amountPaise: 60_000, method: 'card', reference: 'APPR 771204' }).expect(201);
    expect(second.body.invoice).toMatchObject({ status: 'paid', paidPaise: 100_000, duePaise: 0 });
    expect(second.body.payment.receiptNumber).not.toBe(first.body.payment.receiptNumber);

    const receipt = await frontdesk.agent
      .get(`/api/v1/payments/${first.body.payment.id}/receipt.pdf`)
      .buffer(true)
      .expect(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    expect(
      existsSync(path.join(t.documentsDir, 'clinics', system.clinicId, 'receipts', `${first.body.payment.id}.pdf`)),
    ).toBe(true);
    const trial = await expectBooksBalanced(system);
    expect(balanceOf(trial, 'cash')).toBe(40_000);
    expect(balanceOf(trial, 'bank')).toBe(60_000);
    expect(await AuditEvent.countDocuments({ 'entity.id': first.body.payment.id, action: 'payment.recorded' })).toBe(1);
    expect(recorded.filter((event) => event.invoiceId === invoice.id).map((event) => event.invoiceStatus)).toEqual([
      'partially_paid',
      'paid',
    ]);
  });

  it('refuses over-payment (422), payment of drafts and void invoices (409), bad bodies (400) and roles without the grant (403)', async () => {
    const invoice = await issuedInvoice(system, patientId, [[item, 1]]);
    const over = await pay(invoice.id, { amountPaise: 100_001, method: 'cash' }).expect(422);
    expect(over.body).toMatchObject({ reason: 'overpayment', duePaise: 100_000 });
    await pay(invoice.id, { amountPaise: 0, method: 'cash' }).expect(400);
    await pay(invoice.id, { amountPaise: 100, method: 'bitcoin' }).expect(400);
    await pay(invoice.id, { amountPaise: 10.5, method: 'cash' }).expect(400);
    await doctor.agent
      .post(`/api/v1/invoices/${invoice.id}/payments`)
      .send({ amountPaise: 100, method: 'cash' })
      .expect(403);
    await pay('0123456789abcdef01234567', { amountPaise: 100, method: 'cash' }).expect(404);
    const draft = await createDraftInvoice(system, { patientId, lines: [{ priceItemId: item.id, quantity: 1 }] });
    expect((await pay(draft.id, { amountPaise: 100, method: 'cash' }).expect(409)).body.reason).toBe(
      'invoice_not_issued',
    );
    await pay(invoice.id, { amountPaise: 100_000, method: 'upi' }).expect(201);
    expect((await pay(invoice.id, { amountPaise: 1, method: 'cash' }).expect(422)).body).toMatchObject({
      status: 422,
      currentStatus: 'paid',
    });
  });

  it('records one payment for a desk request retried with the same Idempotency-Key', async () => {
    const invoice = await issuedInvoice(system, patientId, [[item, 1]]);
    const key = `desk-${invoice.id}`;
    const first = await pay(invoice.id, { amountPaise: 30_000, method: 'cash' }, key).expect(201);
    const again = await pay(invoice.id, { amountPaise: 30_000, method: 'cash' }, key).expect(200);
    expect(again.body).toMatchObject({ created: false, payment: { id: first.body.payment.id } });
    await pay(invoice.id, { amountPaise: 31_000, method: 'cash' }, key).expect(409);
    await pay(invoice.id, { amountPaise: 30_000, method: 'cash' }, 'bad key!').expect(400);
    expect(await Payment.countDocuments({ clinicId: system.clinicId, invoiceId: invoice.id })).toBe(1);
  });

  it('records one payment when the webhook delivers the same Razorpay payment 5 times at once', async () => {
    const invoice = await issuedInvoice(system, patientId, [[item, 1]]);
    const input = {
      invoiceId: invoice.id,
      amountPaise: 100_000,
      method: 'upi' as const,
      provider: 'razorpay' as const,
      providerPaymentId: 'pay_SandboxAAA001',
      paymentLinkId: 'plink_SandboxAAA001',
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => recordPayment(webhook, input)));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.payment.id)).size).toBe(1);
    expect(results.every((result) => result.invoice.status === 'paid' || result.invoice.paidPaise === 100_000)).toBe(
      true,
    );
    expect(await Payment.countDocuments({ clinicId: system.clinicId, dedupeKey: 'razorpay|pay_SandboxAAA001' })).toBe(
      1,
    );
    expect(
      await JournalEntry.countDocuments({ clinicId: system.clinicId, sourceKey: `payment|${results[0]!.payment.id}` }),
    ).toBe(1);
    expect(await AuditEvent.countDocuments({ 'entity.id': results[0]!.payment.id, action: 'payment.recorded' })).toBe(
      1,
    );
    expect(recorded.filter((event) => event.invoiceId === invoice.id)).toHaveLength(1);
    // A sixth delivery later is answered the same way.
    const later = await recordPayment(webhook, input);
    expect(later).toMatchObject({
      created: false,
      payment: { id: results[0]!.payment.id, receiptNumber: results[0]!.payment.receiptNumber },
    });
    expect(await findProviderPayment(system.clinicId, 'razorpay', 'pay_SandboxAAA001')).toMatchObject({
      id: results[0]!.payment.id,
      channel: 'online',
    });
    await expect(recordPayment(webhook, { ...input, amountPaise: 99_999 })).rejects.toMatchObject({ status: 409 });
    expect(balanceOf(await expectBooksBalanced(system), 'razorpay_clearing')).toBeGreaterThanOrEqual(100_000);
  });

  it('never lets concurrent payments overshoot the invoice', async () => {
    const invoice = await issuedInvoice(system, patientId, [[item, 1]]);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => pay(invoice.id, { amountPaise: 30_000, method: i % 2 ? 'cash' : 'upi' })),
    );
    expect(results.filter((res) => res.status === 201)).toHaveLength(3);
    expect(results.filter((res) => res.status === 422)).toHaveLength(7);
    const stored = await frontdesk.agent.get(`/api/v1/invoices/${invoice.id}`).expect(200);
    expect(stored.body).toMatchObject({ paidPaise: 90_000, duePaise: 10_000, status: 'partially_paid' });
    const payments = await frontdesk.agent.get(`/api/v1/invoices/${invoice.id}/payments`).expect(200);
    expect(payments.body.items.filter((payment: { status: string }) => payment.status === 'recorded')).toHaveLength(3);
    await expectBooksBalanced(system);
  });

  it('keeps online money that cannot be applied as unapplied (owed back), books it, and refuses with 422', async () => {
    const invoice = await issuedInvoice(system, patientId, [[item, 1]]);
    await pay(invoice.id, { amountPaise: 100_000, method: 'cash' }).expect(201);
    const input = {
      invoiceId: invoice.id,
      amountPaise: 50_000,
      method: 'card' as const,
      provider: 'razorpay' as const,
      providerPaymentId: 'pay_SandboxLate01',
    };
    await expect(recordPayment(webhook, input)).rejects.toMatchObject({
      status: 422,
      details: { reason: 'overpayment', paymentStatus: 'unapplied' },
    });
    await expect(recordPayment(webhook, input)).rejects.toMatchObject({
      status: 422,
      details: { paymentStatus: 'unapplied' },
    });
    const unapplied = await findProviderPayment(system.clinicId, 'razorpay', 'pay_SandboxLate01');
    expect(unapplied).toMatchObject({ status: 'unapplied', refundablePaise: 50_000 });
    expect(
      await JournalEntry.countDocuments({ clinicId: system.clinicId, sourceKey: `payment-unapplied|${unapplied!.id}` }),
    ).toBe(1);
    expect((await frontdesk.agent.get(`/api/v1/invoices/${invoice.id}`).expect(200)).body.paidPaise).toBe(100_000);
    await expectBooksBalanced(system);
  });
});
