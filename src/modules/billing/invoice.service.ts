/**
 * Draft invoices: created from price-list lines for a patient (or from an appointment, see
 * consultation-charge.service.ts), extended with more lines, read and listed. Drafts have no
 * number and are not in the books; issuing (invoice-issue.service.ts) makes them documents.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { conflict, notFound, unprocessable } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getClinic } from '../clinics/clinic.service.js';
import type { ClinicView } from '../clinics/clinic.service.js';
import { patientRecord } from '../patients/patient.service.js';
import type { PatientRecord } from '../patients/patient.model.js';
import { localDateOf } from '../scheduling/clinic-time.js';
import { computeInvoice } from './invoice-compute.js';
import type { DraftLine } from './invoice-compute.js';
import { lineFromItem, placeOfSupplyOf, supplierOf } from './invoice-parts.js';
import { Invoice } from './invoice.model.js';
import type { InvoiceRecord, InvoiceStatus } from './invoice.model.js';
import { toInvoiceView } from './invoice.view.js';
import type { InvoiceView } from './invoice.view.js';
import { activePriceItems } from './price-item.service.js';

/** A line asked for by the front desk: an item of the price list and how many. */
export interface LineRequest {
  priceItemId: string;
  quantity: number;
}

/** A new draft for a patient. */
export interface NewDraftInvoice {
  patientId: string;
  lines: LineRequest[];
  /** The patient's GST state when the supply is to another state (see placeOfSupplyOf). */
  patientStateCode?: string;
  patientAddress?: string;
}

/** The stored invoice `invoiceId` of `clinicId`, or 404. */
export async function loadInvoiceRecord(clinicId: string, invoiceId: string | Types.ObjectId): Promise<InvoiceRecord> {
  const doc = Types.ObjectId.isValid(String(invoiceId))
    ? await Invoice.findOne({ _id: invoiceId, clinicId }).lean<InvoiceRecord>()
    : null;
  if (!doc) throw notFound('Invoice');
  return doc;
}

/** The invoice if the actor may read it. */
export async function getInvoice(actor: Actor, invoiceId: string): Promise<InvoiceView> {
  const doc = await loadInvoiceRecord(actor.clinicId, invoiceId);
  assertCan(actor, 'read', 'invoices', { clinicId: doc.clinicId, patientId: doc.patientId });
  return toInvoiceView(doc);
}

/** Invoices by status, patient or appointment, newest first. */
export async function listInvoices(
  actor: Actor,
  filter: { status?: InvoiceStatus; patientId?: string; appointmentId?: string; limit?: number },
): Promise<InvoiceView[]> {
  assertCan(actor, 'read', 'invoices', {
    clinicId: actor.clinicId,
    ...(filter.patientId ? { patientId: filter.patientId } : {}),
  });
  const query: Record<string, unknown> = { clinicId: actor.clinicId };
  if (filter.status) query.status = filter.status;
  if (filter.patientId) query.patientId = filter.patientId;
  if (filter.appointmentId) query.appointmentId = filter.appointmentId;
  const docs = await Invoice.find(query)
    .sort({ createdAt: -1 })
    .limit(filter.limit ?? 100)
    .lean<InvoiceRecord[]>();
  return docs.map(toInvoiceView);
}

/** The patient of this clinic, or 404. */
export async function billedPatient(clinicId: string, patientId: string): Promise<PatientRecord> {
  const patient = await patientRecord(clinicId, patientId);
  if (!patient) throw notFound('Patient');
  return patient;
}

async function linesFromRequests(
  clinicId: string,
  requests: readonly LineRequest[],
  firstIndex: number,
  localDate: string,
): Promise<DraftLine[]> {
  const items = await activePriceItems(
    clinicId,
    requests.map((request) => request.priceItemId),
  );
  return requests.map((request, index) => {
    const item = items.get(request.priceItemId);
    if (!item)
      throw unprocessable('No active price item with this id', {
        reason: 'unknown_price_item',
        priceItemId: request.priceItemId,
      });
    return lineFromItem(item, request.quantity, `L${firstIndex + index + 1}`, localDate);
  });
}

/** What a draft stores besides its lines, from the clinic and the patient. */
export interface DraftFields {
  sourceKey: string;
  patient: PatientRecord;
  lines: DraftLine[];
  patientStateCode?: string;
  patientAddress?: string;
  appointmentId?: Types.ObjectId;
  doctorId?: Types.ObjectId;
}

