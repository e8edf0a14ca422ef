/**
 * Prescriptions: the visit's doctor issues version 1, 2, 3 … (issued-series.ts); each version is
 * rendered to a PDF with the letterhead, stored, and announced with `prescription.issued` so
 * messaging can send it to the patient on WhatsApp. Doctors (with a care relationship), the
 * pharmacy and the patient read them — the pharmacy sees the medicines, never the visit note.
 */
import { Types } from 'mongoose';
import type { Model } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { publish } from '../../platform/domain-events.js';
import { notFound } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import { assertCan } from '../../platform/rbac/can.js';
import { patientRecord } from '../patients/patient.service.js';
import { authorizeClinicalRead, recordClinicalRead } from './clinical-access.js';
import { documentContext, pdfExists, pdfFilenameOf, pdfKeyOf, readPdf, storePdf } from './clinical-documents.js';
import { withWhatsAppState } from './issued-delivery.js';
import {
  activeOfPatient,
  attachPdf,
  issueNextVersion,
  checkIssuedIntegrity,
  loadIssued,
  seriesOfVisit,
  toIssuedView,
} from './issued-series.js';
import type { IssuedIntegrityReport, IssuedView, SeriesSpec } from './issued-series.js';
import { renderPrescriptionPdf } from './pdf/prescription-pdf.js';
import { Prescription } from './prescription.model.js';
import type { PrescriptionItem, PrescriptionRecord } from './prescription.model.js';
import { issuePrescriptionBody } from './prescription.schemas.js';
import type { IssuePrescriptionInput } from './prescription.schemas.js';
import { loadVisit } from './visit.service.js';

/** The prescription series. */
export const PRESCRIPTIONS: SeriesSpec = {
  label: 'prescription',
  resource: 'prescriptions',
  model: Prescription as unknown as Model<unknown>,
  requireRegistration: true,
};

/** A prescription version as the API shows it. */
export interface PrescriptionView extends IssuedView {
  items: PrescriptionItem[];
  advice?: string;
}

/** A rendered PDF ready to send or download. */
export interface PdfDocument {
  body: Buffer;
  contentType: 'application/pdf';
  filename: string;
}

/** Maps a stored prescription to its view. */
export function toPrescriptionView(record: PrescriptionRecord): PrescriptionView {
  return { ...toIssuedView(record), items: record.items, ...(record.advice ? { advice: record.advice } : {}) };
}

async function renderAndStore(record: PrescriptionRecord): Promise<Buffer> {
  const context = await documentContext(record);
  const body = await renderPrescriptionPdf({
    ...context,
    version: record.version,
    issuedAt: record.issuedAt,
    issuedBy: record.issuedBy,
    items: record.items,
    ...(record.advice ? { advice: record.advice } : {}),
    contentHash: record.contentHash,
  });
  const key = pdfKeyOf('prescriptions', record);
  await storePdf(key, body);
  await attachPdf(PRESCRIPTIONS, record, { key, bytes: body.length });
  return body;
}

/**
 * Issues the next version of the visit's prescription (visit's own doctor, with a registration
 * number on their profile). The PDF is rendered and stored now; if storage fails the issue still
 * stands and the PDF is rendered on first download. Audited; publishes `prescription.issued`.
 */
export async function issuePrescription(
  actor: Actor,
  visitId: string,
  input: IssuePrescriptionInput,
): Promise<PrescriptionView> {
  const data = issuePrescriptionBody.parse(input);
  const visit = await loadVisit(actor.clinicId, visitId);
  const items: PrescriptionItem[] = data.items.map(
    (item) => JSON.parse(JSON.stringify({ id: new Types.ObjectId().toHexString(), ...item })) as PrescriptionItem,
  );
  const record = await issueNextVersion<PrescriptionRecord>(
    PRESCRIPTIONS,
    actor,
    visit,
    { items, ...(data.advice ? { advice: data.advice } : {}) },
    data.supersedesVersion,
  );
  try {
    await renderAndStore(record);
  } catch (error) {
    log().error(
      { err: error, prescriptionId: String(record._id) },
      'prescription PDF could not be stored; it will be rendered on download',
    );
  }
  await audit.record({
    actor,
    action: 'prescription.issued',
    entity: { type: 'prescription', id: record._id },
    diff: [
      { field: 'visitId', to: String(visit._id) },
      { field: 'version', to: record.version },
      { field: 'itemCount', to: items.length },
      { field: 'contentHash', to: record.contentHash },
    ],
  });
  await publish('prescription.issued', {
    clinicId: actor.clinicId,
    prescriptionId: String(record._id),
    patientId: String(record.patientId),
    version: record.version,
  });
  // The event's handlers have run by now, so the view already says whether it went to WhatsApp.
  const [view] = await withWhatsAppState(actor.clinicId, 'prescription', [toPrescriptionView(record)]);
  return view!;
}

