/**
 * The ledger: append-only, balanced postings from billing only, a trial balance that sums to
 * zero after every operation, and daily revenue figures read from it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyDiscount } from '../../src/modules/billing/discount.service.js';
import { issueInvoice, voidInvoice } from '../../src/modules/billing/invoice-issue.service.js';
import { createDraftInvoice } from '../../src/modules/billing/invoice.service.js';
import { recordPayment } from '../../src/modules/billing/payment.service.js';
import { requestRefund } from '../../src/modules/billing/refund.service.js';
import { JournalEntry } from '../../src/modules/ledger/journal.model.js';
import { post, postingsFor } from '../../src/modules/ledger/ledger.service.js';
import { addLocalDays, localDateOf, zonedTimeToUtc } from '../../src/modules/scheduling/clinic-time.js';
import type { Actor } from '../../src/platform/actor.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import {
  balanceOf,
  expectBooksBalanced,
  makeExemptItem,
  makeItem,
  prepareBillingClinic,
  startBillingApp,
} from '../helpers/billing.js';
import { makePatient } from '../helpers/scheduling.js';

type App = Awaited<ReturnType<typeof startBillingApp>>;

describe('the ledger', () => {
  let t: App;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let accounts: SignedInStaff;
  let patientId: string;
  const today = localDateOf(new Date(), 'Asia/Kolkata');
  const dayA = addLocalDays(today, -3);

  beforeAll(async () => {
    t = await startBillingApp('billledger');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    [frontdesk, accounts] = await Promise.all([
      createStaffAndLogin(t, ['frontdesk']),
      createStaffAndLogin(t, ['accounts']),
    ]);
    patientId = (await makePatient(system)).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('balances after every operation, and the revenue report reads gross, discount, returns, net and refunds from it', async () => {
    const taxable = await makeItem(system, {
      unitPricePaise: 10_000,
      rate: { effectiveFrom: '2020-04-01', ratePercent: 18 },
    });
    const exempt = await makeExemptItem(system, 50_000);
    const at = zonedTimeToUtc(dayA, '11:00', 'Asia/Kolkata');

    // Day A: a discounted tax invoice paid in cash, and a bill of supply issued (voided today).
    const first = await createDraftInvoice(system, { patientId, lines: [{ priceItemId: taxable.id, quantity: 2 }] });
    await applyDiscount(frontdesk.actor, first.id, { percent: 10, reason: 'camp discount' });
    await expectBooksBalanced(system);
    const invoice = await issueInvoice(system, first.id, { at });
    expect(invoice.totals).toMatchObject({
      grossPaise: 20_000,
      discountPaise: 2_000,
      taxablePaise: 18_000,
      taxPaise: 3_240,
      totalPaise: 21_240,
    });
    let trial = await expectBooksBalanced(system);
    expect(balanceOf(trial, 'patient_receivable')).toBe(21_240);
    expect(balanceOf(trial, 'discounts_allowed')).toBe(2_000);
    expect(balanceOf(trial, 'other_revenue')).toBe(-20_000);
    expect(balanceOf(trial, 'output_cgst')).toBe(-1_620);

    await recordPayment(frontdesk.actor, {
      invoiceId: invoice.id,
      amountPaise: 21_240,
      method: 'cash',
      receivedAt: at,
    });
    trial = await expectBooksBalanced(system);
    expect([balanceOf(trial, 'patient_receivable'), balanceOf(trial, 'cash')]).toEqual([0, 21_240]);

    const second = await issueInvoice(
      system,
      (await createDraftInvoice(system, { patientId, lines: [{ priceItemId: exempt.id, quantity: 1 }] })).id,
      { at },
    );
    await expectBooksBalanced(system);

    // Today: the bill of supply is voided and half of the tax invoice refunded in cash.
    await voidInvoice(accounts.actor, second.id, 'issued by mistake');
    // The void reverses the issue posting exactly.
    const [issuePosting, voidPosting] = await postingsFor(system.clinicId, 'invoice', second.id);
    expect([issuePosting!.kind, voidPosting!.kind]).toEqual(['invoice', 'invoice_void']);
    expect(voidPosting!.lines.map((entry) => [entry.account, entry.creditPaise, entry.debitPaise])).toEqual(
      issuePosting!.lines.map((entry) => [entry.account, entry.debitPaise, entry.creditPaise]),
    );
    trial = await expectBooksBalanced(system);
    expect(balanceOf(trial, 'other_revenue')).toBe(-20_000);
    const refund = await requestRefund(accounts.actor, {
      invoiceId: invoice.id,
      amountPaise: 10_620,
      reason: 'one strip returned',
    });
    expect(refund.status).toBe('processed');
    trial = await expectBooksBalanced(system);
    expect([
      balanceOf(trial, 'cash'),
      balanceOf(trial, 'refunds_payable'),
      balanceOf(trial, 'output_cgst'),
      balanceOf(trial, 'other_revenue'),
    ]).toEqual([10_620, 0, -810, -11_000]);

    const report = await frontdesk.agent.get(`/api/v1/reports/revenue?from=${dayA}&to=${today}`).expect(200);
    expect(report.body.days).toHaveLength(4);
    expect(report.body.days[0]).toEqual({
      date: dayA,
      grossPaise: 70_000,
      discountPaise: 2_000,
      returnsPaise: 0,
      netPaise: 68_000,
      taxPaise: 3_240,
      collectedPaise: 21_240,
      refundedPaise: 0,
    });
    expect(report.body.days[1]).toMatchObject({ grossPaise: 0, netPaise: 0, collectedPaise: 0 });
    expect(report.body.days[3]).toEqual({
      date: today,
      grossPaise: -50_000,
      discountPaise: 0,
      returnsPaise: 9_000,
      netPaise: -59_000,
      taxPaise: -1_620,
      collectedPaise: 0,
      refundedPaise: 10_620,
    });
    expect(report.body.totals).toEqual({
      grossPaise: 20_000,
      discountPaise: 2_000,
      returnsPaise: 9_000,
      netPaise: 9_000,
      taxPaise: 1_620,
      collectedPaise: 21_240,
      refundedPaise: 10_620,
    });

    const api = await accounts.agent.get('/api/v1/ledger/trial-balance').expect(200);
    expect(api.body).toMatchObject({ balanced: true, totals: { balancePaise: 0 } });
    expect(api.body.accounts.map((row: { account: string }) => row.account)).toContain('razorpay_clearing');
    const earlier = await accounts.agent.get(`/api/v1/ledger/trial-balance?asOf=${dayA}`).expect(200);
    expect(earlier.body).toMatchObject({ asOf: dayA, balanced: true });
    expect(earlier.body.accounts.find((row: { account: string }) => row.account === 'cash').balancePaise).toBe(21_240);
  });

  it('is append-only: the model refuses updates, deletes, re-saves and bulk inserts', async () => {
    const entry = await JournalEntry.findOne({ clinicId: system.clinicId });
    expect(entry).not.toBeNull();
    await expect(JournalEntry.updateOne({ _id: entry!._id }, { $set: { memo: 'edited' } })).rejects.toMatchObject({
      code: 'ledger_append_only',
    });
    await expect(
      JournalEntry.findOneAndUpdate({ _id: entry!._id }, { $set: { memo: 'edited' } }),
    ).rejects.toMatchObject({ code: 'ledger_append_only' });
    await expect(JournalEntry.deleteOne({ _id: entry!._id })).rejects.toMatchObject({ code: 'ledger_append_only' });
    await expect(JournalEntry.deleteMany({ clinicId: system.clinicId })).rejects.toMatchObject({
      code: 'ledger_append_only',
    });
    await expect(JournalEntry.insertMany([{}])).rejects.toMatchObject({ code: 'ledger_append_only' });
    entry!.set('memo', 'edited');
    await expect(entry!.save()).rejects.toMatchObject({ code: 'ledger_append_only' });
  });

  it('refuses unbalanced postings (service and model) and posts each source once', async () => {
    const base = {
      clinicId: system.clinicId,
      kind: 'payment' as const,
      source: { type: 'test', id: 'x' },
      localDate: today,
      postedAt: new Date(),
    };
    await expect(
      post({
        ...base,
        sourceKey: 'test|unbalanced',
        lines: [
          { account: 'cash', debitPaise: 100, creditPaise: 0 },
          { account: 'patient_receivable', debitPaise: 0, creditPaise: 99 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'ledger_unbalanced' });
    await expect(
      JournalEntry.create({
        ...base,
        sourceKey: 'test|model',
        lines: [
          { account: 'cash', debitPaise: 100, creditPaise: 0 },
          { account: 'bank', debitPaise: 0, creditPaise: 1 },
        ],
      }),
    ).rejects.toThrow(/unbalanced posting/);
    const lines = [
      { account: 'cash' as const, debitPaise: 500, creditPaise: 0 },
      { account: 'bank' as const, debitPaise: 0, creditPaise: 500 },
    ];
    const [a, b] = await Promise.all([
      post({ ...base, sourceKey: 'test|once', lines }),
      post({ ...base, sourceKey: 'test|once', lines }),
    ]);
    expect(String(a!._id)).toBe(String(b!._id));
    expect(await JournalEntry.countDocuments({ clinicId: system.clinicId, sourceKey: 'test|once' })).toBe(1);
    await expectBooksBalanced(system);
  });

  it('guards its API: roles (403), session (401) and query validation (400/422)', async () => {
    await frontdesk.agent.get('/api/v1/ledger/trial-balance').expect(403);
    await t.http.get('/api/v1/ledger/trial-balance').expect(401);
    await frontdesk.agent.get('/api/v1/reports/revenue').expect(400);
    await frontdesk.agent.get('/api/v1/reports/revenue?from=2026-02-30&to=2026-03-01').expect(400);
    await frontdesk.agent.get(`/api/v1/reports/revenue?from=${today}&to=${dayA}`).expect(422);
    await frontdesk.agent.get('/api/v1/reports/revenue?from=2024-01-01&to=2026-01-01').expect(422);
  });
});
