/**
 * In-process domain events: a service publishes after its write has succeeded; other modules
 * subscribe (slot release on cancel, reminders on confirm, billing on completion). Handlers run
 * in order and are awaited so a request's effects are done when it answers; a failing handler is
 * logged and does not undo the write that already happened. Work that must survive a crash is
 * queued by the handler as a BullMQ job with a deterministic id.
 */
import { log } from './logger.js';

/** Every event the domain publishes, with its payload (ids and statuses only, never PHI). */
export interface DomainEvents {
  'appointment.booked': { clinicId: string; appointmentId: string; status: string };
  'appointment.transitioned': {
    clinicId: string;
    appointmentId: string;
    slotId?: string;
    event: string;
    from: string;
    to: string;
    refundDuePaise?: number;
  };
  'appointment.rescheduled': { clinicId: string; appointmentId: string; fromSlotId?: string; toSlotId: string };
  /**
   * A WhatsApp message will not reach its recipient: it failed for good (`graph_400_131026`,
   * `outside_window` when no template fits, …) or Meta reported it failed (`meta_131047`).
   * Automation falls back to SMS for the messages it sent.
   */
  'message.undeliverable': { clinicId: string; outboundId: string; purpose: string; reason: string };
  /** A patient profile was registered (front desk, WhatsApp or portal). */
  'patient.registered': { clinicId: string; patientId: string; contactId: string; source: string };
  /** A consent was granted, withdrawn or superseded; messaging checks reminders / WhatsApp consent. */
  'consent.changed': { clinicId: string; patientId: string; consentId: string; purpose: string; status: string };
  /** Settings that shape slots changed (slot length, horizon, holidays, timezone): slots are regenerated. */
  'clinic.scheduling_changed': { clinicId: string; fields: string[] };
  /** A visit note was signed and locked. */
  'visit.signed': { clinicId: string; visitId: string; appointmentId: string; doctorId: string; patientId: string };
  /** A consultation was completed with a signed note: billing raises the consultation charge (idempotently: it may repeat). */
  'visit.completed': { clinicId: string; appointmentId: string; visitId: string; doctorId: string; patientId: string };
  /** A prescription version was issued: messaging sends its PDF to the patient on WhatsApp. */
  'prescription.issued': { clinicId: string; prescriptionId: string; patientId: string; version: number };
  /** A diet plan version was issued: messaging sends its PDF to the patient on WhatsApp. */
  'diet_plan.issued': { clinicId: string; dietPlanId: string; patientId: string; version: number };
  /** A lab result outside its reference range was entered; the ordering doctor is to be told. */
  'lab.abnormal': {
    clinicId: string;
    labTestId: string;
    visitId: string;
    patientId: string;
    doctorId: string;
    flag: string;
  };
  /** An invoice was issued with its number (messaging may send the PDF). */
  'invoice.issued': { clinicId: string; invoiceId: string; appointmentId?: string; number: string; totalPaise: number };
  /** A payment was recorded against an invoice, with a receipt (appointments may confirm a prepaid hold). */
  'payment.recorded': {
    clinicId: string;
    invoiceId: string;
    paymentId: string;
    appointmentId?: string;
    amountPaise: number;
    invoiceStatus: string;
    provider?: string;
  };
  /** A refund was requested; an online one waits for the provider call (Razorpay, with `idempotencyKey`). */
  'refund.requested': {
    clinicId: string;
    refundId: string;
    invoiceId?: string;
    paymentId: string;
    amountPaise: number;
    channel: string;
    providerPaymentId?: string;
    idempotencyKey: string;
  };
  /** A refund was paid out (`processed`) or the provider gave up (`failed`). */
  'refund.completed': {
    clinicId: string;
    refundId: string;
    invoiceId?: string;
    paymentId: string;
    amountPaise: number;
    status: 'processed' | 'failed';
  };
}

type Handler<K extends keyof DomainEvents> = (payload: DomainEvents[K]) => Promise<void> | void;

const handlers = new Map<keyof DomainEvents, { name: string; handle: Handler<never> }[]>();

/** Subscribes `handle` under a stable `name` (re-subscribing the same name replaces it). */
export function subscribe<K extends keyof DomainEvents>(event: K, name: string, handle: Handler<K>): void {
  const list = (handlers.get(event) ?? []).filter((entry) => entry.name !== name);
  list.push({ name, handle: handle as Handler<never> });
  handlers.set(event, list);
}

/** Runs every handler of `event`; failures are logged with the handler name, never thrown. */
export async function publish<K extends keyof DomainEvents>(event: K, payload: DomainEvents[K]): Promise<void> {
  for (const { name, handle } of handlers.get(event) ?? []) {
    try {
      await (handle as Handler<K>)(payload);
    } catch (error) {
      log().error({ err: error, event, handler: name }, 'domain event handler failed');
    }
  }
}
