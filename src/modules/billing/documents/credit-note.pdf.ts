/**
 * The credit note PDF (CGST Rule 53): the clinic's name, address and GSTIN, the note's number and
 * date, the patient, the number and date of the invoice it credits, and per line the value and
 * the rate and amount of each tax credited, with totals and the amount in words.
 */
import type { CreditNoteLine, CreditNoteRecord } from '../credit-note.model.js';
import { DOCUMENT_TITLES } from '../invoice.view.js';
import { formatPaise, formatPercent } from '../money.js';
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
import type { Column } from './pdf-base.js';

function taxCell(line: CreditNoteLine, paise: number, share: 1 | 2): string {
  return line.exempt ? 'Exempt' : `${formatPercent(line.rateBp / share)}%\n${formatPaise(paise)}`;
}

function columnsFor(note: CreditNoteRecord): Column[] {
  const base: Column[] = [
    { header: '#', width: 18, align: 'center' },
    { header: 'Description', width: note.supply === 'inter_state' ? 200 : 160 },
    { header: 'SAC/HSN', width: 60 },
    { header: 'Value credited', width: 80, align: 'right' },
  ];
  const tax: Column[] =
    note.supply === 'inter_state'
      ? [{ header: 'IGST', width: 77, align: 'right' }]
      : [
          { header: 'CGST', width: 58, align: 'right' },
          { header: 'SGST', width: 59, align: 'right' },
        ];
  return [...base, ...tax, { header: 'Amount', width: 80, align: 'right' }];
}

function rowFor(note: CreditNoteRecord, line: CreditNoteLine, index: number): string[] {
  const start = [
    String(index + 1),
    line.description,
    `${line.taxCode.scheme} ${line.taxCode.code}`,
    formatPaise(line.taxablePaise),
  ];
  const tax =
    note.supply === 'inter_state'
      ? [taxCell(line, line.igstPaise, 1)]
      : [taxCell(line, line.cgstPaise, 2), taxCell(line, line.sgstPaise, 2)];
  return [...start, ...tax, formatPaise(line.totalPaise)];
}

/** Renders an issued credit note. */
export async function renderCreditNotePdf(note: CreditNoteRecord, unicodeFontPath?: string): Promise<Buffer> {
  const pdf = startPdf({
    title: `Credit note ${note.number ?? ''}`.trim(),
    subject: 'Credit note',
    author: note.supplier.name,
    date: note.issuedAt,
    ...(unicodeFontPath ? { unicodeFontPath } : {}),
  });
  letterhead(pdf, note.supplier);
  title(pdf, 'Credit Note', 'Section 34 of the CGST Act and Rule 53 of the CGST Rules, 2017');
  factBlocks(
    pdf,
    [
      ['Issued to', note.patientName],
      ['Patient code', note.patientCode],
      ['Place of supply', `${note.placeOfSupply.stateName} (${note.placeOfSupply.stateCode})`],
    ],
    [
      ['Credit note no.', note.number ?? '-'],
      ['Date', formatLocalDate(note.localDate)],
      ['Against', `${DOCUMENT_TITLES[note.invoiceDocumentType]} ${note.invoiceNumber}`],
      ['Invoice date', formatLocalDate(note.invoiceDate)],
    ],
  );
  table(
    pdf,
    columnsFor(note),
    note.lines.map((line, index) => rowFor(note, line, index)),
  );
  const t = note.totals;
  totals(pdf, [
    ...(t.taxablePaise > 0 ? [{ label: 'Taxable value credited', value: formatPaise(t.taxablePaise) }] : []),
    ...(t.exemptPaise > 0 ? [{ label: 'Exempt value credited', value: formatPaise(t.exemptPaise) }] : []),
    ...(note.supply === 'intra_state' && t.taxPaise > 0
      ? [
          { label: 'CGST credited', value: formatPaise(t.cgstPaise) },
          { label: 'SGST credited', value: formatPaise(t.sgstPaise) },
        ]
      : []),
    ...(note.supply === 'inter_state' && t.taxPaise > 0
      ? [{ label: 'IGST credited', value: formatPaise(t.igstPaise) }]
      : []),
    { label: 'Total credited (Rs.)', value: formatPaise(t.totalPaise), strong: true },
  ]);
  paragraph(pdf, 'Amount in words', note.amountInWords);
  paragraph(pdf, 'Reason', `${note.kind === 'refund' ? 'Refund' : 'Correction'}: ${note.reason}`);
  signature(pdf, note.supplier.name);
  return finishPdf(pdf, `Credit note ${note.number ?? ''} against ${note.invoiceNumber}`);
}
