/** What callers see of an invoice, and the names and series of the GST document types. */
import type { DocumentType } from './gst.js';
import type { Series } from './document-number.model.js';
import type {
  InvoiceDiscount,
  InvoiceLine,
  InvoiceRecord,
  InvoiceStatus,
  InvoiceTotals,
  Supplier,
} from './invoice.model.js';

/** The printed title of each document type. */
export const DOCUMENT_TITLES: Record<DocumentType, string> = {
  tax_invoice: 'Tax Invoice',
  bill_of_supply: 'Bill of Supply',
  invoice_cum_bill_of_supply: 'Invoice-cum-Bill of Supply',
};

/** The number series of each document type (each runs its own consecutive numbers per year). */
export const DOCUMENT_SERIES: Record<DocumentType, Series> = {
  tax_invoice: 'INV',
  bill_of_supply: 'BOS',
  invoice_cum_bill_of_supply: 'IBS',
};

/** An invoice as the API returns it. */
export interface InvoiceView {
  id: string;
  status: InvoiceStatus;
  documentType: DocumentType;
  documentTitle: string;
  number?: string;
  financialYear?: string;
  invoiceDate?: string;
  issuedAt?: Date;
  patient: { id: string; code: string; name: string; stateCode?: string };
  appointmentId?: string;
  doctorId?: string;
  placeOfSupply: { stateCode: string; stateName: string };
  supply: 'intra_state' | 'inter_state';
  supplier: Supplier;
  lines: (Omit<InvoiceLine, 'priceItemId'> & { priceItemId?: string })[];
  discounts: (Omit<InvoiceDiscount, 'by'> & { by: { id: string; roles: string[] } })[];
  totals: InvoiceTotals;
  amountInWords: string;
  paidPaise: number;
  duePaise: number;
  creditedPaise: number;
  refundedPaise: number;
  void?: { reason?: string; at?: Date; by?: string };
  version: number;
  createdAt: Date;
}

/** Maps a stored invoice to its view. */
export function toInvoiceView(doc: InvoiceRecord): InvoiceView {
  return {
    id: String(doc._id),
    status: doc.status,
    documentType: doc.documentType,
    documentTitle: DOCUMENT_TITLES[doc.documentType],
    ...(doc.number ? { number: doc.number, financialYear: doc.financialYear } : {}),
    ...(doc.invoiceDate ? { invoiceDate: doc.invoiceDate, issuedAt: doc.issuedAt } : {}),
    patient: {
      id: String(doc.patientId),
      code: doc.patientCode,
      name: doc.patientName,
      ...(doc.patientStateCode ? { stateCode: doc.patientStateCode } : {}),
    },
    ...(doc.appointmentId ? { appointmentId: String(doc.appointmentId) } : {}),
    ...(doc.doctorId ? { doctorId: String(doc.doctorId) } : {}),
    placeOfSupply: { stateCode: doc.placeOfSupply.stateCode, stateName: doc.placeOfSupply.stateName },
    supply: doc.supply,
    supplier: doc.supplier,
    lines: doc.lines.map(({ priceItemId, ...line }) => ({
      ...line,
      ...(priceItemId ? { priceItemId: String(priceItemId) } : {}),
    })),
    discounts: doc.discounts.map(({ by, ...discount }) => ({ ...discount, by: { id: by.id, roles: [...by.roles] } })),
    totals: doc.totals,
    amountInWords: doc.amountInWords,
    paidPaise: doc.paidPaise,
    duePaise: doc.duePaise,
    creditedPaise: doc.creditedPaise,
    refundedPaise: doc.refundedPaise,
    ...(doc.status === 'void' ? { void: { reason: doc.voidReason, at: doc.voidedAt, by: doc.voidedBy } } : {}),
    version: doc.version,
    createdAt: doc.createdAt,
  };
}
