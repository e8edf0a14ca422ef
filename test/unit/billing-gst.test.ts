/**
 * GST defined once (src/modules/billing/gst.ts) and table-tested: exempt, intra-state,
 * inter-state, mixed, discounts, rounding edge cases and rate changes on their effective date.
 */
import { describe, expect, it } from '@jest/globals';
import { applyDiscounts } from '../../src/modules/billing/discounts.js';
import { documentTypeOf, sumTaxTotals, supplyOf, taxLine } from '../../src/modules/billing/gst.js';
import type { LinePricing, Supply } from '../../src/modules/billing/gst.js';
import { computeInvoice, discountPercentOf } from '../../src/modules/billing/invoice-compute.js';
import type { DraftLine } from '../../src/modules/billing/invoice-compute.js';
import { rateOn } from '../../src/modules/billing/price-rates.js';

const line = (unitPricePaise: number, rateBp: number, extra: Partial<LinePricing> = {}): LinePricing => ({
  quantity: 1,
  unitPricePaise,
  discountPaise: 0,
  exempt: false,
  rateBp,
  ...extra,
});

describe('tax on one line', () => {
  it.each<[string, LinePricing, Supply, { taxable: number; cgst: number; sgst: number; igst: number; total: number }]>([
    [
      'exempt consultation',
      line(50_000, 0, { exempt: true }),
      'intra_state',
      { taxable: 50_000, cgst: 0, sgst: 0, igst: 0, total: 50_000 },
    ],
    [
      'exempt flag wins over a rate',
      line(50_000, 1800, { exempt: true }),
      'inter_state',
      { taxable: 50_000, cgst: 0, sgst: 0, igst: 0, total: 50_000 },
    ],
    [
      'nil-rated (0 %) carries no tax',
      line(12_345, 0),
      'intra_state',
      { taxable: 12_345, cgst: 0, sgst: 0, igst: 0, total: 12_345 },
    ],
    [
      '18 % intra-state: CGST 9 % + SGST 9 %',
      line(100_000, 1800),
      'intra_state',
      { taxable: 100_000, cgst: 9000, sgst: 9000, igst: 0, total: 118_000 },
    ],
    [
      '18 % inter-state: IGST 18 %',
      line(100_000, 1800),
      'inter_state',
      { taxable: 100_000, cgst: 0, sgst: 0, igst: 18_000, total: 118_000 },
    ],
    [
      'quantity × price',
      line(1_250, 1200, { quantity: 3 }),
      'intra_state',
      { taxable: 3_750, cgst: 225, sgst: 225, igst: 0, total: 4_200 },
    ],
    [
      'discount lowers the taxable value',
      line(1_000, 1800, { discountPaise: 100 }),
      'intra_state',
      { taxable: 900, cgst: 81, sgst: 81, igst: 0, total: 1_062 },
    ],
    // Rounding: half up, per component.
    [
      '29.97 paise rounds to 30 (CGST and SGST each)',
      line(333, 1800),
      'intra_state',
      { taxable: 333, cgst: 30, sgst: 30, igst: 0, total: 393 },
    ],
    [
      '59.94 paise IGST rounds to 60',
      line(333, 1800),
      'inter_state',
      { taxable: 333, cgst: 0, sgst: 0, igst: 60, total: 393 },
    ],
    [
      'exactly half a paisa rounds up (7.5 → 8 each)',
      line(125, 1200),
      'intra_state',
      { taxable: 125, cgst: 8, sgst: 8, igst: 0, total: 141 },
    ],
    [
      '0.25 paise rounds down, 0.5 up',
      line(10, 500),
      'intra_state',
      { taxable: 10, cgst: 0, sgst: 0, igst: 0, total: 10 },
    ],
    ['0.5 paisa IGST rounds up', line(10, 500), 'inter_state', { taxable: 10, cgst: 0, sgst: 0, igst: 1, total: 11 }],
    [
      '0.25 % rate, halves of 12.5 bp: 1.25 → 1 each',
      line(1_000, 25),
      'intra_state',
      { taxable: 1_000, cgst: 1, sgst: 1, igst: 0, total: 1_002 },
    ],
    [
      '0.25 % IGST: 2.5 → 3',
      line(1_000, 25),
      'inter_state',
      { taxable: 1_000, cgst: 0, sgst: 0, igst: 3, total: 1_003 },
    ],
    [
      'a crore at 28 % stays exact (integer arithmetic)',
      line(1_000_000_000, 2800),
      'intra_state',
      { taxable: 1_000_000_000, cgst: 140_000_000, sgst: 140_000_000, igst: 0, total: 1_280_000_000 },
    ],
    ['free line', line(0, 1800), 'intra_state', { taxable: 0, cgst: 0, sgst: 0, igst: 0, total: 0 }],
  ])('%s', (_name, input, supply, expected) => {
    const tax = taxLine(input, supply);
    expect({
      taxable: tax.taxablePaise,
      cgst: tax.cgstPaise,
      sgst: tax.sgstPaise,
      igst: tax.igstPaise,
      total: tax.totalPaise,
    }).toEqual(expected);
    expect(tax.cgstPaise).toBe(tax.sgstPaise);
  });

  it('refuses a discount larger than the line', () => {
    expect(() => taxLine(line(100, 1800, { discountPaise: 101 }), 'intra_state')).toThrow(/cannot exceed/);
  });
});

