/**
 * The price list: creating items, changing their price or name, switching them off, and adding
 * GST rates from a date. Changes never touch issued invoices (they keep what they were issued
 * with); drafts pick up the rate in force on the day they are issued. Every change is audited.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { diffFields } from '../../platform/audit/audit-diff.js';
import { conflict, notFound, unprocessable } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getClinic } from '../clinics/clinic.service.js';
import { loadDoctor } from '../doctors/doctor.service.js';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { localDateOf } from '../scheduling/clinic-time.js';
import { percentToBasisPoints } from './money.js';
import { PriceItem } from './price-item.model.js';
import type { PriceItemRecord, RateEntry, TaxCode } from './price-item.model.js';
import type { CreatePriceItemInput, RateInput, UpdatePriceItemInput } from './price-item.schemas.js';
import { toPriceItemView } from './price-item.view.js';
import type { PriceItemView } from './price-item.view.js';
import { CONSULTATION_SAC } from './price-rates.js';

/** Today in the clinic's timezone. */
export async function clinicToday(clinicId: string): Promise<string> {
  return localDateOf(new Date(), (await getClinic(clinicId)).timezone);
}

/** The scope key that keeps one active consultation item per doctor and per speciality. */
function scopeKeyOf(item: {
  _id: Types.ObjectId;
  kind: string;
  doctorId?: Types.ObjectId | string;
  speciality?: string;
}): string {
  if (item.kind === 'consultation' && item.doctorId) return `consultation:doctor:${String(item.doctorId)}`;
  if (item.kind === 'consultation' && item.speciality)
    return `consultation:speciality:${item.speciality.toLowerCase()}`;
  return `item:${String(item._id)}`;
}

function rateEntry(actor: Actor, input: RateInput | undefined, kind: string, today: string): RateEntry {
  const exempt = input?.exempt ?? (input?.ratePercent === undefined && kind === 'consultation');
  if (!exempt && input?.ratePercent === undefined)
    throw unprocessable('Give the GST rate (ratePercent) or mark the item exempt', { field: 'rate' });
  return {
    effectiveFrom: input?.effectiveFrom ?? today,
    rateBp: exempt ? 0 : percentToBasisPoints(input!.ratePercent!)!,
    exempt,
    setBy: actor.id,
    setAt: new Date(),
  };
}

function taxCodeFor(input: CreatePriceItemInput): TaxCode {
  if (input.taxCode) {
    if (input.kind === 'pharmacy' && input.taxCode.scheme !== 'HSN')
      throw unprocessable('Pharmacy items are goods: give their HSN code', { field: 'taxCode' });
    if ((input.kind === 'consultation' || input.kind === 'procedure') && input.taxCode.scheme !== 'SAC')
      throw unprocessable('Consultations and procedures are services: give their SAC code', { field: 'taxCode' });
    return input.taxCode;
  }
  if (input.kind === 'consultation') return { scheme: 'SAC', code: CONSULTATION_SAC };
  throw unprocessable('Give the SAC (services) or HSN (goods) code of the item', { field: 'taxCode' });
}

async function loadItem(clinicId: string, itemId: string): Promise<PriceItemRecord> {
  const doc = Types.ObjectId.isValid(itemId)
    ? await PriceItem.findOne({ _id: itemId, clinicId }).lean<PriceItemRecord>()
    : null;
  if (!doc) throw notFound('Price item');
  return doc;
}

function duplicateItem(error: unknown): Error {
  if (isDuplicateKey(error, 'price_item_code_unique'))
    return conflict('Another price item already has this code', { reason: 'code_taken' });
  if (isDuplicateKey(error, 'price_item_scope_unique'))
    return conflict('This doctor or speciality already has an active consultation item', {
      reason: 'consultation_item_exists',
    });
  return error as Error;
}

/** Creates a price item with its first GST rate (accounts, admin). */
export async function createPriceItem(actor: Actor, input: CreatePriceItemInput): Promise<PriceItemView> {
  assertCan(actor, 'create', 'price_list', { clinicId: actor.clinicId });
  if ((input.doctorId || input.speciality) && input.kind !== 'consultation')
    throw unprocessable('Only consultation items belong to a doctor or speciality', { field: 'kind' });
  if (input.doctorId) await loadDoctor(actor.clinicId, input.doctorId);
  const today = await clinicToday(actor.clinicId);
  const _id = new Types.ObjectId();
  const fields = {
    _id,
    clinicId: new Types.ObjectId(actor.clinicId),
    code: input.code,
    name: input.name,
    kind: input.kind,
    ...(input.doctorId ? { doctorId: new Types.ObjectId(input.doctorId) } : {}),
    ...(input.speciality ? { speciality: input.speciality } : {}),
    taxCode: taxCodeFor(input),
    unitPricePaise: input.unitPricePaise,
    unit: input.unit ?? 'each',
    rates: [rateEntry(actor, input.rate, input.kind, today)],
  };
  let doc: PriceItemRecord;
  try {
    doc = (await PriceItem.create({ ...fields, scopeKey: scopeKeyOf(fields) })).toObject() as PriceItemRecord;
  } catch (error) {
    throw duplicateItem(error);
  }
  const view = toPriceItemView(doc, today);
  await audit.record({
    actor,
    action: 'price_item.created',
    entity: { type: 'price_item', id: String(_id) },
    diff: diffFields(null, {
      code: view.code,
      name: view.name,
      kind: view.kind,
      taxCode: view.taxCode,
      unitPricePaise: view.unitPricePaise,
      rates: view.rates,
    }),
  });
  return view;
}

