/**
 * Patient documents on WhatsApp: the one function other modules call to send a patient a stored
 * PDF (prescription, diet plan, invoice, receipt, credit note, refund voucher). Meta fetches the
 * file through an expiring signed link (platform/storage/signed-links.ts); outside the 24-hour
 * window it goes as the `document` purpose's template, the PDF in its header.
 *
 * - Idempotent on `dedupeKey`: a redelivered event or a concurrent call sends nothing more
 *   (document-delivery.model.ts holds the claim; the outbound id is fixed before queueing).
 * - Consent (DPDP): sent while `whatsapp_messaging` is granted, and to patients with no consent
 *   records at all — the number was given to the clinic to be reached about their care and they
 *   never said no (the Act's "legitimate use" of data given voluntarily for a purpose, s. 7(a)).
 *   Not sent once consents are on record without that one (withdrawn, or not given when asked).
 * - The caption is the caller's and must carry no clinical text: what it is, from whom, when.
 */
import { Types } from 'mongoose';
import type { Config } from '../../config.js';
import { AppError } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import { createDocumentStorage } from '../../platform/storage/index.js';
import type { DocumentStorage } from '../../platform/storage/index.js';
import { safeFilename, signedDocumentLink } from '../../platform/storage/signed-links.js';
import { consentStanding } from '../patients/consent.service.js';
import { contactRecordById } from '../patients/contact.service.js';
import { patientRecord } from '../patients/patient.service.js';
import { PATIENT_DOCUMENT_KINDS, PatientDocumentDelivery } from './document-delivery.model.js';
import type { DocumentDeliveryRecord, PatientDocumentKind } from './document-delivery.model.js';
import type { OutboundStatus } from './outbound.model.js';
import { outboundStatesOf, sendWhatsApp } from './outbound.service.js';
import { documentMessage } from './whatsapp-messages.js';

export type { PatientDocumentKind } from './document-delivery.model.js';

/** A caption in each language the bot speaks; the patient's preferred one is sent. */
export type DocumentCaption = string | { en: string; hi: string };

/** What to send, to whom, and the key that makes it happen once. */
export interface PatientDocumentInput {
  clinicId: string;
  patientId: string;
  appointmentId?: string;
  kind: PatientDocumentKind;
  /** Where the PDF is stored (platform/storage); it must exist. */
  storageKey: string;
  /** Shown on the phone, e.g. `prescription-2026-11-25-v2.pdf` (no names). */
  filename: string;
  /** e.g. "Your prescription from Dr Rao, 25 Nov 2026": never clinical text. */
  caption: DocumentCaption;
  /** Ids only, e.g. `prescription|<id>|v2`: one message per key, ever. */
  dedupeKey: string;
}

/** A sent document's state, for "sent on WhatsApp" in the staff views. */
export interface DocumentDelivery {
  status: OutboundStatus;
  sentAt: Date | null;
}

const DEDUPE_KEY = /^[A-Za-z0-9|:._-]{1,200}$/;

let settings: { config: Pick<Config, 'publicUrl' | 'documents'>; storage: DocumentStorage } | undefined;

/** Installs the link settings and document storage (the messaging module does this at registration). */
export function configurePatientDocuments(config: Config): void {
  settings = { config, storage: createDocumentStorage(config) };
}

function configured() {
  if (!settings) throw new AppError('documents_not_configured', 500, 'Patient documents are not configured');
  return settings;
}

/** The patient's WhatsApp id and language, or null when they cannot be messaged there. */
async function recipientOf(
  clinicId: string,
  patientId: string,
): Promise<{ waId: string; language: 'en' | 'hi' } | null> {
  const patient = await patientRecord(clinicId, patientId);
  if (!patient || !patient.active) return null;
  const contact = await contactRecordById(clinicId, patient.contactId);
  const waId = (contact?.waId ?? contact?.phone ?? '').replace(/\D/g, '');
  if (!contact || !/^\d{7,15}$/.test(waId)) return null;
  return { waId, language: contact.preferredLanguage };
}

function deliveryOf(clinicId: string, dedupeKey: string): Promise<DocumentDeliveryRecord | null> {
  return PatientDocumentDelivery.findOne({ clinicId, dedupeKey }).lean<DocumentDeliveryRecord>();
}

async function outboundExists(clinicId: string, outboundId: Types.ObjectId): Promise<boolean> {
  return (await outboundStatesOf(clinicId, [outboundId])).size > 0;
}

