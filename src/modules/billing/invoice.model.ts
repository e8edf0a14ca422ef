/**
 * Invoices (tax invoices, bills of supply, invoice-cum-bills of supply). A draft can change; from
 * issue on, what the document says is frozen (invoice.guard.ts refuses edits at the model level)
 * and only its money bookkeeping moves: payments, credit notes and refunds. The patient's name is
 * printed on the document, so it is stored here, encrypted.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';
import { DOCUMENT_TYPES } from './gst.js';
import type { DocumentType, Supply, TaxTotals } from './gst.js';
import type { DraftLine } from './invoice-compute.js';
import { guardIssuedInvoices } from './invoice.guard.js';
import { ITEM_KINDS, TAX_CODE_SCHEMES } from './price-item.model.js';

/** Invoice states: `issuing` is the short step between claiming a draft and its number. */
export const INVOICE_STATUSES = ['draft', 'issuing', 'issued', 'partially_paid', 'paid', 'void'] as const;
/** One invoice status. */
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** One invoice line with its tax worked out (gst.ts). */
export interface InvoiceLine extends DraftLine {
  grossPaise: number;
  discountPaise: number;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  igstPaise: number;
  totalPaise: number;
}

/** A discount as requested; `appliedPaise` is what it came to. */
export interface InvoiceDiscount {
  discountId: string;
  lineId?: string;
  percentBp?: number;
  amountPaise?: number;
  appliedPaise: number;
  reason: string;
  by: { id: string; type: string; roles: string[] };
  at: Date;
}

/** The seller as printed (a snapshot of the clinic profile at issue). */
export interface Supplier {
  name: string;
  gstin?: string;
  stateCode?: string;
  stateName?: string;
  address: { line1?: string; line2?: string; city?: string; state?: string; pincode?: string };
  phone?: string;
}

/** Invoice totals, in paise: the sums of the rounded lines (gst.ts). */
export type InvoiceTotals = TaxTotals;

/** An invoice as stored, with the patient's name opened (lean reads through the model). */
export interface InvoiceRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  sourceKey: string;
  status: InvoiceStatus;
  documentType: DocumentType;
  number?: string;
  series?: string;
  financialYear?: string;
  seq?: number;
  patientId: Types.ObjectId;
  patientCode: string;
  patientName: string;
  patientAddress?: string;
  patientStateCode?: string;
  appointmentId?: Types.ObjectId;
  doctorId?: Types.ObjectId;
  placeOfSupply: { stateCode: string; stateName: string };
  supply: Supply;
  supplier: Supplier;
  lines: InvoiceLine[];
  discounts: InvoiceDiscount[];
  totals: InvoiceTotals;
  amountInWords: string;
  issuingAt?: Date;
  issuedAt?: Date;
  invoiceDate?: string;
  paidPaise: number;
  duePaise: number;
  creditedPaise: number;
  refundedPaise: number;
  appliedPaymentIds: Types.ObjectId[];
  creditNoteIds: Types.ObjectId[];
  correctionKeys: string[];
  voidReason?: string;
  voidedAt?: Date;
  voidedBy?: string;
  pdfKey?: string;
  createdBy: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const paiseField = { type: Number, required: true, min: 0, validate: Number.isSafeInteger };

const taxCodeSchema = new mongoose.Schema(
  { scheme: { type: String, enum: TAX_CODE_SCHEMES, required: true }, code: { type: String, required: true } },
  { _id: false },
);

const lineSchema = new mongoose.Schema(
  {
    lineId: { type: String, required: true },
    kind: { type: String, enum: ITEM_KINDS, required: true },
    priceItemId: { type: mongoose.Schema.Types.ObjectId },
    description: { type: String, required: true, maxlength: 200 },
    taxCode: { type: taxCodeSchema, required: true },
    unit: { type: String, default: 'each' },
    quantity: { type: Number, required: true, min: 1, validate: Number.isInteger },
    unitPricePaise: paiseField,
    exempt: { type: Boolean, required: true },
    rateBp: { type: Number, required: true, min: 0 },
    grossPaise: paiseField,
    discountPaise: paiseField,
    taxablePaise: paiseField,
    cgstPaise: paiseField,
    sgstPaise: paiseField,
    igstPaise: paiseField,
    totalPaise: paiseField,
  },
  { _id: false },
);

