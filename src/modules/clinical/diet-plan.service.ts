/**
 * Diet plans: issued and versioned like prescriptions (issued-series.ts), rendered to a PDF with
 * the letterhead, stored, and announced with `diet_plan.issued` so messaging can send it on
 * WhatsApp. Read by doctors with a care relationship and by the patient.
 */
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
import { DietPlan } from './diet-plan.model.js';
import type { DietPlanContent, DietPlanRecord } from './diet-plan.model.js';
import { issueDietPlanBody } from './diet-plan.schemas.js';
import type { IssueDietPlanInput } from './diet-plan.schemas.js';
import { withWhatsAppState } from './issued-delivery.js';
import {
  attachPdf,
  checkIssuedIntegrity,
  issueNextVersion,
  loadIssued,
  seriesOfVisit,
  toIssuedView,
} from './issued-series.js';
import type { IssuedIntegrityReport, IssuedView, SeriesSpec } from './issued-series.js';
import { renderDietPlanPdf } from './pdf/diet-plan-pdf.js';
import type { PdfDocument } from './prescription.service.js';
import { loadVisit } from './visit.service.js';

/** The diet-plan series. */
export const DIET_PLANS: SeriesSpec = {
  label: 'diet plan',
  resource: 'diet_plans',
  model: DietPlan as unknown as Model<unknown>,
  requireRegistration: false,
};

/** A diet plan version as the API shows it. */
export interface DietPlanView extends IssuedView {
  plan: DietPlanContent;
}

/** Maps a stored diet plan to its view. */
export function toDietPlanView(record: DietPlanRecord): DietPlanView {
  return { ...toIssuedView(record), plan: record.plan };
}

async function renderAndStore(record: DietPlanRecord): Promise<Buffer> {
  const context = await documentContext(record);
  const body = await renderDietPlanPdf({
    ...context,
    version: record.version,
    issuedAt: record.issuedAt,
    issuedBy: record.issuedBy,
    plan: record.plan,
    contentHash: record.contentHash,
  });
  const key = pdfKeyOf('diet-plans', record);
  await storePdf(key, body);
  await attachPdf(DIET_PLANS, record, { key, bytes: body.length });
  return body;
}

/** Issues the next version of the visit's diet plan (visit's own doctor); PDF stored; audited; publishes `diet_plan.issued`. */
export async function issueDietPlan(actor: Actor, visitId: string, input: IssueDietPlanInput): Promise<DietPlanView> {
  const { supersedesVersion, ...content } = issueDietPlanBody.parse(input);
  const visit = await loadVisit(actor.clinicId, visitId);
  const plan = JSON.parse(JSON.stringify(content)) as DietPlanContent;
  const record = await issueNextVersion<DietPlanRecord>(DIET_PLANS, actor, visit, { plan }, supersedesVersion);
  try {
    await renderAndStore(record);
  } catch (error) {
    log().error(
      { err: error, dietPlanId: String(record._id) },
      'diet plan PDF could not be stored; it will be rendered on download',
    );
  }
  await audit.record({
    actor,
    action: 'diet_plan.issued',
    entity: { type: 'diet_plan', id: record._id },
    diff: [
      { field: 'visitId', to: String(visit._id) },
      { field: 'version', to: record.version },
      { field: 'contentHash', to: record.contentHash },
    ],
  });
  await publish('diet_plan.issued', {
    clinicId: actor.clinicId,
    dietPlanId: String(record._id),
    patientId: String(record.patientId),
    version: record.version,
  });
  // The event's handlers have run by now, so the view already says whether it went to WhatsApp.
  const [view] = await withWhatsAppState(actor.clinicId, 'diet_plan', [toDietPlanView(record)]);
  return view!;
}

