/**
 * The invoice PDF, titled by its document type (tax invoice, bill of supply, invoice-cum-bill of
 * supply) and carrying what CGST Rules 46, 46A and 49 ask for: the clinic's name, address, GSTIN
 * and state; the number and date; the patient and the place of supply; per line the SAC/HSN,
 * quantity, unit price, discount, taxable value and the rate and amount of each tax; totals;
 * the amount in words; reverse charge; a signatory. A void invoice keeps its number and is
 * stamped CANCELLED.
 */
import type { InvoiceLine, InvoiceRecord } from '../invoice.model.js';
import { DOCUMENT_TITLES } from '../invoice.view.js';
import { formatPaise, formatPercent } from '../money.js';
import {
  factBlocks,
  finishPdf,
  formatLocalDate,
  letterhead,
  paragraph,
  signature,
  stamp,
  startPdf,
  table,
  title,
  totals,
} from './pdf-base.js';
import type { Column } from './pdf-base.js';

const SUBTITLES: Record<InvoiceRecord['documentType'], string> = {
  tax_invoice: 'Rule 46 of the CGST Rules, 2017',
  bill_of_supply: 'Rule 49 of the CGST Rules, 2017 - exempt supplies, no GST charged',
  invoice_cum_bill_of_supply: 'Rule 46A of the CGST Rules, 2017 - taxable and exempt supplies',
};

function quantityOf(line: InvoiceLine): string {
  return line.unit && line.unit !== 'each' ? `${line.quantity} ${line.unit}` : String(line.quantity);
}

function taxCell(line: InvoiceLine, paise: number, share: 1 | 2): string {
  if (line.exempt) return 'Exempt';
  return `${formatPercent(line.rateBp / share)}%\n${formatPaise(paise)}`;
}

function columnsFor(invoice: InvoiceRecord): Column[] {
  const base = (description: number, code: number, qty: number, price: number, discount: number): Column[] => [
    { header: '#', width: 18, align: 'center' },
    { header: 'Description', width: description },
    { header: 'SAC/HSN', width: code },
    { header: 'Qty', width: qty, align: 'right' },
    { header: 'Unit price', width: price, align: 'right' },
    { header: 'Discount', width: discount, align: 'right' },
  ];
  if (invoice.documentType === 'bill_of_supply')
    return [...base(207, 55, 35, 65, 60), { header: 'Value', width: 75, align: 'right' }];
  if (invoice.supply === 'inter_state') {
    return [
      ...base(150, 46, 30, 52, 46),
      { header: 'Taxable value', width: 58, align: 'right' },
      { header: 'IGST', width: 55, align: 'right' },
      { header: 'Amount', width: 60, align: 'right' },
    ];
  }
  return [
    ...base(140, 46, 28, 50, 44),
    { header: 'Taxable value', width: 56, align: 'right' },
    { header: 'CGST', width: 43, align: 'right' },
    { header: 'SGST', width: 43, align: 'right' },
    { header: 'Amount', width: 47, align: 'right' },
  ];
}

function rowFor(invoice: InvoiceRecord, line: InvoiceLine, index: number): string[] {
  const start = [
    String(index + 1),
    line.description,
    `${line.taxCode.scheme} ${line.taxCode.code}`,
    quantityOf(line),
    formatPaise(line.unitPricePaise),
    formatPaise(line.discountPaise),
  ];
  if (invoice.documentType === 'bill_of_supply') return [...start, formatPaise(line.totalPaise)];
  if (invoice.supply === 'inter_state')
    return [...start, formatPaise(line.taxablePaise), taxCell(line, line.igstPaise, 1), formatPaise(line.totalPaise)];
  return [
    ...start,
    formatPaise(line.taxablePaise),
    taxCell(line, line.cgstPaise, 2),
    taxCell(line, line.sgstPaise, 2),
    formatPaise(line.totalPaise),
  ];
}

function totalRows(invoice: InvoiceRecord): { label: string; value: string; strong?: boolean }[] {
  const t = invoice.totals;
  const taxable = invoice.documentType !== 'bill_of_supply';
  return [
    { label: 'Gross value', value: formatPaise(t.grossPaise) },
    ...(t.discountPaise > 0 ? [{ label: 'Less discount', value: formatPaise(t.discountPaise) }] : []),
    ...(taxable ? [{ label: 'Taxable value', value: formatPaise(t.taxablePaise) }] : []),
    ...(t.exemptPaise > 0 ? [{ label: 'Value of exempt supplies', value: formatPaise(t.exemptPaise) }] : []),
    ...(taxable && invoice.supply === 'intra_state'
      ? [
          { label: 'CGST', value: formatPaise(t.cgstPaise) },
          { label: 'SGST', value: formatPaise(t.sgstPaise) },
        ]
      : []),
    ...(taxable && invoice.supply === 'inter_state' ? [{ label: 'IGST', value: formatPaise(t.igstPaise) }] : []),
    { label: 'Total (Rs.)', value: formatPaise(t.totalPaise), strong: true },
  ];
}

/** Renders an issued (or void) invoice. */
export async function renderInvoicePdf(invoice: InvoiceRecord, unicodeFontPath?: string): Promise<Buffer> {
  const documentTitle = DOCUMENT_TITLES[invoice.documentType];
  const pdf = startPdf({
    title: `${documentTitle} ${invoice.number ?? ''}`.trim(),
    subject: documentTitle,
    author: invoice.supplier.name,
    date: invoice.issuedAt ?? invoice.createdAt,
    ...(unicodeFontPath ? { unicodeFontPath } : {}),
  });
  letterhead(pdf, invoice.supplier);
  title(pdf, documentTitle, SUBTITLES[invoice.documentType]);
  const taxable = invoice.documentType !== 'bill_of_supply';
  factBlocks(
    pdf,
    [
      ['Billed to', invoice.patientName],
      ['Patient code', invoice.patientCode],
      ...(invoice.patientAddress ? ([['Address', invoice.patientAddress]] as [string, string][]) : []),
      ['Place of supply', `${invoice.placeOfSupply.stateName} (${invoice.placeOfSupply.stateCode})`],
    ],
    [
      [invoice.documentType === 'bill_of_supply' ? 'Bill no.' : 'Invoice no.', invoice.number ?? 'DRAFT'],
      ['Date', invoice.invoiceDate ? formatLocalDate(invoice.invoiceDate) : '-'],
      ...(taxable ? ([['Reverse charge', 'No']] as [string, string][]) : []),
    ],
  );
  table(
    pdf,
    columnsFor(invoice),
    invoice.lines.map((line, index) => rowFor(invoice, line, index)),
  );
  totals(pdf, totalRows(invoice));
  paragraph(pdf, 'Amount in words', invoice.amountInWords);
  const exempt = invoice.lines.filter((line) => line.exempt);
  if (exempt.some((line) => line.kind === 'consultation' || line.kind === 'procedure')) {
    paragraph(
      pdf,
      'Note',
      'No GST is charged on exempt supplies (health care services by a clinical establishment are exempt: Notification 12/2017-Central Tax (Rate)).',
    );
  } else if (exempt.length > 0) {
    paragraph(pdf, 'Note', 'No GST is charged on exempt or nil-rated supplies.');
  }
  if (invoice.status === 'void')
    paragraph(
      pdf,
      'Cancelled',
      `This document was cancelled${invoice.voidReason ? `: ${invoice.voidReason}` : ''}. Its number is not reused.`,
    );
  signature(pdf, invoice.supplier.name);
  if (invoice.status === 'void') stamp(pdf, 'CANCELLED');
  return finishPdf(pdf, `${documentTitle} ${invoice.number ?? ''}`.trim());
}