const discountSchema = new mongoose.Schema(
  {
    discountId: { type: String, required: true },
    lineId: { type: String },
    percentBp: { type: Number, min: 1, max: 10_000 },
    amountPaise: { type: Number, min: 1 },
    appliedPaise: paiseField,
    reason: { type: String, required: true, maxlength: 300 },
    by: {
      id: { type: String, required: true },
      type: { type: String, required: true },
      roles: { type: [String], default: [] },
    },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const totalsFields = {
  grossPaise: paiseField,
  discountPaise: paiseField,
  taxablePaise: paiseField,
  exemptPaise: paiseField,
  cgstPaise: paiseField,
  sgstPaise: paiseField,
  igstPaise: paiseField,
  taxPaise: paiseField,
  totalPaise: paiseField,
};

const invoiceSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    /** What raised it: `manual|<id>`, or `consultation|<appointmentId>` so an appointment is charged once. */
    sourceKey: { type: String, required: true },
    status: { type: String, enum: INVOICE_STATUSES, required: true },
    documentType: { type: String, enum: DOCUMENT_TYPES, required: true },
    number: { type: String, maxlength: 16 },
    series: { type: String },
    financialYear: { type: String },
    seq: { type: Number },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    patientCode: { type: String, required: true },
    /** Encrypted. */
    patientName: { type: String, required: true },
    /** Encrypted; printed when given (Rule 46(e) asks for it on larger bills to unregistered persons). */
    patientAddress: { type: String },
    patientStateCode: { type: String },
    appointmentId: { type: mongoose.Schema.Types.ObjectId },
    doctorId: { type: mongoose.Schema.Types.ObjectId },
    placeOfSupply: { stateCode: { type: String, required: true }, stateName: { type: String, required: true } },
    supply: { type: String, enum: ['intra_state', 'inter_state'], required: true },
    supplier: {
      name: { type: String, required: true },
      gstin: { type: String },
      stateCode: { type: String },
      stateName: { type: String },
      address: { line1: String, line2: String, city: String, state: String, pincode: String },
      phone: { type: String },
    },
    lines: { type: [lineSchema], default: [] },
    discounts: { type: [discountSchema], default: [] },
    totals: totalsFields,
    amountInWords: { type: String, required: true },
    issuingAt: { type: Date },
    issuedAt: { type: Date },
    /** Clinic-local date of issue (YYYY-MM-DD). */
    invoiceDate: { type: String },
    paidPaise: { ...paiseField, default: 0 },
    /** What the patient still owes: total − paid − correction credit notes. Payments decrement it conditionally. */
    duePaise: { ...paiseField, default: 0 },
    creditedPaise: { ...paiseField, default: 0 },
    refundedPaise: { ...paiseField, default: 0 },
    /** Payments already counted in paidPaise (the conditional $inc skips one seen twice). */
    appliedPaymentIds: { type: [mongoose.Schema.Types.ObjectId], default: [] },
    creditNoteIds: { type: [mongoose.Schema.Types.ObjectId], default: [] },
    /** Correction credit notes already taken off duePaise. */
    correctionKeys: { type: [String], default: [] },
    voidReason: { type: String, maxlength: 300 },
    voidedAt: { type: Date },
    voidedBy: { type: String },
    pdfKey: { type: String },
    createdBy: { type: String, required: true },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, minimize: false },
);

encryptedFields(invoiceSchema, { scope: 'invoice', paths: ['patientName', 'patientAddress'] });
guardIssuedInvoices(invoiceSchema);

// One charge per source: raiseConsultationCharge inserts under `consultation|<appointmentId>` and a repeat collides.
invoiceSchema.index({ clinicId: 1, sourceKey: 1 }, { unique: true, name: 'invoice_source_unique' });
// Invoice list by status and date (unpaid invoices, the day's bills).
invoiceSchema.index({ clinicId: 1, status: 1, invoiceDate: -1 });
// A patient's invoices, newest first (panel, portal).
invoiceSchema.index({ clinicId: 1, patientId: 1, createdAt: -1 });
// An appointment's invoices (refunds on cancellation, the payment link for a booking).
invoiceSchema.index({ clinicId: 1, appointmentId: 1 });
// Lookup by printed number (a patient quotes it at the desk).
invoiceSchema.index({ clinicId: 1, number: 1 });

/** The Invoice model. */
export const Invoice = mongoose.model('Invoice', invoiceSchema);
