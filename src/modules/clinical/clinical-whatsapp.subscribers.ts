/**
 * Sends each issued prescription and diet plan version to the patient on WhatsApp as its PDF
 * (messaging's sendPatientDocument: consent, number, signed link, template fallback, and once per
 * version however often the event is delivered). Acts as the system actor `clinical:whatsapp`; a
 * version superseded before its event is handled is not sent, since the newer one will be.
 * The caption says what it is, from whom and when — never what is in it.
 */
import { systemActor } from '../../platform/actor.js';
import { subscribe } from '../../platform/domain-events.js';
import { log } from '../../platform/logger.js';
import { getClinic } from '../clinics/clinic.service.js';
import { sendPatientDocument } from '../messaging/patient-documents.js';
import { authorizeClinicalRead, recordClinicalRead } from './clinical-access.js';
import { DIET_PLANS, storedDietPlanPdf } from './diet-plan.service.js';
import type { DietPlanRecord } from './diet-plan.model.js';
import { issuedDedupeKey } from './issued-delivery.js';
import type { IssuedDocumentKind } from './issued-delivery.js';
import { loadIssued } from './issued-series.js';
import type { IssuedRecord, SeriesSpec } from './issued-series.js';
import { PRESCRIPTIONS, storedPrescriptionPdf } from './prescription.service.js';
import type { PrescriptionRecord } from './prescription.model.js';

interface Series {
  spec: SeriesSpec;
  stored: (record: IssuedRecord) => Promise<{ key: string; filename: string }>;
  /** What the caption calls it: first version, then later ones. */
  title: { en: [string, string]; hi: [string, string] };
}

const SERIES: Record<IssuedDocumentKind, Series> = {
  prescription: {
    spec: PRESCRIPTIONS,
    stored: (record) => storedPrescriptionPdf(record as PrescriptionRecord),
    title: { en: ['Your prescription', 'Your updated prescription'], hi: ['आपका पर्चा', 'आपका नया पर्चा'] },
  },
  diet_plan: {
    spec: DIET_PLANS,
    stored: (record) => storedDietPlanPdf(record as DietPlanRecord),
    title: { en: ['Your diet plan', 'Your updated diet plan'], hi: ['आपकी आहार योजना', 'आपकी नई आहार योजना'] },
  },
};

function captionOf(series: Series, record: IssuedRecord, timeZone: string): { en: string; hi: string } {
  const date = (locale: string) =>
    new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(
      record.issuedAt,
    );
  const which = record.version > 1 ? 1 : 0;
  const doctor = record.issuedBy.name;
  return {
    en: `${series.title.en[which]} from ${doctor}, ${date('en-IN')}`,
    hi: `${series.title.hi[which]} — ${doctor}, ${date('hi-IN')}`,
  };
}

/** Sends version `version` of issued document `id`, unless it was superseded or changed meanwhile. */
async function sendIssued(kind: IssuedDocumentKind, clinicId: string, id: string, version: number): Promise<void> {
  const series = SERIES[kind];
  const actor = systemActor(clinicId, 'clinical:whatsapp');
  const record = await loadIssued<IssuedRecord>(series.spec, clinicId, id);
  if (record.version !== version || record.status !== 'active') {
    log().info({ kind, documentId: id, version, reason: 'not_current' }, 'issued document not sent on WhatsApp');
    return;
  }
  const grant = await authorizeClinicalRead(actor, series.spec.resource, record);
  const { key, filename } = await series.stored(record);
  const clinic = await getClinic(clinicId);
  const sent = await sendPatientDocument({
    clinicId,
    patientId: String(record.patientId),
    appointmentId: String(record.appointmentId),
    kind,
    storageKey: key,
    filename,
    caption: captionOf(series, record, clinic.timezone),
    dedupeKey: issuedDedupeKey(kind, id, version),
  });
  // Handing the record to WhatsApp (Meta as processor) is a disclosure: audited like any clinical read.
  if (sent) {
    await recordClinicalRead(actor, grant, {
      action: `${kind}.sent_whatsapp`,
      entity: { type: kind, id: record._id },
      patientId: record.patientId,
      details: [
        { field: 'version', to: version },
        { field: 'outboundId', to: sent.outboundId },
      ],
    });
  }
}

/** Subscribes WhatsApp delivery to `prescription.issued` and `diet_plan.issued`. */
export function registerClinicalWhatsApp(): void {
  subscribe('prescription.issued', 'clinical.whatsapp-prescription', ({ clinicId, prescriptionId, version }) =>
    sendIssued('prescription', clinicId, prescriptionId, version),
  );
  subscribe('diet_plan.issued', 'clinical.whatsapp-diet-plan', ({ clinicId, dietPlanId, version }) =>
    sendIssued('diet_plan', clinicId, dietPlanId, version),
  );
}
