/**
 * Price list, drafts, document types, issue, immutability, void and PDFs — through the real API
 * against the real local MongoDB-wire server.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, rmSync } from 'node:fs';
import { Types } from 'mongoose';
import path from 'node:path';
import { Clinic } from '../../src/modules/clinics/clinic.model.js';
import {
  invoiceForAppointment,
  raiseConsultationCharge,
} from '../../src/modules/billing/consultation-charge.service.js';
import { Invoice } from '../../src/modules/billing/invoice.model.js';
import type { InvoiceRecord } from '../../src/modules/billing/invoice.model.js';
import { issueInvoice } from '../../src/modules/billing/invoice-issue.service.js';
import { createDraftInvoice } from '../../src/modules/billing/invoice.service.js';
import { bookAppointment } from '../../src/modules/appointments/appointment.service.js';
import type { Actor } from '../../src/platform/actor.js';
import { AuditEvent } from '../../src/platform/audit/audit-event.model.js';
import { publish } from '../../src/platform/domain-events.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import {
  expectBooksBalanced,
  issuedInvoice,
  makeExemptItem,
  makeItem,
  prepareBillingClinic,
  startBillingApp,
} from '../helpers/billing.js';
import { inMinutes, makeDoctor, makePatient, makeSlot } from '../helpers/scheduling.js';

type App = Awaited<ReturnType<typeof startBillingApp>>;

describe('invoices through the API', () => {
  let t: App;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let accounts: SignedInStaff;
  let patientId: string;

  beforeAll(async () => {
    t = await startBillingApp('billinvoices');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    accounts = await createStaffAndLogin(t, ['accounts']);
    patientId = (await makePatient(system, 'Ravi Shankar')).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('documents every billing route in the OpenAPI document', async () => {
    const paths = Object.keys((await t.http.get('/api/openapi.json').expect(200)).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/invoices',
        '/api/v1/invoices/{id}',
        '/api/v1/invoices/{id}/pdf',
        '/api/v1/invoices/{id}/issue',
        '/api/v1/invoices/{id}/discounts',
        '/api/v1/invoices/{id}/void',
        '/api/v1/invoices/{id}/payments',
        '/api/v1/invoices/{id}/refunds',
        '/api/v1/invoices/{id}/credit-notes',
        '/api/v1/payments/{id}/receipt.pdf',
        '/api/v1/refunds/{id}/voucher.pdf',
        '/api/v1/credit-notes/{id}/pdf',
        '/api/v1/price-items',
        '/api/v1/price-items/{id}/rates',
        '/api/v1/ledger/trial-balance',
        '/api/v1/reports/revenue',
        '/api/v1/clinic/settings/billing',
      ]),
    );
  });

  describe('price list', () => {
    it('lets accounts add items with a SAC/HSN code and GST rate history; front desk only reads', async () => {
      const created = await accounts.agent
        .post('/api/v1/price-items')
        .send({
          code: 'para-500',
          name: 'Paracetamol 500 mg (strip of 10)',
          kind: 'pharmacy',
          taxCode: { scheme: 'HSN', code: '30049099' },
          unitPricePaise: 3_500,
          unit: 'strip',
          rate: { effectiveFrom: '2025-04-01', ratePercent: 12 },
        })
        .expect(201);
      expect(created.body).toMatchObject({
        code: 'PARA-500',
        kind: 'pharmacy',
        unitPricePaise: 3_500,
        currentRate: { rateBp: 1200, exempt: false, ratePercent: '12' },
      });

      const later = await accounts.agent
        .post(`/api/v1/price-items/${created.body.id}/rates`)
        .send({ effectiveFrom: '2025-09-22', ratePercent: 5 })
        .expect(201);
      expect(
        later.body.rates.map((rate: { effectiveFrom: string; rateBp: number }) => [rate.effectiveFrom, rate.rateBp]),
      ).toEqual([
        ['2025-04-01', 1200],
        ['2025-09-22', 500],
      ]);
      expect(later.body.currentRate.rateBp).toBe(500);
      await accounts.agent
        .post(`/api/v1/price-items/${created.body.id}/rates`)
        .send({ effectiveFrom: '2025-09-22', ratePercent: 18 })
        .expect(409);
      await accounts.agent
        .post('/api/v1/price-items')
        .send({
          code: 'PARA-500',
          name: 'Duplicate',
          kind: 'other',
          taxCode: { scheme: 'SAC', code: '9993' },
          unitPricePaise: 1,
          rate: { exempt: true },
        })
        .expect(409);

      await frontdesk.agent
        .post('/api/v1/price-items')
        .send({ code: 'X-1', name: 'Nope', kind: 'consultation', unitPricePaise: 1 })
        .expect(403);
      const list = await frontdesk.agent.get('/api/v1/price-items?kind=pharmacy').expect(200);
      expect(list.body.items.map((item: { code: string }) => item.code)).toContain('PARA-500');
      const patched = await accounts.agent
        .patch(`/api/v1/price-items/${created.body.id}`)
        .send({ unitPricePaise: 3_800, version: later.body.version })
        .expect(200);
      expect(patched.body.unitPricePaise).toBe(3_800);
      await accounts.agent
        .patch(`/api/v1/price-items/${created.body.id}`)
        .send({ unitPricePaise: 3_900, version: later.body.version })
        .expect(409);
      expect(
        await AuditEvent.countDocuments({
          'entity.id': created.body.id,
          action: { $in: ['price_item.created', 'price_item.rate_added', 'price_item.updated'] },
        }),
      ).toBe(3);
    });

    it('validates codes and rates (400) and the kind of code (422)', async () => {
      await accounts.agent
        .post('/api/v1/price-items')
        .send({
          code: 'BAD',
          name: 'Bad rate',
          kind: 'pharmacy',
          taxCode: { scheme: 'HSN', code: '3004' },
          unitPricePaise: 1,
          rate: { ratePercent: 12.345 },
        })
        .expect(400);
      await accounts.agent
        .post('/api/v1/price-items')
        .send({
          code: 'BAD',
          name: 'Bad code',
          kind: 'pharmacy',
          taxCode: { scheme: 'HSN', code: '30' },
          unitPricePaise: 1,
          rate: { ratePercent: 12 },
        })
        .expect(400);
      const wrongScheme = await accounts.agent
        .post('/api/v1/price-items')
        .send({
          code: 'BAD',
          name: 'Goods by SAC',
          kind: 'pharmacy',
          taxCode: { scheme: 'SAC', code: '9993' },
          unitPricePaise: 1,
          rate: { ratePercent: 12 },
        })
        .expect(422);
      expect(wrongScheme.body.detail).toMatch(/HSN/);
      await accounts.agent.get('/api/v1/price-items/0123456789abcdef01234567').expect(404);
    });
  });

  describe('document types and numbers', () => {
    it('issues a bill of supply for exempt lines, a tax invoice for taxable ones and an invoice-cum-bill of supply for both, each from its own series', async () => {
      const exempt = await makeExemptItem(system);
      const taxable = await makeItem(system, {
        unitPricePaise: 20_000,
        rate: { effectiveFrom: '2020-04-01', ratePercent: 18 },
      });
      const cases: [string, { priceItemId: string; quantity: number }[], string, string, string][] = [
        ['exempt only', [{ priceItemId: exempt.id, quantity: 1 }], 'bill_of_supply', 'Bill of Supply', 'BOS'],
        ['taxable only', [{ priceItemId: taxable.id, quantity: 2 }], 'tax_invoice', 'Tax Invoice', 'INV'],
        [
          'mixed',
          [
            { priceItemId: exempt.id, quantity: 1 },
            { priceItemId: taxable.id, quantity: 1 },
          ],
          'invoice_cum_bill_of_supply',
          'Invoice-cum-Bill of Supply',
          'IBS',
        ],
      ];
      for (const [, lines, type, title, series] of cases) {
        const draft = await frontdesk.agent.post('/api/v1/invoices').send({ patientId, lines }).expect(201);
        expect(draft.body).toMatchObject({ status: 'draft', documentType: type, documentTitle: title });
        expect(draft.body.number).toBeUndefined();
        const issued = await frontdesk.agent.post(`/api/v1/invoices/${draft.body.id}/issue`).expect(200);
        expect(issued.body).toMatchObject({
          status: 'issued',
          documentType: type,
          number: expect.stringMatching(new RegExp(`^${series}/\\d{4}-\\d{2}/\\d{4}$`)),
        });
        expect(issued.body.number.length).toBeLessThanOrEqual(16);
        expect(issued.body.supplier).toMatchObject({
          name: 'Sunrise Family Clinic',
          gstin: '29ABCDE1234F1Z5',
          stateCode: '29',
          stateName: 'Karnataka',
        });
        expect(issued.body.patient.name).toBe('Ravi Shankar');
        // The name is on the document, but encrypted at rest.
        const raw = await Invoice.collection.findOne({ _id: new Types.ObjectId(draft.body.id as string) });
        expect(JSON.stringify(raw)).not.toContain('Ravi');
        expect(issued.body.duePaise).toBe(issued.body.totals.totalPaise);
      }
      await expectBooksBalanced(system);
    });

    it('charges CGST + SGST within the clinic state and IGST for a patient in another state', async () => {
      const item = await makeItem(system, {
        unitPricePaise: 10_000,
        rate: { effectiveFrom: '2020-04-01', ratePercent: 18 },
      });
      const intra = await issuedInvoice(system, patientId, [[item, 1]]);
      expect(intra).toMatchObject({
        supply: 'intra_state',
        placeOfSupply: { stateCode: '29' },
        totals: { cgstPaise: 900, sgstPaise: 900, igstPaise: 0, totalPaise: 11_800 },
      });
      const inter = await issuedInvoice(system, patientId, [[item, 1]], { patientStateCode: '33' });
      expect(inter).toMatchObject({
        supply: 'inter_state',
        placeOfSupply: { stateCode: '33', stateName: 'Tamil Nadu' },
        totals: { cgstPaise: 0, sgstPaise: 0, igstPaise: 1_800, totalPaise: 11_800 },
      });
      await frontdesk.agent
        .post('/api/v1/invoices')
        .send({ patientId, lines: [{ priceItemId: item.id, quantity: 1 }], patientStateCode: '99' })
        .expect(400);
    });

    it('taxes a draft at the rate in force on the day it is issued', async () => {
      const item = await makeItem(system, {
        unitPricePaise: 10_000,
        rate: { effectiveFrom: '2020-04-01', ratePercent: 12 },
      });
      await accounts.agent
        .post(`/api/v1/price-items/${item.id}/rates`)
        .send({ effectiveFrom: '2027-01-01', ratePercent: 5 })
        .expect(201);
      const before = await createDraftInvoice(system, { patientId, lines: [{ priceItemId: item.id, quantity: 1 }] });
      const after = await createDraftInvoice(system, { patientId, lines: [{ priceItemId: item.id, quantity: 1 }] });
      expect(before.lines[0]!.rateBp).toBe(1200);
      const lastDayOld = await issueInvoice(system, before.id, { at: new Date('2026-12-31T18:29:59+00:00') });
      const firstDayNew = await issueInvoice(system, after.id, { at: new Date('2026-12-31T18:30:00+00:00') });
      expect([lastDayOld.invoiceDate, lastDayOld.lines[0]!.rateBp, lastDayOld.totals.taxPaise]).toEqual([
        '2026-12-31',
        1200,
        1200,
      ]);
      expect([firstDayNew.invoiceDate, firstDayNew.lines[0]!.rateBp, firstDayNew.totals.taxPaise]).toEqual([
        '2027-01-01',
        500,
        500,
      ]);
    });

    it('refuses a tax invoice while the clinic has no GSTIN (422) and issues it once the profile is complete', async () => {
      const item = await makeItem(system, { rate: { effectiveFrom: '2020-04-01', ratePercent: 18 } });
      const draft = await createDraftInvoice(system, { patientId, lines: [{ priceItemId: item.id, quantity: 1 }] });
      await Clinic.updateOne({ _id: system.clinicId }, { $unset: { gstin: 1 } });
      const refused = await frontdesk.agent.post(`/api/v1/invoices/${draft.id}/issue`).expect(422);
      expect(refused.body).toMatchObject({ reason: 'clinic_profile_incomplete', missing: ['gstin'] });
      await prepareBillingClinic(system);
      await frontdesk.agent.post(`/api/v1/invoices/${draft.id}/issue`).expect(200);
    });
  });

  describe('an issued invoice is never edited', () => {
    it('answers 409 to edits through the API', async () => {
      const item = await makeItem(system);
      const draft = await frontdesk.agent
        .post('/api/v1/invoices')
        .send({ patientId, lines: [{ priceItemId: item.id, quantity: 1 }] })
        .expect(201);
      await frontdesk.agent
        .post(`/api/v1/invoices/${draft.body.id}/lines`)
        .send({ lines: [{ priceItemId: item.id, quantity: 2 }] })
        .expect(200);
      const issued = await frontdesk.agent.post(`/api/v1/invoices/${draft.body.id}/issue`).expect(200);
      expect(issued.body.lines).toHaveLength(2);
      const edit = await frontdesk.agent
        .post(`/api/v1/invoices/${draft.body.id}/lines`)
        .send({ lines: [{ priceItemId: item.id, quantity: 1 }] })
        .expect(409);
      expect(edit.body).toMatchObject({
        reason: 'invoice_not_draft',
        status: 409,
        currentStatus: 'issued',
        number: issued.body.number,
      });
      await frontdesk.agent
        .post(`/api/v1/invoices/${draft.body.id}/discounts`)
        .send({ percent: 5, reason: 'loyal patient' })
        .expect(409);
      const again = await frontdesk.agent.post(`/api/v1/invoices/${draft.body.id}/issue`).expect(409);
      expect(again.body).toMatchObject({ reason: 'already_issued', number: issued.body.number });
      const stored = await Invoice.findById(draft.body.id).lean<InvoiceRecord>();
      expect(stored!.totals).toEqual(issued.body.totals);
    });

    it('is refused at the model level too: updates, saves, reopening, replacing and deleting', async () => {
      const item = await makeItem(system);
      const invoice = await issuedInvoice(system, patientId, [[item, 1]]);
      const id = invoice.id;
      await expect(Invoice.updateOne({ _id: id }, { $set: { 'totals.totalPaise': 1 } })).rejects.toMatchObject({
        code: 'invoice_immutable',
      });
      await expect(Invoice.updateOne({ _id: id }, { $set: { lines: [] } })).rejects.toMatchObject({
        code: 'invoice_immutable',
      });
      await expect(
        Invoice.findOneAndUpdate({ _id: id }, { $set: { patientName: 'Someone Else' } }),
      ).rejects.toMatchObject({ code: 'invoice_immutable' });
      await expect(Invoice.updateOne({ _id: id }, { $set: { status: 'draft' } })).rejects.toMatchObject({
        code: 'invoice_immutable',
      });
      await expect(Invoice.updateMany({ clinicId: system.clinicId }, { $set: { number: 'X' } })).rejects.toMatchObject({
        code: 'invoice_immutable',
      });
      await expect(Invoice.replaceOne({ _id: id }, {})).rejects.toMatchObject({ code: 'invoice_immutable' });
      await expect(Invoice.deleteOne({ _id: id })).rejects.toMatchObject({ code: 'invoice_immutable' });
      const doc = await Invoice.findById(id);
      doc!.set('amountInWords', 'Rupees One Only');
      await expect(doc!.save()).rejects.toMatchObject({ code: 'invoice_immutable' });
      // A write pinned to drafts is allowed, and cannot match an issued invoice.
      expect(
        (await Invoice.updateOne({ _id: id, status: 'draft' }, { $set: { 'totals.totalPaise': 1 } })).modifiedCount,
      ).toBe(0);
      expect((await Invoice.findById(id).lean<InvoiceRecord>())!.totals.totalPaise).toBe(invoice.totals.totalPaise);
    });
  });

  describe('void', () => {
    it('discards drafts without a number and voids unpaid issued invoices with a reason, keeping the number', async () => {
      const item = await makeItem(system);
      const draft = await createDraftInvoice(system, { patientId, lines: [{ priceItemId: item.id, quantity: 1 }] });
      const discarded = await frontdesk.agent.post(`/api/v1/invoices/${draft.id}/void`).send({}).expect(200);
      expect(discarded.body).toMatchObject({ status: 'void' });
      expect(discarded.body.number).toBeUndefined();

      const issued = await issuedInvoice(system, patientId, [[item, 1]]);
      await frontdesk.agent.post(`/api/v1/invoices/${issued.id}/void`).send({ reason: 'wrong patient' }).expect(403);
      const noReason = await accounts.agent.post(`/api/v1/invoices/${issued.id}/void`).send({}).expect(422);
      expect(noReason.body.reason).toBe('reason_required');
      const voided = await accounts.agent
        .post(`/api/v1/invoices/${issued.id}/void`)
        .send({ reason: 'billed to the wrong patient' })
        .expect(200);
      expect(voided.body).toMatchObject({
        status: 'void',
        number: issued.number,
        void: { reason: 'billed to the wrong patient' },
      });
      await accounts.agent.post(`/api/v1/invoices/${issued.id}/void`).send({ reason: 'again' }).expect(409);
      await accounts.agent
        .post(`/api/v1/invoices/${issued.id}/payments`)
        .send({ amountPaise: 100, method: 'cash' })
        .expect(409);
      expect(await AuditEvent.countDocuments({ 'entity.id': issued.id, action: 'invoice.voided' })).toBe(1);
      await expectBooksBalanced(system);
    });

    it('refuses to void an invoice with money on it (409)', async () => {
      const item = await makeItem(system);
      const issued = await issuedInvoice(system, patientId, [[item, 1]]);
      await frontdesk.agent
        .post(`/api/v1/invoices/${issued.id}/payments`)
        .send({ amountPaise: 1_000, method: 'upi', reference: 'UPI 4512' })
        .expect(201);
      const refused = await accounts.agent
        .post(`/api/v1/invoices/${issued.id}/void`)
        .send({ reason: 'changed mind' })
        .expect(409);
      expect(refused.body.reason).toBe('invoice_has_payments');
    });
  });

  describe('PDF', () => {
    it('is generated on issue, stored under an id-only key, served, and rendered again identically when missing', async () => {
      const item = await makeItem(system, { rate: { effectiveFrom: '2020-04-01', ratePercent: 18 } });
      const exempt = await makeExemptItem(system);
      const invoice = await issuedInvoice(system, patientId, [
        [item, 3],
        [exempt, 1],
      ]);
      const file = path.join(t.documentsDir, 'clinics', system.clinicId, 'invoices', `${invoice.id}.pdf`);
      expect(existsSync(file)).toBe(true);
      const first = await frontdesk.agent.get(`/api/v1/invoices/${invoice.id}/pdf`).buffer(true).expect(200);
      expect(first.headers['content-type']).toBe('application/pdf');
      expect(first.headers['content-disposition']).toContain(`${invoice.number!.replace(/\//g, '-')}.pdf`);
      expect(first.body.subarray(0, 5).toString()).toBe('%PDF-');
      rmSync(file);
      const again = await frontdesk.agent.get(`/api/v1/invoices/${invoice.id}/pdf`).buffer(true).expect(200);
      expect(Buffer.compare(first.body as Buffer, again.body as Buffer)).toBe(0);
      expect(existsSync(file)).toBe(true);
    });

    it('is not available for drafts (409) or unknown invoices (404), nor without a session (401)', async () => {
      const item = await makeItem(system);
      const draft = await createDraftInvoice(system, { patientId, lines: [{ priceItemId: item.id, quantity: 1 }] });
      await frontdesk.agent.get(`/api/v1/invoices/${draft.id}/pdf`).expect(409);
      await frontdesk.agent.get('/api/v1/invoices/0123456789abcdef01234567/pdf').expect(404);
      await frontdesk.agent.get('/api/v1/invoices/not-an-id').expect(400);
      await t.http.get(`/api/v1/invoices/${draft.id}`).expect(401);
    });
  });

  describe('consultation charge of an appointment', () => {
    it('raises one draft for the doctor fee (exempt, SAC 9993), however often it is asked', async () => {
      const doctorId = await makeDoctor(system, 'Dr Kavita Menon');
      const slotId = await makeSlot(system.clinicId, doctorId, inMinutes(180));
      const appointment = await bookAppointment(system, { patientId, slotId, source: 'frontdesk' });
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          frontdesk.agent.post('/api/v1/invoices').send({ appointmentId: appointment.id }),
        ),
      );
      expect(results.map((res) => res.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(results.map((res) => res.body.id)).size).toBe(1);
      expect(results[0]!.body).toMatchObject({
        status: 'draft',
        appointmentId: appointment.id,
        doctorId,
        documentType: 'bill_of_supply',
        totals: { totalPaise: 50_000, taxPaise: 0 },
      });
      expect(results[0]!.body.lines[0]).toMatchObject({
        kind: 'consultation',
        taxCode: { scheme: 'SAC', code: '9993' },
        exempt: true,
        unitPricePaise: 50_000,
      });
      expect(results[0]!.body.lines[0].description).toContain('Dr Kavita Menon');
      expect(await Invoice.countDocuments({ clinicId: system.clinicId, appointmentId: appointment.id })).toBe(1);
      const issued = await raiseConsultationCharge(system, appointment.id, { issue: true });
      expect(issued).toMatchObject({
        id: results[0]!.body.id,
        status: 'issued',
        number: expect.stringMatching(/^BOS\//),
      });
      expect((await raiseConsultationCharge(system, appointment.id, { issue: true })).number).toBe(issued.number);
      expect(await invoiceForAppointment(frontdesk.actor, appointment.id)).toMatchObject({
        id: issued.id,
        number: issued.number,
      });
    });

    it('is raised when clinical reports a completed visit (the event may repeat)', async () => {
      const doctorId = await makeDoctor(system, 'Dr Farah Khan');
      const appointment = await bookAppointment(system, {
        patientId,
        slotId: await makeSlot(system.clinicId, doctorId, inMinutes(200)),
        source: 'frontdesk',
      });
      const event = {
        clinicId: system.clinicId,
        appointmentId: appointment.id,
        visitId: '0123456789abcdef01234567',
        doctorId,
        patientId,
      };
      await publish('visit.completed', event);
      await publish('visit.completed', event);
      const raised = await Invoice.find({ clinicId: system.clinicId, appointmentId: appointment.id }).lean<
        InvoiceRecord[]
      >();
      expect(raised).toHaveLength(1);
      expect(raised[0]).toMatchObject({ status: 'draft', sourceKey: `consultation|${appointment.id}` });
    });

    it("prices from the doctor's consultation item, then the speciality's, then the profile fee", async () => {
      const doctorId = await makeDoctor(system, 'Dr Arun Pillai');
      await accounts.agent
        .post('/api/v1/price-items')
        .send({
          code: 'CONS-GM',
          name: 'General Medicine consultation',
          kind: 'consultation',
          speciality: 'General Medicine',
          unitPricePaise: 40_000,
        })
        .expect(201);
      const book = async () =>
        bookAppointment(system, {
          patientId: (await makePatient(system, 'Lata Iyer')).id,
          slotId: await makeSlot(system.clinicId, doctorId, inMinutes(240 + Math.floor(Math.random() * 1000) * 15)),
          source: 'frontdesk',
        });
      expect((await raiseConsultationCharge(system, (await book()).id)).totals.totalPaise).toBe(40_000);
      await accounts.agent
        .post('/api/v1/price-items')
        .send({ code: 'CONS-ARUN', name: 'Consultation', kind: 'consultation', doctorId, unitPricePaise: 70_000 })
        .expect(201);
      const own = await raiseConsultationCharge(system, (await book()).id);
      expect(own.totals.totalPaise).toBe(70_000);
      expect(own.lines[0]!.description).toBe('Consultation - Dr Arun Pillai');
      await accounts.agent
        .post('/api/v1/price-items')
        .send({ code: 'CONS-ARUN-2', name: 'Second', kind: 'consultation', doctorId, unitPricePaise: 1 })
        .expect(409);
    });
  });
});
