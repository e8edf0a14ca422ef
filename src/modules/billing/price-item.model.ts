/**
 * The price list: what the clinic sells, with its SAC (services) or HSN (goods) code, price and
 * GST rate history. A rate applies from its `effectiveFrom` day until the next one, so the rate in
 * force on an invoice's date is always known, including for invoices drafted before a change and
 * issued after it.
 */
import mongoose from 'mongoose';
import type { Types } from 'mongoose';

/** Kinds of item: consultations go to consultation revenue, the rest to other revenue. */
export const ITEM_KINDS = ['consultation', 'procedure', 'pharmacy', 'other'] as const;
/** One item kind. */
export type ItemKind = (typeof ITEM_KINDS)[number];

/** SAC for services, HSN for goods. */
export const TAX_CODE_SCHEMES = ['SAC', 'HSN'] as const;

/** A SAC or HSN code. */
export interface TaxCode {
  scheme: (typeof TAX_CODE_SCHEMES)[number];
  code: string;
}

/** One entry of the rate history. */
export interface RateEntry {
  /** Clinic-local day the rate applies from (YYYY-MM-DD). */
  effectiveFrom: string;
  /** GST rate in basis points (18 % = 1800); 0 when exempt. */
  rateBp: number;
  exempt: boolean;
  setBy: string;
  setAt: Date;
}

/** A price item as stored. */
export interface PriceItemRecord {
  _id: Types.ObjectId;
  clinicId: Types.ObjectId;
  code: string;
  name: string;
  kind: ItemKind;
  doctorId?: Types.ObjectId;
  speciality?: string;
  /** Unique per clinic while active: one consultation item per doctor and per speciality. */
  scopeKey: string;
  taxCode: TaxCode;
  unitPricePaise: number;
  unit: string;
  rates: RateEntry[];
  active: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const rateSchema = new mongoose.Schema(
  {
    effectiveFrom: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    rateBp: { type: Number, required: true, min: 0, max: 10_000, validate: Number.isInteger },
    exempt: { type: Boolean, required: true },
    setBy: { type: String, required: true },
    setAt: { type: Date, required: true },
  },
  { _id: false },
);

const priceItemSchema = new mongoose.Schema(
  {
    clinicId: { type: mongoose.Schema.Types.ObjectId, required: true },
    code: { type: String, required: true, match: /^[A-Z0-9][A-Z0-9-]{1,23}$/ },
    name: { type: String, required: true, trim: true, maxlength: 120 },
    kind: { type: String, enum: ITEM_KINDS, required: true },
    doctorId: { type: mongoose.Schema.Types.ObjectId },
    speciality: { type: String, trim: true, maxlength: 80 },
    scopeKey: { type: String, required: true },
    taxCode: {
      scheme: { type: String, enum: TAX_CODE_SCHEMES, required: true },
      code: { type: String, required: true, match: /^\d{4}(\d{2}(\d{2})?)?$/ },
    },
    unitPricePaise: { type: Number, required: true, min: 0, validate: Number.isSafeInteger },
    unit: { type: String, default: 'each', maxlength: 12 },
    rates: { type: [rateSchema], default: [] },
    active: { type: Boolean, default: true },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'price_items' },
);

// The front desk picks items by code; unique per clinic so a code always means one item.
priceItemSchema.index({ clinicId: 1, code: 1 }, { unique: true, name: 'price_item_code_unique' });
// The consultation item of a doctor or a speciality (raiseConsultationCharge): one active each.
priceItemSchema.index({ clinicId: 1, scopeKey: 1 }, { unique: true, name: 'price_item_scope_unique' });
// The price list page: by kind, active first, by name.
priceItemSchema.index({ clinicId: 1, kind: 1, active: 1, name: 1 });

/** The PriceItem model. */
export const PriceItem = mongoose.model('PriceItem', priceItemSchema);