/** Changes name, price, unit or active state (accounts, admin); 409 on a stale `version`. */
export async function updatePriceItem(
  actor: Actor,
  itemId: string,
  patch: UpdatePriceItemInput,
): Promise<PriceItemView> {
  assertCan(actor, 'update', 'price_list', { clinicId: actor.clinicId });
  const before = await loadItem(actor.clinicId, itemId);
  if (patch.version !== undefined && patch.version !== before.version)
    throw conflict('The item changed since you loaded it', { version: before.version });
  const { version: _ignored, ...fields } = patch;
  const set: Record<string, unknown> = { ...fields };
  // Switching an item off frees its consultation scope for a replacement; switching it on claims it back.
  if (patch.active !== undefined) set.scopeKey = patch.active ? scopeKeyOf(before) : `inactive:${String(before._id)}`;
  let after: PriceItemRecord | null;
  try {
    after = await PriceItem.findOneAndUpdate(
      { _id: before._id, clinicId: actor.clinicId, version: before.version },
      { $set: set, $inc: { version: 1 } },
      { new: true, runValidators: true },
    ).lean<PriceItemRecord>();
  } catch (error) {
    throw duplicateItem(error);
  }
  if (!after) throw conflict('The item changed since you loaded it; reload and try again');
  await audit.record({
    actor,
    action: 'price_item.updated',
    entity: { type: 'price_item', id: itemId },
    diff: diffFields(before, after, { fields: Object.keys(fields) }),
  });
  return toPriceItemView(after, await clinicToday(actor.clinicId));
}

/** Adds a GST rate (or exemption) from `effectiveFrom`; 409 when a rate already starts that day. */
export async function addPriceItemRate(actor: Actor, itemId: string, input: RateInput): Promise<PriceItemView> {
  assertCan(actor, 'update', 'price_list', { clinicId: actor.clinicId });
  const before = await loadItem(actor.clinicId, itemId);
  const today = await clinicToday(actor.clinicId);
  const entry = rateEntry(actor, input, before.kind, today);
  const after = await PriceItem.findOneAndUpdate(
    { _id: before._id, clinicId: actor.clinicId, 'rates.effectiveFrom': { $ne: entry.effectiveFrom } },
    { $push: { rates: entry }, $inc: { version: 1 } },
    { new: true },
  ).lean<PriceItemRecord>();
  if (!after)
    throw conflict(`A rate already starts on ${entry.effectiveFrom}`, {
      reason: 'rate_exists',
      effectiveFrom: entry.effectiveFrom,
    });
  await audit.record({
    actor,
    action: 'price_item.rate_added',
    entity: { type: 'price_item', id: itemId },
    diff: [{ field: 'rate', to: { effectiveFrom: entry.effectiveFrom, rateBp: entry.rateBp, exempt: entry.exempt } }],
  });
  return toPriceItemView(after, today);
}

/** One price item. */
export async function getPriceItem(actor: Actor, itemId: string): Promise<PriceItemView> {
  assertCan(actor, 'read', 'price_list', { clinicId: actor.clinicId });
  return toPriceItemView(await loadItem(actor.clinicId, itemId), await clinicToday(actor.clinicId));
}

/** The price list, optionally by kind and active state, by name. */
export async function listPriceItems(
  actor: Actor,
  filter: { kind?: string; active?: boolean },
): Promise<PriceItemView[]> {
  assertCan(actor, 'read', 'price_list', { clinicId: actor.clinicId });
  const query: Record<string, unknown> = { clinicId: actor.clinicId };
  if (filter.kind) query.kind = filter.kind;
  if (filter.active !== undefined) query.active = filter.active;
  const [docs, today] = await Promise.all([
    PriceItem.find(query).sort({ name: 1 }).limit(1000).lean<PriceItemRecord[]>(),
    clinicToday(actor.clinicId),
  ]);
  return docs.map((doc) => toPriceItemView(doc, today));
}

/** Active items of the clinic by id (for draft lines); missing or inactive ids are absent. */
export async function activePriceItems(
  clinicId: string,
  itemIds: readonly string[],
): Promise<Map<string, PriceItemRecord>> {
  const ids = itemIds.filter((id) => Types.ObjectId.isValid(id));
  const docs = await PriceItem.find({ clinicId, _id: { $in: ids }, active: true }).lean<PriceItemRecord[]>();
  return new Map(docs.map((doc) => [String(doc._id), doc]));
}

/** Any items of the clinic by id, active or not (issuing re-reads the rates of drafted lines). */
export async function priceItemsById(
  clinicId: string,
  itemIds: readonly string[],
): Promise<Map<string, PriceItemRecord>> {
  const docs = await PriceItem.find({
    clinicId,
    _id: { $in: itemIds.filter((id) => Types.ObjectId.isValid(id)) },
  }).lean<PriceItemRecord[]>();
  return new Map(docs.map((doc) => [String(doc._id), doc]));
}

/** The active consultation item of a doctor, else of their speciality, else null. */
export async function consultationItemFor(
  clinicId: string,
  doctorId: string,
  speciality: string,
): Promise<PriceItemRecord | null> {
  const keys = [`consultation:doctor:${doctorId}`, `consultation:speciality:${speciality.toLowerCase()}`];
  const docs = await PriceItem.find({ clinicId, scopeKey: { $in: keys }, active: true }).lean<PriceItemRecord[]>();
  return docs.find((doc) => doc.scopeKey === keys[0]) ?? docs.find((doc) => doc.scopeKey === keys[1]) ?? null;
}
