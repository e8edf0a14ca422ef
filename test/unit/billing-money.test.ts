/**
 * Integer money helpers, amounts in words (Indian numbering), financial years and document
 * numbers, credit-note allocation and the ledger postings billing builds — all pure.
 */
import { describe, expect, it } from '@jest/globals';
import { amountInWords, numberInIndianWords } from '../../src/modules/billing/amount-in-words.js';
import { creditNoteLines, invoiceIssueLines, reversed } from '../../src/modules/billing/billing-postings.js';
import { creditNoteFigures, remainingLines } from '../../src/modules/billing/credit-note-compute.js';
import { financialYearOf, formatDocumentNumber } from '../../src/modules/billing/financial-year.js';
import { computeInvoice } from '../../src/modules/billing/invoice-compute.js';
import {
  allocateProportionally,
  formatPaise,
  mulDivRoundHalfUp,
  percentToBasisPoints,
} from '../../src/modules/billing/money.js';
import { postingProblem } from '../../src/modules/ledger/journal.model.js';
import { compactLines } from '../../src/modules/ledger/ledger.service.js';

describe('amount in words (Indian numbering)', () => {
  it.each([
    [0, 'Rupees Zero Only'],
    [50, 'Rupees Zero and Paise Fifty Only'],
    [100, 'Rupees One Only'],
    [1_105, 'Rupees Eleven and Paise Five Only'],
    [125_050, 'Rupees One Thousand Two Hundred Fifty and Paise Fifty Only'],
    [50_000, 'Rupees Five Hundred Only'],
    [1_000_000, 'Rupees Ten Thousand Only'],
    [10_000_000, 'Rupees One Lakh Only'],
    [
      12_345_678_90,
      'Rupees One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight and Paise Ninety Only',
    ],
    [
      99_999_999_99,
      'Rupees Nine Crore Ninety Nine Lakh Ninety Nine Thousand Nine Hundred Ninety Nine and Paise Ninety Nine Only',
    ],
    [1_000_000_000_00, 'Rupees One Hundred Crore Only'],
    [11_900, 'Rupees One Hundred Nineteen Only'],
    [2_001_000, 'Rupees Twenty Thousand Ten Only'],
  ])('%i paise → %s', (paise, words) => {
    expect(amountInWords(paise)).toBe(words);
  });

  it('reads whole numbers', () => {
    expect(numberInIndianWords(100_000)).toBe('One Lakh');
    expect(numberInIndianWords(1_00_00_000)).toBe('One Crore');
    expect(numberInIndianWords(12_34_56_78_901)).toBe(
      'One Thousand Two Hundred Thirty Four Crore Fifty Six Lakh Seventy Eight Thousand Nine Hundred One',
    );
  });
});

