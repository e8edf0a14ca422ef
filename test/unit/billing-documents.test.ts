/**
 * The billing PDFs render deterministically (the same record gives the same bytes, so a missing
 * file can be rendered again), paginate long invoices, and cope with Devanagari names with and
 * without a Unicode font.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { renderCreditNotePdf } from '../../src/modules/billing/documents/credit-note.pdf.js';
import { renderInvoicePdf } from '../../src/modules/billing/documents/invoice.pdf.js';
import { creditNoteFigures, remainingLines } from '../../src/modules/billing/credit-note-compute.js';
import type { CreditNoteRecord } from '../../src/modules/billing/credit-note.model.js';
import { computeInvoice } from '../../src/modules/billing/invoice-compute.js';
import type { DraftLine } from '../../src/modules/billing/invoice-compute.js';
import type { InvoiceRecord } from '../../src/modules/billing/invoice.model.js';

const DEVANAGARI_FONT = '/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf';
const supplier = {
  name: 'Sunrise Family Clinic',
  gstin: '29ABCDE1234F1Z5',
  stateCode: '29',
  stateName: 'Karnataka',
  address: { line1: '12, 4th Cross', city: 'Bengaluru', pincode: '560038' },
};

function line(index: number, overrides: Partial<DraftLine> = {}): DraftLine {
  return {
    lineId: `L${index}`,
    kind: 'pharmacy',
    description: `Item ${index}`,
    taxCode: { scheme: 'HSN', code: '3004' },
    unit: 'strip',
    quantity: 1,
    unitPricePaise: 12_345,
    exempt: false,
    rateBp: 1200,
    ...overrides,
  };
}

function invoice(lines: DraftLine[], overrides: Partial<InvoiceRecord> = {}): InvoiceRecord {
  const computed = computeInvoice(lines, [], 'intra_state');
  return {
    ...computed,
    discounts: [],
    status: 'issued',
    number: 'INV/2026-27/0042',
    invoiceDate: '2026-11-25',
    issuedAt: new Date('2026-11-25T06:00:00Z'),
    createdAt: new Date('2026-11-25T05:00:00Z'),
    patientName: 'Asha Verma',
    patientCode: 'CN-7K3QX',
    placeOfSupply: { stateCode: '29', stateName: 'Karnataka' },
    supply: 'intra_state',
    supplier,
    ...overrides,
  } as unknown as InvoiceRecord;
}

const pages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\n/g)?.length ?? 0;

describe('billing PDFs', () => {
  it('are deterministic: the same record renders to the same bytes', async () => {
    const record = invoice([line(1), line(2, { exempt: true, rateBp: 0, kind: 'consultation' })]);
    const [a, b] = await Promise.all([renderInvoicePdf(record), renderInvoicePdf(record)]);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(Buffer.compare(a, b)).toBe(0);
  });

  it('continue a long invoice over several pages', async () => {
    expect(pages(await renderInvoicePdf(invoice([line(1)])))).toBe(1);
    expect(
      pages(await renderInvoicePdf(invoice(Array.from({ length: 45 }, (_, i) => line(i + 1))))),
    ).toBeGreaterThanOrEqual(2);
  });

  it('stamp void invoices and render Devanagari names with the Unicode font, or without it', async () => {
    const hindi = invoice([line(1)], { patientName: 'किरण सिंह', status: 'void', voidReason: 'billed twice' });
    await expect(renderInvoicePdf(hindi)).resolves.toBeInstanceOf(Buffer);
    if (existsSync(DEVANAGARI_FONT))
      expect((await renderInvoicePdf(hindi, DEVANAGARI_FONT)).length).toBeGreaterThan(
        (await renderInvoicePdf(hindi)).length,
      );
  });

  it('render credit notes', async () => {
    const record = invoice([line(1), line(2)]);
    const figures = creditNoteFigures(remainingLines(record.lines, []), 5_000);
    const note = {
      ...figures,
      number: 'CN/2026-27/0001',
      localDate: '2026-11-26',
      issuedAt: new Date('2026-11-26T06:00:00Z'),
      invoiceNumber: record.number,
      invoiceDate: record.invoiceDate,
      invoiceDocumentType: 'tax_invoice',
      kind: 'refund',
      reason: 'returned',
      patientName: 'Asha Verma',
      patientCode: 'CN-7K3QX',
      supplier,
      placeOfSupply: record.placeOfSupply,
      supply: 'intra_state',
    } as unknown as CreditNoteRecord;
    const pdf = await renderCreditNotePdf(note);
    expect(Buffer.compare(pdf, await renderCreditNotePdf(note))).toBe(0);
  });
});