/** Every version of the visit's prescription, newest first, for a reader the access rules admit; audited. */
export async function listPrescriptionVersions(actor: Actor, visitId: string): Promise<PrescriptionView[]> {
  const visit = await loadVisit(actor.clinicId, visitId);
  const grant = await authorizeClinicalRead(actor, 'prescriptions', visit);
  const versions = await seriesOfVisit<PrescriptionRecord>(PRESCRIPTIONS, actor.clinicId, visit._id);
  await recordClinicalRead(actor, grant, {
    action: 'prescription.viewed',
    entity: { type: 'visit', id: visit._id },
    patientId: visit.patientId,
    details: [{ field: 'versions', to: versions.length }],
  });
  return withWhatsAppState(actor.clinicId, 'prescription', versions.map(toPrescriptionView));
}

/** One prescription version; audited. */
export async function getPrescription(actor: Actor, prescriptionId: string): Promise<PrescriptionView> {
  const record = await loadIssued<PrescriptionRecord>(PRESCRIPTIONS, actor.clinicId, prescriptionId);
  const grant = await authorizeClinicalRead(actor, 'prescriptions', record);
  await recordClinicalRead(actor, grant, {
    action: 'prescription.viewed',
    entity: { type: 'prescription', id: record._id },
    patientId: record.patientId,
  });
  const [view] = await withWhatsAppState(actor.clinicId, 'prescription', [toPrescriptionView(record)]);
  return view!;
}

/** A patient's prescriptions, newest first: active ones (default) or every version (pharmacy counter, doctors); audited. */
export async function listPatientPrescriptions(
  actor: Actor,
  patientId: string,
  status: 'active' | 'all' = 'active',
): Promise<PrescriptionView[]> {
  assertCan(actor, 'read', 'prescriptions');
  const patient = await patientRecord(actor.clinicId, patientId);
  if (!patient) throw notFound('Patient');
  const grant = await authorizeClinicalRead(actor, 'prescriptions', {
    clinicId: actor.clinicId,
    patientId: patient._id,
  });
  const records =
    status === 'active'
      ? await activeOfPatient<PrescriptionRecord>(PRESCRIPTIONS, actor.clinicId, patient._id, 20)
      : await Prescription.find({ clinicId: actor.clinicId, patientId: patient._id })
          .sort({ issuedAt: -1 })
          .limit(100)
          .lean<PrescriptionRecord[]>();
  await recordClinicalRead(actor, grant, {
    action: 'prescription.listed',
    entity: { type: 'patient', id: patient._id },
    patientId: patient._id,
    details: [{ field: 'count', to: records.length }],
  });
  return withWhatsAppState(actor.clinicId, 'prescription', records.map(toPrescriptionView));
}

/**
 * The PDF of a prescription version (stored at issue, rendered now if missing), for a reader the
 * access rules admit — messaging uses a system actor to fetch it for WhatsApp. Audited.
 */
export async function prescriptionPdf(actor: Actor, prescriptionId: string): Promise<PdfDocument> {
  const record = await loadIssued<PrescriptionRecord>(PRESCRIPTIONS, actor.clinicId, prescriptionId);
  const grant = await authorizeClinicalRead(actor, 'prescriptions', record);
  const body = (record.pdf?.key ? await readPdf(record.pdf.key) : null) ?? (await renderAndStore(record));
  await recordClinicalRead(actor, grant, {
    action: 'prescription.pdf_viewed',
    entity: { type: 'prescription', id: record._id },
    patientId: record.patientId,
  });
  return { body, contentType: 'application/pdf', filename: pdfFilenameOf('prescription', record) };
}

/** Where the version's PDF is stored, rendering and storing it first if it is missing (sending it by link needs the file). */
export async function storedPrescriptionPdf(record: PrescriptionRecord): Promise<{ key: string; filename: string }> {
  const stored = record.pdf?.key && (await pdfExists(record.pdf.key)) ? record.pdf.key : null;
  if (!stored) await renderAndStore(record);
  return { key: stored ?? pdfKeyOf('prescriptions', record), filename: pdfFilenameOf('prescription', record) };
}

/** Checks the stored content hash against the one its issuing audit event recorded; audited. */
export async function verifyPrescriptionIntegrity(actor: Actor, id: string): Promise<IssuedIntegrityReport> {
  const record = await loadIssued<PrescriptionRecord>(PRESCRIPTIONS, actor.clinicId, id);
  const grant = await authorizeClinicalRead(actor, 'prescriptions', record);
  const report = await checkIssuedIntegrity(PRESCRIPTIONS, record);
  await recordClinicalRead(actor, grant, {
    action: 'prescription.integrity_checked',
    entity: { type: 'prescription', id: record._id },
    patientId: record.patientId,
    details: [{ field: 'ok', to: report.ok }],
  });
  return report;
}
