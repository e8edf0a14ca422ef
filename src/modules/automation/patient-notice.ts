/**
 * Sends a rule's message to a patient on WhatsApp, once per job: the outbound message's id is
 * derived from the job id, so a retried or duplicated job finds its message already queued. The
 * delivery record beside it keeps the SMS to send instead should WhatsApp fail (sms-fallback.ts).
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { sendWhatsApp } from '../messaging/index.js';
import type { OutboundMessage, OutboundPurpose, TemplateFallback } from '../messaging/index.js';
import { AutomationDelivery } from './automation-delivery.model.js';

/** The message id for a job (24 hex digits of a digest of clinic and job id). */
export function outboundIdOf(clinicId: string, jobId: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(`automation|${clinicId}|${jobId}`).digest('hex').slice(0, 24));
}

/** One notice to one patient. */
export interface PatientNotice {
  clinicId: string;
  rule: string;
  jobId: string;
  patientId: string;
  phone: string;
  appointmentId?: string;
  purpose: OutboundPurpose;
  message: OutboundMessage;
  template?: TemplateFallback;
  /** What to text instead if WhatsApp cannot deliver (absent: no fallback). */
  sms?: { template: string; language: 'en' | 'hi'; text: string };
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

/** Records the delivery and queues the WhatsApp message, both at most once per job; returns the message id. */
export async function sendPatientNotice(notice: PatientNotice): Promise<string> {
  const outboundId = outboundIdOf(notice.clinicId, notice.jobId);
  try {
    await AutomationDelivery.create({
      _id: outboundId,
      clinicId: notice.clinicId,
      rule: notice.rule,
      jobId: notice.jobId,
      patientId: notice.patientId,
      ...(notice.appointmentId ? { appointmentId: notice.appointmentId } : {}),
      ...(notice.sms ? { sms: notice.sms } : {}),
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  await sendWhatsApp({
    clinicId: notice.clinicId,
    to: notice.phone,
    message: notice.message,
    purpose: notice.purpose,
    ...(notice.appointmentId ? { appointmentId: notice.appointmentId } : {}),
    ...(notice.template ? { template: notice.template } : {}),
    outboundId,
  });
  return String(outboundId);
}
