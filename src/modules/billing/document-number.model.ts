/**
 * The register of document numbers: one row per number ever given, naming the document it went
 * to. Inserting the row is what allocates the number, so a number exists only together with its
 * owner (no gap even if a process dies mid-issue: the retry finds its row by `documentKey`).
 * The register is also what a GSTR-1 "documents issued" summary reads (ranges and cancellations).
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';

/** Series prefixes: tax invoice, bill of supply, invoice-cum-bill of supply, credit note, receipt voucher, refund voucher. */
export const SERIES = ['INV', 'BOS', 'IBS', 'CN', 'RCT', 'RFV'] as const;
/** One series prefix. */
export type Series = (typeof SERIES)[number];

/** A register row as stored. */
export interface DocumentNumberRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  series: Series;
  financialYear: string;
  seq: number;
  number: string;
  /** The owner, e.g. `invoice|<id>`, `payment|<id>`. */
  documentKey: string;
  createdAt: Date;
}

const documentNumberSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    series: { type: String, enum: SERIES, required: true },
    financialYear: { type: String, required: true, match: /^\d{4}-\d{2}$/ },
    seq: { type: Number, required: true, min: 1 },
    number: { type: String, required: true, maxlength: 16 },
    documentKey: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'document_numbers' },
);

// Allocation reads the highest seq of a series-year and inserts the next; two allocators that
// read the same head collide here and the loser tries the following number.
documentNumberSchema.index(
  { clinicId: 1, series: 1, financialYear: 1, seq: -1 },
  { unique: true, name: 'document_number_seq_unique' },
);
// A retried issue finds the number its document already holds: one number per document.
documentNumberSchema.index({ clinicId: 1, documentKey: 1 }, { unique: true, name: 'document_number_owner_unique' });

/** The DocumentNumber model. */
export const DocumentNumber = mongoose.model('DocumentNumber', documentNumberSchema);
