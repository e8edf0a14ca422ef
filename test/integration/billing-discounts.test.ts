/**
 * Discounts with limits: per-role limits from the clinic's billing settings over the policy
 * defaults (front desk 10 %, accounts 50 %, admin any), a mandatory reason, 403 naming who may
 * approve above the limit, and an audit event for every discount (and every refusal).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDraftInvoice } from '../../src/modules/billing/invoice.service.js';
import type { Actor } from '../../src/platform/actor.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import {
  expectBooksBalanced,
  makeExemptItem,
  makeItem,
  prepareBillingClinic,
  startBillingApp,
} from '../helpers/billing.js';
import { makePatient } from '../helpers/scheduling.js';

type App = Awaited<ReturnType<typeof startBillingApp>>;

describe('discounts with limits', () => {
  let t: App;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let accounts: SignedInStaff;
  let admin: SignedInStaff;
  let patientId: string;
  let draft: (unitPricePaise?: number) => Promise<string>;

  beforeAll(async () => {
    t = await startBillingApp('billdiscounts');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    [frontdesk, accounts, admin] = await Promise.all([
      createStaffAndLogin(t, ['frontdesk']),
      createStaffAndLogin(t, ['accounts']),
      createStaffAndLogin(t, ['admin']),
    ]);
    patientId = (await makePatient(system)).id;
    const item = await makeItem(system, {
      unitPricePaise: 100_000,
      rate: { effectiveFrom: '2020-04-01', ratePercent: 18 },
    });
    draft = async () =>
      (await createDraftInvoice(system, { patientId, lines: [{ priceItemId: item.id, quantity: 1 }] })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  const discount = (who: SignedInStaff, invoiceId: string, body: Record<string, unknown>) =>
    who.agent.post(`/api/v1/invoices/${invoiceId}/discounts`).send(body);

  it('lets front desk give up to 10 % with a reason; the discount lowers the taxable value before tax', async () => {
    const id = await draft();
    const res = await discount(frontdesk, id, { percent: 10, reason: 'senior citizen' }).expect(200);
    expect(res.body.totals).toMatchObject({
      grossPaise: 100_000,
      discountPaise: 10_000,
      taxablePaise: 90_000,
      cgstPaise: 8_100,
      sgstPaise: 8_100,
      totalPaise: 106_200,
    });
    expect(res.body.discounts[0]).toMatchObject({
      discountId: 'D1',
      percentBp: 1000,
      appliedPaise: 10_000,
      reason: 'senior citizen',
    });
    const issued = await frontdesk.agent.post(`/api/v1/invoices/${id}/issue`).expect(200);
    expect(issued.body.totals.discountPaise).toBe(10_000);
    expect(issued.body.lines[0].discountPaise).toBe(10_000);
    await expectBooksBalanced(system);
  });

  it('answers 403 above the limit, naming who may approve, and audits the refusal', async () => {
    const id = await draft();
    const res = await discount(frontdesk, id, { percent: 10.5, reason: 'asked nicely' }).expect(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'forbidden', reason: 'record_rule', approvers: ['accounts', 'admin'] });
    const beyondAccounts = await discount(frontdesk, id, { percent: 60, reason: 'staff family' }).expect(403);
    expect(beyondAccounts.body.approvers).toEqual(['admin']);
    expect(await AuditEvent.countDocuments({ 'entity.id': id, action: 'invoice.discount_refused' })).toBe(2);
    // Nothing was applied.
    expect((await frontdesk.agent.get(`/api/v1/invoices/${id}`).expect(200)).body.discounts).toEqual([]);
  });

  it('counts every discount on the bill together against the limit', async () => {
    const id = await draft();
    await discount(frontdesk, id, { percent: 6, reason: 'first visit' }).expect(200);
    const second = await discount(frontdesk, id, { amountPaise: 4_001, reason: 'and a bit more' }).expect(403);
    expect(second.body.approvers).toEqual(['accounts', 'admin']);
    await discount(frontdesk, id, { amountPaise: 4_000, reason: 'up to the limit' }).expect(200);
  });

  it('lets accounts give up to 50 % and admin any amount', async () => {
    const id = await draft();
    await discount(accounts, id, { percent: 50, reason: 'hardship' }).expect(200);
    const more = await discount(accounts, id, { amountPaise: 1, reason: 'one paisa more' }).expect(403);
    expect(more.body.approvers).toEqual(['admin']);
    const all = await discount(admin, id, { percent: 100, reason: 'free camp' }).expect(200);
    expect(all.body.totals).toMatchObject({ discountPaise: 100_000, totalPaise: 0 });
    await discount(admin, id, { percent: 5, reason: 'nothing left' }).expect(422);
  });

  it('reads the limits from the clinic settings, which override the policy defaults', async () => {
    await frontdesk.agent
      .patch('/api/v1/clinic/settings/billing')
      .send({ discountLimitsPercent: { frontdesk: 20 } })
      .expect(403);
    const settings = await admin.agent
      .patch('/api/v1/clinic/settings/billing')
      .send({ discountLimitsPercent: { frontdesk: 15, accounts: 30 } })
      .expect(200);
    expect(settings.body.billing.discountLimitsPercent).toEqual({ frontdesk: 15, pharmacy: 5, accounts: 30 });
    const id = await draft();
    await discount(frontdesk, id, { percent: 15, reason: 'clinic policy' }).expect(200);
    const other = await draft();
    expect(
      (await discount(accounts, other, { percent: 31, reason: 'over the new limit' }).expect(403)).body.approvers,
    ).toEqual(['admin']);
    expect(await AuditEvent.countDocuments({ action: 'clinic.billing_settings_changed' })).toBe(1);
    await admin.agent
      .patch('/api/v1/clinic/settings/billing')
      .send({ discountLimitsPercent: { frontdesk: 10, accounts: 50 } })
      .expect(200);
  });

  it('discounts one line when asked, leaving the others whole', async () => {
    const exempt = await makeExemptItem(system, 40_000);
    const taxable = await makeItem(system, {
      unitPricePaise: 10_000,
      rate: { effectiveFrom: '2020-04-01', ratePercent: 12 },
    });
    const id = (
      await createDraftInvoice(system, {
        patientId,
        lines: [
          { priceItemId: exempt.id, quantity: 1 },
          { priceItemId: taxable.id, quantity: 1 },
        ],
      })
    ).id;
    const res = await discount(frontdesk, id, { lineId: 'L2', percent: 40, reason: 'near expiry' }).expect(200);
    expect(res.body.lines.map((line: { discountPaise: number }) => line.discountPaise)).toEqual([0, 4_000]);
    expect(res.body.totals.discountPaise).toBe(4_000);
    await discount(frontdesk, id, { lineId: 'L9', percent: 1, reason: 'no such line' }).expect(404);
  });

  it('requires a reason and exactly one of percent or amount (400); audits every discount', async () => {
    const id = await draft();
    await discount(frontdesk, id, { percent: 5 }).expect(400);
    await discount(frontdesk, id, { percent: 5, amountPaise: 100, reason: 'both given' }).expect(400);
    await discount(frontdesk, id, { percent: 0, reason: 'nothing' }).expect(400);
    await discount(frontdesk, id, { percent: 5, reason: 'loyal patient' }).expect(200);
    const events = await AuditEvent.find({ 'entity.id': id, action: 'invoice.discount_applied' }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]!.diff).toEqual(
      expect.arrayContaining([
        { field: 'percentBp', to: 500 },
        { field: 'appliedPaise', to: 5_000 },
        { field: 'reason', to: 'loyal patient' },
      ]),
    );
    expect(events[0]!.actor).toMatchObject({ id: frontdesk.staff.id, roles: ['frontdesk'] });
  });
});
