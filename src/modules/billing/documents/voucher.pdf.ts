/**
 * Receipt vouchers (money received against an invoice) and refund vouchers (money paid back).
 * Both print only facts fixed when they were made — never a running balance — so a voucher
 * rendered again later is the same document.
 */
import { amountInWords } from '../amount-in-words.js';
import type { InvoiceRecord } from '../invoice.model.js';
import { formatPaise } from '../money.js';
import type { PaymentRecord } from '../payment.model.js';
import type { RefundRecord } from '../refund.model.js';
import {
  factBlocks,
  finishPdf,
  formatLocalDate,
  letterhead,
  paragraph,
  signature,
  startPdf,
  table,
  title,
  totals,
} from './pdf-base.js';

const METHOD_NAMES: Record<string, string> = {
  cash: 'Cash',
  upi: 'UPI',
  card: 'Card',
  netbanking: 'Net banking',
  wallet: 'Wallet',
  emi: 'EMI',
  other: 'Other',
};

function modeOf(channel: 'counter' | 'online', method: string | undefined, provider?: string): string {
  const name = METHOD_NAMES[method ?? 'cash'] ?? method ?? 'Cash';
  return channel === 'online'
    ? `Online (${provider === 'razorpay' ? 'Razorpay' : 'provider'}) - ${name}`
    : `${name} at the desk`;
}

/** The receipt voucher of a recorded payment. */
export async function renderReceiptPdf(
  payment: PaymentRecord,
  invoice: InvoiceRecord,
  unicodeFontPath?: string,
): Promise<Buffer> {
  const pdf = startPdf({
    title: `Receipt ${payment.receiptNumber ?? ''}`.trim(),
    subject: 'Receipt voucher',
    author: invoice.supplier.name,
    date: payment.receivedAt,
    ...(unicodeFontPath ? { unicodeFontPath } : {}),
  });
  letterhead(pdf, invoice.supplier);
  title(pdf, 'Receipt Voucher', 'Payment received against an invoice');
  factBlocks(
    pdf,
    [
      ['Received from', invoice.patientName],
      ['Patient code', invoice.patientCode],
    ],
    [
      ['Receipt no.', payment.receiptNumber ?? '-'],
      ['Date', formatLocalDate(payment.localDate)],
    ],
  );
  table(
    pdf,
    [
      { header: 'Against', width: 150 },
      { header: 'Invoice date', width: 80 },
      { header: 'Mode', width: 135 },
      { header: 'Reference', width: 70 },
      { header: 'Amount', width: 80, align: 'right' },
    ],
    [
      [
        invoice.number ?? '-',
        invoice.invoiceDate ? formatLocalDate(invoice.invoiceDate) : '-',
        modeOf(payment.channel, payment.method, payment.provider),
        payment.providerPaymentId ?? payment.reference ?? '-',
        formatPaise(payment.amountPaise),
      ],
    ],
  );
  totals(pdf, [{ label: 'Amount received (Rs.)', value: formatPaise(payment.amountPaise), strong: true }]);
  paragraph(pdf, 'Amount in words', amountInWords(payment.amountPaise));
  signature(pdf, invoice.supplier.name);
  return finishPdf(pdf, `Receipt voucher ${payment.receiptNumber ?? ''}`.trim());
}

/** The refund voucher of a processed refund. */
export async function renderRefundVoucherPdf(
  refund: RefundRecord,
  payment: PaymentRecord,
  invoice: InvoiceRecord,
  unicodeFontPath?: string,
): Promise<Buffer> {
  const pdf = startPdf({
    title: `Refund voucher ${refund.voucherNumber ?? ''}`.trim(),
    subject: 'Refund voucher',
    author: invoice.supplier.name,
    date: refund.processedAt ?? refund.requestedAt,
    ...(unicodeFontPath ? { unicodeFontPath } : {}),
  });
  letterhead(pdf, invoice.supplier);
  title(pdf, 'Refund Voucher', 'Money paid back to the patient');
  factBlocks(
    pdf,
    [
      ['Paid to', invoice.patientName],
      ['Patient code', invoice.patientCode],
    ],
    [
      ['Voucher no.', refund.voucherNumber ?? '-'],
      ['Date', refund.localDate ? formatLocalDate(refund.localDate) : '-'],
    ],
  );
  table(
    pdf,
    [
      { header: 'Invoice', width: 105 },
      { header: 'Original receipt', width: 100 },
      { header: 'Credit note', width: 100 },
      { header: 'Mode', width: 130 },
      { header: 'Amount', width: 80, align: 'right' },
    ],
    [
      [
        invoice.number ?? '-',
        payment.receiptNumber ?? 'Not applied to the invoice',
        refund.creditNoteNumber ?? '-',
        modeOf(refund.channel, refund.method ?? payment.method, refund.provider),
        formatPaise(refund.amountPaise),
      ],
    ],
  );
  totals(pdf, [{ label: 'Amount refunded (Rs.)', value: formatPaise(refund.amountPaise), strong: true }]);
  paragraph(pdf, 'Amount in words', amountInWords(refund.amountPaise));
  paragraph(pdf, 'Reason', refund.reason);
  signature(pdf, invoice.supplier.name);
  return finishPdf(pdf, `Refund voucher ${refund.voucherNumber ?? ''}`.trim());
}