/** Inserts a draft (`_id` given so callers can derive keys from it); throws E11000 on a repeated sourceKey. */
export async function insertDraft(
  actor: Actor,
  clinic: ClinicView,
  _id: Types.ObjectId,
  fields: DraftFields,
): Promise<InvoiceRecord> {
  const { placeOfSupply, supply } = placeOfSupplyOf(clinic, fields.patientStateCode);
  const computed = computeInvoice(fields.lines, [], supply);
  const doc = await Invoice.create({
    _id,
    clinicId: actor.clinicId,
    sourceKey: fields.sourceKey,
    status: 'draft',
    documentType: computed.documentType,
    patientId: fields.patient._id,
    patientCode: fields.patient.code,
    patientName: fields.patient.name,
    ...(fields.patientAddress ? { patientAddress: fields.patientAddress } : {}),
    ...(fields.patientStateCode ? { patientStateCode: fields.patientStateCode } : {}),
    ...(fields.appointmentId ? { appointmentId: fields.appointmentId } : {}),
    ...(fields.doctorId ? { doctorId: fields.doctorId } : {}),
    placeOfSupply,
    supply,
    supplier: supplierOf(clinic),
    lines: computed.lines,
    discounts: [],
    totals: computed.totals,
    amountInWords: computed.amountInWords,
    createdBy: actor.id,
  });
  const record = doc.toObject() as InvoiceRecord;
  await audit.record({
    actor,
    action: 'invoice.drafted',
    entity: { type: 'invoice', id: String(_id) },
    diff: [
      { field: 'status', to: 'draft' },
      { field: 'sourceKey', to: fields.sourceKey },
      { field: 'lines', to: computed.lines.length },
      { field: 'totalPaise', to: computed.totals.totalPaise },
    ],
  });
  return record;
}

/** Creates a draft invoice for a patient from price-list lines (front desk, pharmacy, accounts, admin). */
export async function createDraftInvoice(actor: Actor, input: NewDraftInvoice): Promise<InvoiceView> {
  assertCan(actor, 'create', 'invoices', { clinicId: actor.clinicId, patientId: input.patientId });
  const clinic = await getClinic(actor.clinicId);
  const patient = await billedPatient(actor.clinicId, input.patientId);
  const lines = await linesFromRequests(actor.clinicId, input.lines, 0, localDateOf(new Date(), clinic.timezone));
  const _id = new Types.ObjectId();
  return toInvoiceView(
    await insertDraft(actor, clinic, _id, { sourceKey: `manual|${String(_id)}`, patient, lines, ...pick(input) }),
  );
}

function pick(input: NewDraftInvoice): Pick<DraftFields, 'patientStateCode' | 'patientAddress'> {
  return {
    ...(input.patientStateCode ? { patientStateCode: input.patientStateCode } : {}),
    ...(input.patientAddress ? { patientAddress: input.patientAddress } : {}),
  };
}

/** The stored draft `invoiceId`, or 409 when it is no longer a draft (issued invoices change only by credit note). */
export async function loadDraft(actor: Actor, invoiceId: string): Promise<InvoiceRecord> {
  const doc = await loadInvoiceRecord(actor.clinicId, invoiceId);
  if (doc.status !== 'draft') {
    throw conflict(
      `The invoice is ${doc.status}: only drafts change; after issue, corrections and refunds are credit notes`,
      {
        reason: 'invoice_not_draft',
        currentStatus: doc.status,
        ...(doc.number ? { number: doc.number } : {}),
      },
    );
  }
  return doc;
}

/** Writes recomputed figures to a draft, conditional on the version read (409 when it moved on). */
export async function saveDraft(
  doc: InvoiceRecord,
  set: Record<string, unknown>,
  push?: Record<string, unknown>,
): Promise<InvoiceRecord> {
  const updated = await Invoice.findOneAndUpdate(
    { _id: doc._id, clinicId: doc.clinicId, status: 'draft', version: doc.version },
    { $set: set, ...(push ? { $push: push } : {}), $inc: { version: 1 } },
    { new: true },
  ).lean<InvoiceRecord>();
  if (!updated) throw conflict('The invoice changed meanwhile; reload and try again', { reason: 'stale_version' });
  return updated;
}

/** Adds price-list lines to a draft; discounts given as percentages extend to them. */
export async function addDraftLines(actor: Actor, invoiceId: string, requests: LineRequest[]): Promise<InvoiceView> {
  assertCan(actor, 'create', 'invoices', { clinicId: actor.clinicId });
  const doc = await loadDraft(actor, invoiceId);
  const clinic = await getClinic(actor.clinicId);
  const added = await linesFromRequests(
    actor.clinicId,
    requests,
    doc.lines.length,
    localDateOf(new Date(), clinic.timezone),
  );
  const computed = computeInvoice([...doc.lines, ...added], doc.discounts, doc.supply);
  const updated = await saveDraft(doc, {
    lines: computed.lines,
    discounts: doc.discounts.map((discount, index) => ({
      ...discount,
      appliedPaise: computed.appliedDiscounts[index],
    })),
    totals: computed.totals,
    documentType: computed.documentType,
    amountInWords: computed.amountInWords,
  });
  await audit.record({
    actor,
    action: 'invoice.lines_added',
    entity: { type: 'invoice', id: invoiceId },
    diff: [{ field: 'lines', from: doc.lines.length, to: computed.lines.length }],
  });
  return toInvoiceView(updated);
}
