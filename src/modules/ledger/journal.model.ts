/**
 * The journal: append-only double-entry postings. Each posting is one document whose lines
 * balance (sum of debits = sum of credits), checked by the validator below and again by the
 * service before writing. A unique source key per clinic (`invoice|<id>`, `payment|<id>`) makes
 * every posting idempotent. The hooks refuse every update, replace and delete: corrections are
 * new postings (a void reverses an invoice), never edits.
 */
import mongoose from 'mongoose';
import type { HydratedDocument, Types } from 'mongoose';
import { AppError } from '../../platform/errors.js';
import { ACCOUNTS, POSTING_KINDS } from './accounts.js';
import type { Account, PostingKind } from './accounts.js';

/** One side of one account on a posting: exactly one of debit and credit is positive. */
export interface JournalLine {
  account: Account;
  debitPaise: number;
  creditPaise: number;
}

/** A posting as stored. */
export interface JournalEntryRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  sourceKey: string;
  kind: PostingKind;
  /** The document it records, e.g. `{ type: 'invoice', id }`. */
  source: { type: string; id: string };
  /** Clinic-local date of the business event (reports group by it). */
  localDate: string;
  postedAt: Date;
  /** A document number or similar; never patient data. */
  memo?: string;
  lines: JournalLine[];
  createdAt: Date;
}

const wholePaise = {
  type: Number,
  required: true,
  min: 0,
  validate: { validator: Number.isSafeInteger, message: 'must be whole paise' },
};

const lineSchema = new mongoose.Schema(
  {
    account: { type: String, enum: ACCOUNTS, required: true },
    debitPaise: wholePaise,
    creditPaise: wholePaise,
  },
  { _id: false },
);

/** Why `lines` cannot be a posting, or null when they balance. */
export function postingProblem(lines: readonly JournalLine[]): string | null {
  if (lines.length < 2) return 'a posting needs at least two lines';
  let debit = 0;
  let credit = 0;
  for (const line of lines) {
    if (
      !Number.isSafeInteger(line.debitPaise) ||
      !Number.isSafeInteger(line.creditPaise) ||
      line.debitPaise < 0 ||
      line.creditPaise < 0
    )
      return 'amounts must be whole, non-negative paise';
    if (line.debitPaise > 0 === line.creditPaise > 0) return 'each line must be either a debit or a credit';
    debit += line.debitPaise;
    credit += line.creditPaise;
  }
  return debit === credit ? null : `debits (${debit}) and credits (${credit}) differ`;
}

const journalSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    sourceKey: { type: String, required: true },
    kind: { type: String, enum: POSTING_KINDS, required: true },
    source: {
      type: { type: String, required: true },
      id: { type: String, required: true },
    },
    localDate: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    postedAt: { type: Date, required: true },
    memo: { type: String, maxlength: 60 },
    lines: {
      type: [lineSchema],
      validate: {
        validator: (lines: JournalLine[]) => postingProblem(lines) === null,
        message: (props: { value: JournalLine[] }) => `unbalanced posting: ${postingProblem(props.value)}`,
      },
    },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'journal_entries', strict: 'throw' },
);

// Idempotent postings: the same business event posts once, however often it is retried.
journalSchema.index({ clinicId: 1, sourceKey: 1 }, { unique: true, name: 'journal_source_unique' });
// Revenue report: one clinic's postings over a range of clinic-local days.
journalSchema.index({ clinicId: 1, localDate: 1 });
// A document's postings (invoice, its void, its payments): { clinicId, 'source.type', 'source.id' }.
journalSchema.index({ clinicId: 1, 'source.type': 1, 'source.id': 1 });

function appendOnly(): AppError {
  return new AppError('ledger_append_only', 500, 'The journal is append-only; post a correcting entry instead');
}

journalSchema.pre(['updateOne', 'deleteOne'], { document: true, query: true }, function () {
  throw appendOnly();
});
journalSchema.pre(
  ['updateMany', 'replaceOne', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete', 'deleteMany'],
  { document: false, query: true },
  function () {
    throw appendOnly();
  },
);
journalSchema.pre('save', function (this: HydratedDocument<JournalEntryRecord>) {
  if (!this.isNew) throw appendOnly();
});
// Postings go through ledger.service `post`, which checks them; bulk paths would skip that.
journalSchema.pre('insertMany', function (next) {
  next(appendOnly());
});
journalSchema.pre('bulkWrite', function (next) {
  next(appendOnly());
});

/** The JournalEntry model. */
export const JournalEntry = mongoose.model('JournalEntry', journalSchema);
