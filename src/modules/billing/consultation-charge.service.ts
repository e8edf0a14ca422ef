/**
 * The consultation charge of an appointment: one invoice per appointment (its source key is
 * `consultation|<appointmentId>`, unique per clinic), priced from the doctor's consultation item
 * in the price list, else their speciality's, else the fee on the doctor's profile — an exempt
 * health care service (SAC 9993) unless the item says otherwise. Clinical raises it when a visit
 * completes (`visit.completed`); a prepayment booking raises and issues it to take payment.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { systemActor } from '../../platform/actor.js';
import { subscribe } from '../../platform/domain-events.js';
import { AppError, conflict } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getAppointment } from '../appointments/appointment.service.js';
import { getClinic } from '../clinics/clinic.service.js';
import { loadDoctor } from '../doctors/doctor.service.js';
import type { DoctorDoc } from '../doctors/doctor.model.js';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { localDateOf } from '../scheduling/clinic-time.js';
import { computeInvoice } from './invoice-compute.js';
import type { DraftLine } from './invoice-compute.js';
import { issueInvoice } from './invoice-issue.service.js';
import { lineFromItem } from './invoice-parts.js';
import { Invoice } from './invoice.model.js';
import type { InvoiceRecord } from './invoice.model.js';
import { billedPatient, insertDraft, loadInvoiceRecord } from './invoice.service.js';
import { toInvoiceView } from './invoice.view.js';
import type { InvoiceView } from './invoice.view.js';
import { consultationItemFor } from './price-item.service.js';
import { CONSULTATION_SAC } from './price-rates.js';

/** Options of `raiseConsultationCharge`. */
export interface ConsultationChargeOptions {
  /** Also issue it (a prepayment needs a number to pay against); an issued one is returned as is. */
  issue?: boolean;
}

function sourceKeyOf(appointmentId: string): string {
  return `consultation|${appointmentId}`;
}

async function consultationLine(clinicId: string, doctor: DoctorDoc, localDate: string): Promise<DraftLine> {
  const item = await consultationItemFor(clinicId, String(doctor._id), doctor.speciality);
  if (item) return { ...lineFromItem(item, 1, 'L1', localDate), description: `${item.name} - ${doctor.name}` };
  return {
    lineId: 'L1',
    kind: 'consultation',
    description: `Consultation - ${doctor.name} (${doctor.speciality})`,
    taxCode: { scheme: 'SAC', code: CONSULTATION_SAC },
    unit: 'each',
    quantity: 1,
    unitPricePaise: doctor.consultationFeePaise,
    exempt: true,
    rateBp: 0,
  };
}

/**
 * The consultation fee a patient will be billed for seeing `doctorId` (tax included), priced the
 * way the invoice will be — what the bot states before the patient confirms.
 */
export async function consultationFeePaise(clinicId: string, doctorId: string): Promise<number> {
  const [clinic, doctor] = await Promise.all([getClinic(clinicId), loadDoctor(clinicId, doctorId)]);
  const line = await consultationLine(clinicId, doctor, localDateOf(new Date(), clinic.timezone));
  return computeInvoice([line], [], 'intra_state').totals.totalPaise;
}

/** The consultation invoice of an appointment, if one was raised. */
export async function consultationInvoiceRecord(
  clinicId: string,
  appointmentId: string,
): Promise<InvoiceRecord | null> {
  return Invoice.findOne({ clinicId, sourceKey: sourceKeyOf(appointmentId) }).lean<InvoiceRecord>();
}

/** The consultation invoice of an appointment (the Razorpay `reference_id` is its id), or null. */
export async function invoiceForAppointment(actor: Actor, appointmentId: string): Promise<InvoiceView | null> {
  assertCan(actor, 'read', 'invoices', { clinicId: actor.clinicId });
  const doc = await consultationInvoiceRecord(actor.clinicId, appointmentId);
  return doc ? toInvoiceView(doc) : null;
}

/**
 * Raises the doctor's consultation fee for `appointmentId` as a draft invoice — once: a repeat
 * (a redelivered event, a double click) returns the invoice already raised. 409 for cancelled
 * and no-show appointments. With `issue: true` the draft is issued too.
 */
export async function raiseConsultationCharge(
  actor: Actor,
  appointmentId: string,
  options: ConsultationChargeOptions = {},
): Promise<InvoiceView> {
  assertCan(actor, 'create', 'invoices', { clinicId: actor.clinicId });
  const appointment = await getAppointment(actor, appointmentId);
  let invoice = await consultationInvoiceRecord(actor.clinicId, appointment.id);
  if (!invoice) {
    if (appointment.status === 'cancelled' || appointment.status === 'no_show') {
      throw conflict(`A ${appointment.status.replace('_', '-')} appointment has no consultation to charge`, {
        reason: 'appointment_not_chargeable',
        currentStatus: appointment.status,
      });
    }
    const clinic = await getClinic(actor.clinicId);
    const [doctor, patient] = await Promise.all([
      loadDoctor(actor.clinicId, appointment.doctorId),
      billedPatient(actor.clinicId, appointment.patientId),
    ]);
    const line = await consultationLine(actor.clinicId, doctor, localDateOf(new Date(), clinic.timezone));
    try {
      invoice = await insertDraft(actor, clinic, new Types.ObjectId(), {
        sourceKey: sourceKeyOf(appointment.id),
        patient,
        lines: [line],
        appointmentId: new Types.ObjectId(appointment.id),
        doctorId: doctor._id,
      });
    } catch (error) {
      // Raised concurrently: the unique source key let one insert; use it.
      if (!isDuplicateKey(error, 'invoice_source_unique')) throw error;
      invoice = (await consultationInvoiceRecord(actor.clinicId, appointment.id))!;
    }
  }
  if (options.issue && (invoice.status === 'draft' || invoice.status === 'issuing')) return issueOnce(actor, invoice);
  return toInvoiceView(invoice);
}

/** Issues, tolerating a concurrent issuer: whoever loses the claim returns (or finishes) the winner's invoice. */
async function issueOnce(actor: Actor, invoice: InvoiceRecord): Promise<InvoiceView> {
  try {
    return await issueInvoice(actor, String(invoice._id));
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 409) throw error;
    const current = await loadInvoiceRecord(actor.clinicId, invoice._id);
    return current.status === 'issuing' ? issueInvoice(actor, String(current._id)) : toInvoiceView(current);
  }
}

/** Raises the consultation charge when clinical reports a completed visit (idempotent: the event may repeat). */
export function registerConsultationCharging(): void {
  subscribe('visit.completed', 'billing-consultation-charge', async ({ clinicId, appointmentId }) => {
    await raiseConsultationCharge(systemActor(clinicId, 'billing:consultation'), appointmentId);
  });
}
