/**
 * Credit notes (CGST Act s. 34, Rule 53): the only way an issued invoice's value goes down —
 * for a refund or a correction. Each names its invoice and credits part of what the invoice
 * still carries, line by line and tax by tax. `ordinal` orders an invoice's credit notes
 * (unique per invoice), so each is computed from all earlier ones and no line or tax is ever
 * credited twice. A note is inserted `pending`, then numbered (CN series) and `issued`.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';
import { encryptedFields } from '../../platform/crypto/encrypted-fields.js';
import { DOCUMENT_TYPES } from './gst.js';
import type { DocumentType, Supply, TaxTotals } from './gst.js';
import type { Supplier } from './invoice.model.js';
import { ITEM_KINDS } from './price-item.model.js';
import type { ItemKind, TaxCode } from './price-item.model.js';

/** One credited line: how much of an invoice line's value and tax comes back. */
export interface CreditNoteLine {
  lineId: string;
  kind: ItemKind;
  description: string;
  taxCode: TaxCode;
  exempt: boolean;
  rateBp: number;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  igstPaise: number;
  totalPaise: number;
}

/** Credit note totals: what is credited (a credit note reverses taxable value and tax, not gross and discount). */
export type CreditNoteTotals = Omit<TaxTotals, 'grossPaise' | 'discountPaise'>;

/** A credit note as stored, with the patient's name opened. */
export interface CreditNoteRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  invoiceId: Types.ObjectId;
  invoiceNumber: string;
  invoiceDate: string;
  invoiceDocumentType: DocumentType;
  ordinal: number;
  sourceKey: string;
  kind: 'refund' | 'correction';
  refundId?: Types.ObjectId;
  status: 'pending' | 'issued' | 'cancelled';
  number?: string;
  financialYear?: string;
  issuedAt: Date;
  localDate: string;
  patientId: Types.ObjectId;
  patientCode: string;
  patientName: string;
  supplier: Supplier;
  placeOfSupply: { stateCode: string; stateName: string };
  supply: Supply;
  reason: string;
  lines: CreditNoteLine[];
  totals: CreditNoteTotals;
  amountInWords: string;
  pdfKey?: string;
  createdBy: string;
  createdAt: Date;
}

const paise = { type: Number, required: true, min: 0, validate: Number.isSafeInteger };

const lineSchema = new mongoose.Schema(
  {
    lineId: { type: String, required: true },
    kind: { type: String, enum: ITEM_KINDS, required: true },
    description: { type: String, required: true },
    taxCode: { scheme: { type: String, required: true }, code: { type: String, required: true } },
    exempt: { type: Boolean, required: true },
    rateBp: { type: Number, required: true },
    taxablePaise: paise,
    cgstPaise: paise,
    sgstPaise: paise,
    igstPaise: paise,
    totalPaise: paise,
  },
  { _id: false },
);

const creditNoteSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    invoiceId: { type: mongoose.Schema.Types.ObjectId, required: true },
    invoiceNumber: { type: String, required: true },
    invoiceDate: { type: String, required: true },
    invoiceDocumentType: { type: String, enum: DOCUMENT_TYPES, required: true },
    ordinal: { type: Number, required: true, min: 1 },
    sourceKey: { type: String, required: true },
    kind: { type: String, enum: ['refund', 'correction'], required: true },
    refundId: { type: mongoose.Schema.Types.ObjectId },
    status: { type: String, enum: ['pending', 'issued', 'cancelled'], required: true },
    number: { type: String, maxlength: 16 },
    financialYear: { type: String },
    issuedAt: { type: Date, required: true },
    localDate: { type: String, required: true },
    patientId: { type: mongoose.Schema.Types.ObjectId, required: true },
    patientCode: { type: String, required: true },
    /** Encrypted. */
    patientName: { type: String, required: true },
    supplier: {
      name: { type: String, required: true },
      gstin: String,
      stateCode: String,
      stateName: String,
      address: { line1: String, line2: String, city: String, state: String, pincode: String },
      phone: String,
    },
    placeOfSupply: { stateCode: { type: String, required: true }, stateName: { type: String, required: true } },
    supply: { type: String, enum: ['intra_state', 'inter_state'], required: true },
    reason: { type: String, required: true, maxlength: 300 },
    lines: { type: [lineSchema], default: [] },
    totals: {
      taxablePaise: paise,
      exemptPaise: paise,
      cgstPaise: paise,
      sgstPaise: paise,
      igstPaise: paise,
      taxPaise: paise,
      totalPaise: paise,
    },
    amountInWords: { type: String, required: true },
    pdfKey: { type: String },
    createdBy: { type: String, required: true },
  },
  { timestamps: true, collection: 'credit_notes' },
);

encryptedFields(creditNoteSchema, { scope: 'creditNote', paths: ['patientName'] });

// An invoice's credit notes in order: the next one is computed from all before it; two racing
// notes for one invoice collide here and the loser recomputes.
creditNoteSchema.index({ clinicId: 1, invoiceId: 1, ordinal: 1 }, { unique: true, name: 'credit_note_ordinal_unique' });
// One credit note per refund or correction request, however often it is retried.
creditNoteSchema.index({ clinicId: 1, sourceKey: 1 }, { unique: true, name: 'credit_note_source_unique' });

/** The CreditNote model. */
export const CreditNote = mongoose.model('CreditNote', creditNoteSchema);
