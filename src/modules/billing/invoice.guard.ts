/**
 * Model-level immutability of issued invoices. Services already change drafts only, but this is
 * the backstop: any update that touches what the document says (lines, discounts, totals,
 * number, patient, supplier, place of supply…) must be pinned by its filter to a draft (or the
 * `issuing` step), so it can never land on an issued invoice. Saving a loaded issued document with
 * such changes, moving an invoice back to draft, replacing and deleting are refused outright.
 * Payments, credit notes, refunds and voiding change only the bookkeeping fields.
 */
import type { HydratedDocument, Query, Schema } from 'mongoose';
import { AppError } from '../../platform/errors.js';

/** Fields frozen once an invoice is issued. */
export const FROZEN_INVOICE_FIELDS = [
  'clinicId',
  'sourceKey',
  'documentType',
  'number',
  'series',
  'financialYear',
  'seq',
  'patientId',
  'patientCode',
  'patientName',
  'patientAddress',
  'patientStateCode',
  'appointmentId',
  'doctorId',
  'placeOfSupply',
  'supply',
  'supplier',
  'lines',
  'discounts',
  'totals',
  'amountInWords',
  'issuingAt',
  'issuedAt',
  'invoiceDate',
] as const;

const EDITABLE = ['draft', 'issuing'];
const FROZEN = new Set<string>(FROZEN_INVOICE_FIELDS);

function immutable(): AppError {
  return new AppError(
    'invoice_immutable',
    409,
    'An issued invoice cannot be changed; corrections and refunds are credit notes',
  );
}

/** Top-level fields an update writes, whatever the operator. */
function writtenFields(update: unknown): Map<string, unknown> {
  const written = new Map<string, unknown>();
  if (!update || typeof update !== 'object' || Array.isArray(update)) return written;
  for (const [key, value] of Object.entries(update as Record<string, unknown>)) {
    if (!key.startsWith('$')) written.set(key.split('.')[0]!, value);
    else if (value && typeof value === 'object')
      for (const [path, operand] of Object.entries(value as Record<string, unknown>))
        written.set(path.split('.')[0]!, operand);
  }
  return written;
}

/** True when the filter only matches drafts (or invoices in the issuing step). */
function pinnedToEditable(filter: Record<string, unknown>): boolean {
  const status = filter.status;
  if (typeof status === 'string') return EDITABLE.includes(status);
  if (status && typeof status === 'object') {
    const condition = status as { $eq?: unknown; $in?: unknown };
    if (typeof condition.$eq === 'string') return EDITABLE.includes(condition.$eq);
    if (Array.isArray(condition.$in))
      return condition.$in.length > 0 && condition.$in.every((value) => EDITABLE.includes(String(value)));
  }
  return false;
}

function checkUpdate(query: Query<unknown, unknown>): void {
  const written = writtenFields(query.getUpdate());
  const touchesFrozen = [...written.keys()].some((field) => FROZEN.has(field));
  const reopens = written.has('status') && EDITABLE.includes(String(written.get('status')));
  if ((touchesFrozen || reopens) && !pinnedToEditable(query.getFilter())) throw immutable();
}

/** Installs the guards on the invoice schema. */
export function guardIssuedInvoices(schema: Schema): void {
  schema.pre(
    ['updateOne', 'updateMany', 'findOneAndUpdate'],
    { document: false, query: true },
    function (this: Query<unknown, unknown>) {
      checkUpdate(this);
    },
  );
  schema.pre(
    ['replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'],
    { document: false, query: true },
    function () {
      throw new AppError(
        'invoice_immutable',
        409,
        'Invoices are never replaced or deleted; void them or issue a credit note',
      );
    },
  );
  schema.pre('deleteOne', { document: true, query: false }, function () {
    throw new AppError('invoice_immutable', 409, 'Invoices are never deleted; void them or issue a credit note');
  });
  schema.post('init', function (this: HydratedDocument<{ status: string }>) {
    this.$locals.loadedStatus = this.status;
  });
  schema.pre('save', function (this: HydratedDocument<{ status: string }>) {
    if (this.isNew || EDITABLE.includes(String(this.$locals.loadedStatus))) return;
    const reopens = this.isModified('status') && EDITABLE.includes(this.status);
    if (reopens || FROZEN_INVOICE_FIELDS.some((field) => this.isModified(field))) throw immutable();
  });
}