describe('integer money', () => {
  it('rounds half up exactly, beyond float precision', () => {
    expect(mulDivRoundHalfUp(5, 1, 2)).toBe(3);
    expect(mulDivRoundHalfUp(4, 1, 3)).toBe(1);
    expect(mulDivRoundHalfUp(9_007_199_254, 1_000_000, 1_000_000)).toBe(9_007_199_254);
    expect(() => mulDivRoundHalfUp(-1, 1, 1)).toThrow();
    expect(() => mulDivRoundHalfUp(1.5, 1, 1)).toThrow();
  });

  it('allocates proportionally to the paisa, never above a weight', () => {
    expect(allocateProportionally(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateProportionally(10, [0, 5, 5])).toEqual([0, 5, 5]);
    expect(allocateProportionally(0, [3, 4])).toEqual([0, 0]);
    for (let total = 0; total <= 118; total++) {
      const parts = allocateProportionally(total, [100, 9, 9, 0]);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      expect(parts[0]! <= 100 && parts[1]! <= 9 && parts[2]! <= 9 && parts[3] === 0).toBe(true);
    }
  });

  it('parses percentages with at most two decimals', () => {
    expect(percentToBasisPoints(18)).toBe(1800);
    expect(percentToBasisPoints(12.5)).toBe(1250);
    expect(percentToBasisPoints(0.25)).toBe(25);
    expect(percentToBasisPoints(33.33)).toBe(3333);
    expect(percentToBasisPoints(33.333)).toBeNull();
  });

  it('formats rupees with Indian grouping', () => {
    expect(formatPaise(0)).toBe('0.00');
    expect(formatPaise(5)).toBe('0.05');
    expect(formatPaise(125_050)).toBe('1,250.50');
    expect(formatPaise(12_345_678)).toBe('1,23,456.78');
    expect(formatPaise(1_000_000_000_00)).toBe('1,00,00,00,000.00');
    expect(formatPaise(-1_050)).toBe('-10.50');
  });
});

describe('financial years and document numbers', () => {
  it.each([
    ['2026-03-31', '2025-26'],
    ['2026-04-01', '2026-27'],
    ['2027-01-15', '2026-27'],
    ['2099-12-31', '2099-00'],
  ])('%s is in %s', (date, year) => {
    expect(financialYearOf(date)).toBe(year);
  });

  it('formats numbers of at most 16 characters', () => {
    expect(formatDocumentNumber('INV', '2026-27', 1)).toBe('INV/2026-27/0001');
    expect(formatDocumentNumber('CN', '2026-27', 12)).toBe('CN/2026-27/0012');
    expect(formatDocumentNumber('INV', '2026-27', 9_999)).toBe('INV/2026-27/9999');
    expect(formatDocumentNumber('CN', '2026-27', 10_000)).toBe('CN/2026-27/10000');
    expect(formatDocumentNumber('INV', '2026-27', 10_000)).toBe('INV/26-27/10000');
    expect(formatDocumentNumber('RCT', '2026-27', 999_999)).toBe('RCT/26-27/999999');
    for (const seq of [1, 9_999, 10_000, 999_999])
      expect(formatDocumentNumber('RFV', '2026-27', seq).length).toBeLessThanOrEqual(16);
    expect(() => formatDocumentNumber('INV', '2026-27', 1_000_000)).toThrow(/16-character/);
  });
});

describe('credit notes', () => {
  const invoice = computeInvoice(
    [
      {
        lineId: 'L1',
        kind: 'consultation',
        description: 'Consultation',
        taxCode: { scheme: 'SAC', code: '9993' },
        unit: 'each',
        quantity: 1,
        unitPricePaise: 50_000,
        exempt: true,
        rateBp: 0,
      },
      {
        lineId: 'L2',
        kind: 'pharmacy',
        description: 'Syrup',
        taxCode: { scheme: 'HSN', code: '3004' },
        unit: 'each',
        quantity: 1,
        unitPricePaise: 10_001,
        exempt: false,
        rateBp: 1200,
      },
    ],
    [],
    'intra_state',
  );

  it('credit the amount exactly, in proportion, and never more than remains', () => {
    const first = creditNoteFigures(remainingLines(invoice.lines, []), 30_001);
    expect(first.totals.totalPaise).toBe(30_001);
    const second = creditNoteFigures(remainingLines(invoice.lines, [first.lines]), invoice.totals.totalPaise - 30_001);
    // Together the two notes give back every line and tax exactly.
    for (const key of ['taxablePaise', 'cgstPaise', 'sgstPaise', 'igstPaise'] as const) {
      for (const line of invoice.lines) {
        const credited = [first, second].flatMap((note) => note.lines).filter((entry) => entry.lineId === line.lineId);
        expect(credited.reduce((sum, entry) => sum + entry[key], 0)).toBe(line[key]);
      }
    }
    expect(() => creditNoteFigures(remainingLines(invoice.lines, [first.lines, second.lines]), 1)).toThrow(
      /can still be credited/,
    );
  });

  it('post balanced entries for issue, void, refund and correction', () => {
    const issue = compactLines(invoiceIssueLines(invoice));
    expect(postingProblem(issue)).toBeNull();
    expect(postingProblem(compactLines(reversed(issue)))).toBeNull();
    const note = creditNoteFigures(remainingLines(invoice.lines, []), 777);
    expect(postingProblem(compactLines(creditNoteLines(note.lines, 'refunds_payable')))).toBeNull();
    expect(postingProblem(compactLines(creditNoteLines(note.lines, 'patient_receivable')))).toBeNull();
  });

  it('refuse unbalanced or malformed postings', () => {
    expect(postingProblem([{ account: 'cash', debitPaise: 100, creditPaise: 0 }])).toMatch(/two lines/);
    expect(
      postingProblem([
        { account: 'cash', debitPaise: 100, creditPaise: 0 },
        { account: 'patient_receivable', debitPaise: 0, creditPaise: 99 },
      ]),
    ).toMatch(/differ/);
    expect(
      postingProblem([
        { account: 'cash', debitPaise: 100, creditPaise: 100 },
        { account: 'patient_receivable', debitPaise: 0, creditPaise: 0 },
      ]),
    ).toMatch(/either/);
    expect(
      postingProblem([
        { account: 'cash', debitPaise: 1.5, creditPaise: 0 },
        { account: 'bank', debitPaise: 0, creditPaise: 1.5 },
      ]),
    ).toMatch(/whole/);
  });
});