describe('totals are sums of the rounded lines', () => {
  it('three 5-paise lines at 18 % carry no tax, although 9 % of 15 paise would round to 1', () => {
    const lines = [1, 2, 3].map(() => taxLine(line(5, 1800), 'intra_state'));
    const totals = sumTaxTotals(lines);
    expect(totals).toMatchObject({ grossPaise: 15, taxablePaise: 15, cgstPaise: 0, sgstPaise: 0, totalPaise: 15 });
  });

  it('splits taxable and exempt values', () => {
    const totals = sumTaxTotals([
      taxLine(line(50_000, 0, { exempt: true }), 'intra_state'),
      taxLine(line(10_000, 1200, { discountPaise: 1_000 }), 'intra_state'),
    ]);
    expect(totals).toEqual({
      grossPaise: 60_000,
      discountPaise: 1_000,
      taxablePaise: 9_000,
      exemptPaise: 50_000,
      cgstPaise: 540,
      sgstPaise: 540,
      igstPaise: 0,
      taxPaise: 1_080,
      totalPaise: 60_080,
    });
  });
});

describe('place of supply and document type', () => {
  it('is intra-state in the clinic state and inter-state elsewhere', () => {
    expect(supplyOf('29', '29')).toBe('intra_state');
    expect(supplyOf('29', '33')).toBe('inter_state');
  });

  it.each<[string, boolean[], string]>([
    ['only exempt lines → bill of supply (Rule 49)', [true, true], 'bill_of_supply'],
    ['only taxable lines → tax invoice (Rule 46)', [false], 'tax_invoice'],
    ['both → invoice-cum-bill of supply (Rule 46A)', [true, false], 'invoice_cum_bill_of_supply'],
  ])('%s', (_name, exempt, expected) => {
    expect(documentTypeOf(exempt.map((value) => ({ exempt: value })))).toBe(expected);
  });
});

describe('discounts onto lines', () => {
  const lines = [
    { lineId: 'L1', grossPaise: 333 },
    { lineId: 'L2', grossPaise: 333 },
    { lineId: 'L3', grossPaise: 334 },
  ];

  it('spreads a bill discount by largest remainder, to the paisa', () => {
    expect(applyDiscounts(lines, [{ amountPaise: 100 }])).toEqual({ perLine: [33, 33, 34], perRule: [100] });
    expect(applyDiscounts(lines, [{ percentBp: 1000 }])).toEqual({ perLine: [33, 33, 34], perRule: [100] });
  });

  it('applies requests in order, each to what is left, and caps at the value', () => {
    const outcome = applyDiscounts(lines, [
      { lineId: 'L3', amountPaise: 34 },
      { percentBp: 5000 },
      { lineId: 'L1', amountPaise: 10_000 },
    ]);
    expect(outcome.perRule).toEqual([34, 483, 166]);
    expect(outcome.perLine).toEqual([333, 166, 184]);
  });

  it('gives an unknown line nothing', () => {
    expect(applyDiscounts(lines, [{ lineId: 'L9', percentBp: 1000 }]).perRule).toEqual([0]);
  });
});

describe('a whole invoice', () => {
  const draft = (overrides: Partial<DraftLine>): DraftLine => ({
    lineId: 'L1',
    kind: 'consultation',
    description: 'Consultation',
    taxCode: { scheme: 'SAC', code: '9993' },
    unit: 'each',
    quantity: 1,
    unitPricePaise: 50_000,
    exempt: true,
    rateBp: 0,
    ...overrides,
  });

  it('mixes an exempt consultation and a taxable item with a bill discount', () => {
    const invoice = computeInvoice(
      [
        draft({}),
        draft({
          lineId: 'L2',
          kind: 'procedure',
          description: 'Cosmetic peel',
          taxCode: { scheme: 'SAC', code: '999722' },
          unitPricePaise: 150_000,
          exempt: false,
          rateBp: 1800,
        }),
      ],
      [{ percentBp: 1000 }],
      'intra_state',
    );
    expect(invoice.documentType).toBe('invoice_cum_bill_of_supply');
    expect(
      invoice.lines.map((entry) => [
        entry.discountPaise,
        entry.taxablePaise,
        entry.cgstPaise,
        entry.sgstPaise,
        entry.totalPaise,
      ]),
    ).toEqual([
      [5_000, 45_000, 0, 0, 45_000],
      [15_000, 135_000, 12_150, 12_150, 159_300],
    ]);
    expect(invoice.totals).toMatchObject({
      grossPaise: 200_000,
      discountPaise: 20_000,
      exemptPaise: 45_000,
      taxablePaise: 135_000,
      taxPaise: 24_300,
      totalPaise: 204_300,
    });
    expect(invoice.amountInWords).toBe('Rupees Two Thousand Forty Three Only');
    expect(discountPercentOf(invoice.totals)).toBe(10);
  });
});

describe('rate history', () => {
  const rates = [
    { effectiveFrom: '2025-04-01', rateBp: 1200, exempt: false },
    { effectiveFrom: '2025-09-22', rateBp: 500, exempt: false },
    { effectiveFrom: '2026-04-01', rateBp: 0, exempt: true },
  ];

  it.each([
    ['2025-03-31', null],
    ['2025-04-01', { exempt: false, rateBp: 1200 }],
    ['2025-09-21', { exempt: false, rateBp: 1200 }],
    ['2025-09-22', { exempt: false, rateBp: 500 }],
    ['2026-03-31', { exempt: false, rateBp: 500 }],
    ['2026-04-01', { exempt: true, rateBp: 0 }],
  ])('on %s the rate in force is %j', (date, expected) => {
    expect(rateOn(rates, date)).toEqual(expected);
    // Order of entry does not matter.
    expect(rateOn([...rates].reverse(), date)).toEqual(expected);
  });
});
