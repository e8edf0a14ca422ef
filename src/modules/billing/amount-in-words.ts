/**
 * Amounts in words in the Indian numbering system (thousand, lakh, crore), as printed on Indian
 * invoices: 125050 paise → "Rupees One Thousand Two Hundred Fifty and Paise Fifty Only".
 */
import { assertWhole } from './money.js';

const ONES = [
  '',
  'One',
  'Two',
  'Three',
  'Four',
  'Five',
  'Six',
  'Seven',
  'Eight',
  'Nine',
  'Ten',
  'Eleven',
  'Twelve',
  'Thirteen',
  'Fourteen',
  'Fifteen',
  'Sixteen',
  'Seventeen',
  'Eighteen',
  'Nineteen',
];
const TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'];

function belowHundred(n: number): string {
  if (n < 20) return ONES[n]!;
  const unit = n % 10;
  return unit === 0 ? TENS[Math.floor(n / 10)]! : `${TENS[Math.floor(n / 10)]} ${ONES[unit]}`;
}

function belowThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  return [hundreds > 0 ? `${ONES[hundreds]} Hundred` : '', rest > 0 ? belowHundred(rest) : '']
    .filter(Boolean)
    .join(' ');
}

/** A whole number in Indian words: 12345678 → "One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight". */
export function numberInIndianWords(n: number): string {
  assertWhole(n, 'number');
  if (n === 0) return 'Zero';
  const crore = Math.floor(n / 10_000_000);
  const lakh = Math.floor((n % 10_000_000) / 100_000);
  const thousand = Math.floor((n % 100_000) / 1000);
  const rest = n % 1000;
  return [
    // Beyond 99 crore the crore count is itself read in words ("One Hundred Crore").
    crore > 0 ? `${numberInIndianWords(crore)} Crore` : '',
    lakh > 0 ? `${belowHundred(lakh)} Lakh` : '',
    thousand > 0 ? `${belowHundred(thousand)} Thousand` : '',
    rest > 0 ? belowThousand(rest) : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Paise in words for an invoice: "Rupees Five Hundred Only", "Rupees Zero and Paise Fifty Only". */
export function amountInWords(paise: number): string {
  assertWhole(paise, 'paise');
  const rupees = Math.floor(paise / 100);
  const rest = paise % 100;
  return rest === 0
    ? `Rupees ${numberInIndianWords(rupees)} Only`
    : `Rupees ${numberInIndianWords(rupees)} and Paise ${belowHundred(rest)} Only`;
}