/** Every version of the visit's diet plan, newest first; audited. */
export async function listDietPlanVersions(actor: Actor, visitId: string): Promise<DietPlanView[]> {
  const visit = await loadVisit(actor.clinicId, visitId);
  const grant = await authorizeClinicalRead(actor, 'diet_plans', visit);
  const versions = await seriesOfVisit<DietPlanRecord>(DIET_PLANS, actor.clinicId, visit._id);
  await recordClinicalRead(actor, grant, {
    action: 'diet_plan.viewed',
    entity: { type: 'visit', id: visit._id },
    patientId: visit.patientId,
    details: [{ field: 'versions', to: versions.length }],
  });
  return withWhatsAppState(actor.clinicId, 'diet_plan', versions.map(toDietPlanView));
}

/** Every diet plan version of a patient, newest first (the patient portal lists them); audited. */
export async function listPatientDietPlans(actor: Actor, patientId: string): Promise<DietPlanView[]> {
  assertCan(actor, 'read', 'diet_plans');
  const patient = await patientRecord(actor.clinicId, patientId);
  if (!patient) throw notFound('Patient');
  const grant = await authorizeClinicalRead(actor, 'diet_plans', { clinicId: actor.clinicId, patientId: patient._id });
  const records = await DietPlan.find({ clinicId: actor.clinicId, patientId: patient._id })
    .sort({ issuedAt: -1 })
    .limit(100)
    .lean<DietPlanRecord[]>();
  await recordClinicalRead(actor, grant, {
    action: 'diet_plan.listed',
    entity: { type: 'patient', id: patient._id },
    patientId: patient._id,
    details: [{ field: 'count', to: records.length }],
  });
  return records.map(toDietPlanView);
}

/** One diet plan version; audited. */
export async function getDietPlan(actor: Actor, dietPlanId: string): Promise<DietPlanView> {
  const record = await loadIssued<DietPlanRecord>(DIET_PLANS, actor.clinicId, dietPlanId);
  const grant = await authorizeClinicalRead(actor, 'diet_plans', record);
  await recordClinicalRead(actor, grant, {
    action: 'diet_plan.viewed',
    entity: { type: 'diet_plan', id: record._id },
    patientId: record.patientId,
  });
  const [view] = await withWhatsAppState(actor.clinicId, 'diet_plan', [toDietPlanView(record)]);
  return view!;
}

/** The PDF of a diet plan version (rendered now if it was not stored); audited. */
export async function dietPlanPdf(actor: Actor, dietPlanId: string): Promise<PdfDocument> {
  const record = await loadIssued<DietPlanRecord>(DIET_PLANS, actor.clinicId, dietPlanId);
  const grant = await authorizeClinicalRead(actor, 'diet_plans', record);
  const body = (record.pdf?.key ? await readPdf(record.pdf.key) : null) ?? (await renderAndStore(record));
  await recordClinicalRead(actor, grant, {
    action: 'diet_plan.pdf_viewed',
    entity: { type: 'diet_plan', id: record._id },
    patientId: record.patientId,
  });
  return { body, contentType: 'application/pdf', filename: pdfFilenameOf('diet-plan', record) };
}

/** Where the version's PDF is stored, rendering and storing it first if it is missing (sending it by link needs the file). */
export async function storedDietPlanPdf(record: DietPlanRecord): Promise<{ key: string; filename: string }> {
  const stored = record.pdf?.key && (await pdfExists(record.pdf.key)) ? record.pdf.key : null;
  if (!stored) await renderAndStore(record);
  return { key: stored ?? pdfKeyOf('diet-plans', record), filename: pdfFilenameOf('diet-plan', record) };
}

/** Checks the stored content hash against the one its issuing audit event recorded; audited. */
export async function verifyDietPlanIntegrity(actor: Actor, id: string): Promise<IssuedIntegrityReport> {
  const record = await loadIssued<DietPlanRecord>(DIET_PLANS, actor.clinicId, id);
  const grant = await authorizeClinicalRead(actor, 'diet_plans', record);
  const report = await checkIssuedIntegrity(DIET_PLANS, record);
  await recordClinicalRead(actor, grant, {
    action: 'diet_plan.integrity_checked',
    entity: { type: 'diet_plan', id: record._id },
    patientId: record.patientId,
    details: [{ field: 'ok', to: report.ok }],
  });
  return report;
}