/** The claim on `dedupeKey`: a new one with a fresh outbound id, or the one another call made. */
async function claim(input: PatientDocumentInput): Promise<DocumentDeliveryRecord> {
  try {
    const created = await PatientDocumentDelivery.create({
      clinicId: input.clinicId,
      dedupeKey: input.dedupeKey,
      kind: input.kind,
      patientId: input.patientId,
      ...(input.appointmentId ? { appointmentId: input.appointmentId } : {}),
      outboundId: new Types.ObjectId(),
    });
    return created.toObject() as DocumentDeliveryRecord;
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
    const winner = await deliveryOf(input.clinicId, input.dedupeKey);
    if (!winner) throw error;
    return winner;
  }
}

/**
 * Sends the stored document to the patient's WhatsApp number once per `dedupeKey`. Returns the
 * outbound message id (also when an earlier call sent it), or null when the patient has no
 * WhatsApp number or has not agreed to WhatsApp messages. Throws for a missing file or bad input.
 */
export async function sendPatientDocument(input: PatientDocumentInput): Promise<{ outboundId: string } | null> {
  if (!DEDUPE_KEY.test(input.dedupeKey)) throw new TypeError('dedupeKey must be 1–200 characters of ids and | : . _ -');
  if (!PATIENT_DOCUMENT_KINDS.includes(input.kind)) throw new TypeError(`Unknown document kind ${String(input.kind)}`);
  const { config, storage } = configured();
  const { clinicId, patientId, kind } = input;
  // A repeat (a redelivered event) answers with the message already queued, whatever changed since.
  const earlier = await deliveryOf(clinicId, input.dedupeKey);
  if (earlier && (await outboundExists(clinicId, earlier.outboundId)))
    return { outboundId: String(earlier.outboundId) };

  const recipient = await recipientOf(clinicId, patientId);
  if (!recipient) {
    log().info({ patientId, kind, reason: 'no_whatsapp_number' }, 'patient document not sent');
    return null;
  }
  if ((await consentStanding(clinicId, patientId, 'whatsapp_messaging')) === 'refused') {
    log().info({ patientId, kind, reason: 'no_whatsapp_consent' }, 'patient document not sent');
    return null;
  }

  if (!(await storage.exists(input.storageKey)))
    throw new AppError('document_missing', 500, `The ${kind.replace(/_/g, ' ')} file is not in storage`);

  // The outbound id is fixed by the claim: racing calls (or one repairing a crash between claim
  // and queueing) all create the same message, and its unique _id lets exactly one through.
  const { outboundId } = earlier ?? (await claim(input));
  const filename = safeFilename(input.filename);
  const { url } = signedDocumentLink(config, { key: input.storageKey, filename, contentType: 'application/pdf' });
  const caption = typeof input.caption === 'string' ? input.caption : input.caption[recipient.language];
  const message = documentMessage({ link: url, filename, caption });
  const sent = await sendWhatsApp({
    clinicId,
    to: recipient.waId,
    message,
    purpose: 'document',
    ...(input.appointmentId ? { appointmentId: input.appointmentId } : {}),
    template: {
      components: { header: { kind: 'document', link: url, filename }, bodyParameters: [message.caption ?? filename] },
    },
    outboundId,
  });
  log().info({ outboundId: sent.outboundId, patientId, kind }, 'patient document queued');
  return sent;
}

/** The WhatsApp state of the documents sent under `dedupeKeys`, by key (absent: never sent). */
export async function documentDeliveriesOf(
  clinicId: string,
  dedupeKeys: readonly string[],
): Promise<Map<string, DocumentDelivery>> {
  const result = new Map<string, DocumentDelivery>();
  if (dedupeKeys.length === 0) return result;
  const deliveries = await PatientDocumentDelivery.find({ clinicId, dedupeKey: { $in: [...dedupeKeys] } }).lean<
    DocumentDeliveryRecord[]
  >();
  const states = await outboundStatesOf(
    clinicId,
    deliveries.map((delivery) => delivery.outboundId),
  );
  for (const delivery of deliveries) {
    const state = states.get(String(delivery.outboundId));
    // A claim whose message is not queued yet (or was lost to a crash) reads as queued: the next call repairs it.
    result.set(delivery.dedupeKey, { status: state?.status ?? 'queued', sentAt: state?.sentAt ?? null });
  }
  return result;
}

/** The WhatsApp state of the document sent under `dedupeKey`, or null when none was. */
export async function documentDeliveryOf(clinicId: string, dedupeKey: string): Promise<DocumentDelivery | null> {
  return (await documentDeliveriesOf(clinicId, [dedupeKey])).get(dedupeKey) ?? null;
}
