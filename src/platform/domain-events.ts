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
  /** A patient profile was registered (front desk, WhatsApp or portal). */
  'patient.registered': { clinicId: string; patientId: string; contactId: string; source: string };
  /** A consent was granted, withdrawn or superseded; messaging checks reminders / WhatsApp consent. */
  'consent.changed': { clinicId: string; patientId: string; consentId: string; purpose: string; status: string };
  /** Settings that shape slots changed (slot length, horizon, holidays, timezone): slots are regenerated. */
  'clinic.scheduling_changed': { clinicId: string; fields: string[] };
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
