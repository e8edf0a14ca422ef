/**
 * Invoice numbers: consecutive per series and financial year, allocated at issue, with no gap
 * and no duplicate under concurrency, restarting at 0001 on 1 April (Asia/Kolkata).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { allocateNumber } from '../../src/modules/billing/document-numbers.js';
import { DocumentNumber } from '../../src/modules/billing/document-number.model.js';
import { issueInvoice } from '../../src/modules/billing/invoice-issue.service.js';
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

function seqOf(number: string): number {
  return Number(number.split('/').at(-1));
}

describe('document numbering', () => {
  let t: App;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let patientId: string;

  beforeAll(async () => {
    t = await startBillingApp('billnumbers');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    patientId = (await makePatient(system)).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives 50 invoices issued at once 50 consecutive numbers, no gap, no duplicate', async () => {
    const item = await makeItem(system);
    const drafts = await Promise.all(
      Array.from({ length: 50 }, () =>
        createDraftInvoice(system, { patientId, lines: [{ priceItemId: item.id, quantity: 1 }] }),
      ),
    );
    const issued = await Promise.all(drafts.map((draft) => frontdesk.agent.post(`/api/v1/invoices/${draft.id}/issue`)));
    expect(issued.map((res) => res.status)).toEqual(drafts.map(() => 200));
    const numbers = issued.map((res) => res.body.number as string);
    expect(new Set(numbers).size).toBe(50);
    const seqs = numbers.map(seqOf).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(numbers.every((number) => /^INV\/\d{4}-\d{2}\/\d{4}$/.test(number))).toBe(true);
    await expectBooksBalanced(system);
  }, 120_000);

  it('never spends a second number on one invoice: issuing a draft 10 times at once issues it once', async () => {
    const item = await makeExemptItem(system);
    const draft = await createDraftInvoice(system, { patientId, lines: [{ priceItemId: item.id, quantity: 1 }] });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => frontdesk.agent.post(`/api/v1/invoices/${draft.id}/issue`)),
    );
    // Whoever arrives while it is being issued finishes the same issue (200, same number); later ones get 409.
    expect(results.every((res) => res.status === 200 || res.status === 409)).toBe(true);
    const numbers = new Set(results.filter((res) => res.status === 200).map((res) => res.body.number as string));
    expect(numbers.size).toBe(1);
    const [winner] = [...numbers];
    // The rest lost the claim (stale_version) or came after it (already_issued, naming the number).
    for (const res of results.filter((entry) => entry.status === 409)) {
      expect(
        res.body.reason === 'stale_version' || (res.body.reason === 'already_issued' && res.body.number === winner),
      ).toBe(true);
    }
    expect(await DocumentNumber.countDocuments({ clinicId: system.clinicId, documentKey: `invoice|${draft.id}` })).toBe(
      1,
    );
    expect(await AuditEvent.countDocuments({ 'entity.id': draft.id, action: 'invoice.issued' })).toBe(1);
    // The next bill of supply follows directly.
    const next = await issueInvoice(
      system,
      (await createDraftInvoice(system, { patientId, lines: [{ priceItemId: item.id, quantity: 1 }] })).id,
    );
    expect(seqOf(next.number!)).toBe(seqOf(winner!) + 1);
  });

  it('starts a new series at 0001 on 1 April: 31 March 23:59 IST and 1 April 00:00 IST fall in different years', async () => {
    const item = await makeExemptItem(system);
    const draft = () => createDraftInvoice(system, { patientId, lines: [{ priceItemId: item.id, quantity: 1 }] });
    const march = await issueInvoice(system, (await draft()).id, { at: new Date('2028-03-31T18:29:00Z') });
    const marchLast = await issueInvoice(system, (await draft()).id, { at: new Date('2028-03-31T18:29:59Z') });
    const april = await issueInvoice(system, (await draft()).id, { at: new Date('2028-03-31T18:30:00Z') });
    const aprilNext = await issueInvoice(system, (await draft()).id, { at: new Date('2028-04-01T09:00:00Z') });
    expect([march.invoiceDate, march.number]).toEqual(['2028-03-31', 'BOS/2027-28/0001']);
    expect(marchLast.number).toBe('BOS/2027-28/0002');
    expect([april.invoiceDate, april.number]).toEqual(['2028-04-01', 'BOS/2028-29/0001']);
    expect(aprilNext.number).toBe('BOS/2028-29/0002');
  });

  it('returns the same number to a retried allocation, and keeps series apart', async () => {
    const first = await allocateNumber(system.clinicId, 'RFV', '2030-06-01', 'test|a');
    const retried = await allocateNumber(system.clinicId, 'RFV', '2030-06-01', 'test|a');
    const second = await allocateNumber(system.clinicId, 'RFV', '2030-06-02', 'test|b');
    const otherSeries = await allocateNumber(system.clinicId, 'CN', '2030-06-02', 'test|c');
    expect([first.number, retried.number, second.number, otherSeries.number]).toEqual([
      'RFV/2030-31/0001',
      'RFV/2030-31/0001',
      'RFV/2030-31/0002',
      'CN/2030-31/0001',
    ]);
    // Another process took the next number: this process's remembered head is stale, collides, and is re-read.
    await DocumentNumber.create({
      clinicId: system.clinicId,
      series: 'RFV',
      financialYear: '2030-31',
      seq: 3,
      number: 'RFV/2030-31/0003',
      documentKey: 'other-process|x',
    });
    expect((await allocateNumber(system.clinicId, 'RFV', '2030-06-03', 'test|d')).number).toBe('RFV/2030-31/0004');
  });
});
