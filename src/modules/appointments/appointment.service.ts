/**
 * The appointment lifecycle as services: booking (one conditional slot take, then one insert),
 * every status change through the pure machine and a conditional write on the expected status and
 * version, and rescheduling that frees the old slot only after the new one is won.
 */
import { Types } from 'mongoose';
import { applyAppointmentEvent } from '../../../flows/appointment.machine.js';
import type {
  AppointmentEventType,
  AppointmentStatus,
  ApplyResult,
  OverrideTarget,
  RefundDecision,
} from '../../../flows/appointment.types.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { nextSequence } from '../../platform/counters.js';
import { publish } from '../../platform/domain-events.js';
import type { AppError } from '../../platform/errors.js';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getClinic } from '../clinics/clinic.service.js';
import type { ClinicView } from '../clinics/clinic.service.js';
import { getSlot, releaseSlot, takeSlot } from '../scheduling/slot.service.js';
import { Appointment } from './appointment.model.js';
import type { AppointmentDoc } from './appointment.model.js';
import { assertMayComplete } from './appointment.completion.js';
import {
  activePatientTimeKey,
  lifecycleContext,
  releasedPatientTimeKey,
  STATUS_TIMESTAMP,
} from './appointment.lifecycle.js';
import { assertPatientInClinic } from './appointment.patients.js';
import { toAppointmentView } from './appointment.view.js';
import type { AppointmentView } from './appointment.view.js';

/** Where a booking came from (reports and the panel show it). */
export type BookingSource = 'whatsapp' | 'frontdesk' | 'portal';

/** What booking needs: who, which slot, through which channel. */
export interface BookInput {
  patientId: string;
  slotId: string;
  source: BookingSource;
  reason?: string;
}

/** A lifecycle event as the API and bot send it. */
export interface TransitionInput {
  event: AppointmentEventType;
  reason?: string;
  /** For OVERRIDE_NO_SHOW: back to `confirmed` or straight to `checked_in`. */
  to?: OverrideTarget;
  /** When given, the write also requires this version (the caller saw it; 409 if it moved on). */
  expectedVersion?: number;
}

/** The result of a transition: the appointment as it is now and, for cancellations, the refund due. */
export interface TransitionResult {
  appointment: AppointmentView;
  refund?: RefundDecision;
}

const DENIAL_MESSAGES: Record<string, string> = {
  payment_required: 'The prepayment has not been received yet',
  no_prepayment_due: 'Nothing is due for this appointment, so there is nothing to hold',
  cutoff_passed: 'It is too late to cancel this appointment online; please call the clinic',
  too_early: 'It is too early for that',
  not_appointment_day: 'That can only be done on the day of the appointment',
  not_lapsed_hold: 'Only a booking whose hold lapsed can be reinstated',
  appointment_started: 'The appointment time has already passed',
};

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

function historyActor(actor: Actor) {
  return { id: actor.id, type: actor.type, roles: [...actor.roles] };
}

/** Maps a machine refusal to the HTTP-facing error: 409 with the current status for an illegal event. */
export function denialError(result: Extract<ApplyResult, { ok: false }>, event: AppointmentEventType): AppError {
  const details = { currentStatus: result.from, reason: result.reason, event };
  switch (result.reason) {
    case 'invalid_event':
      return badRequest(`${event} is not a valid appointment event`, details);
    case 'illegal_event':
      return conflict(`An appointment that is ${result.from.replace('_', ' ')} cannot take ${event}`, details);
    case 'forbidden':
      return forbidden(`Your role may not send ${event} for this appointment`, details);
    default:
      return unprocessable(DENIAL_MESSAGES[result.reason] ?? 'That is not allowed now', details);
  }
}

/** Loads an appointment of the actor's clinic and checks `action` on it (404 if absent). */
async function loadAppointment(
  actor: Actor,
  appointmentId: string,
  action: 'read' | 'update',
): Promise<AppointmentDoc> {
  if (!Types.ObjectId.isValid(appointmentId)) throw notFound('Appointment');
  const doc = await Appointment.findOne({ _id: appointmentId, clinicId: actor.clinicId }).lean<AppointmentDoc>();
  if (!doc) throw notFound('Appointment');
  assertCan(actor, action, 'appointments', {
    clinicId: doc.clinicId,
    patientId: doc.patientId,
    doctorId: doc.doctorId,
  });
  return doc;
}

/** The appointment if the actor may read it. */
export async function getAppointment(actor: Actor, appointmentId: string): Promise<AppointmentView> {
  return toAppointmentView(await loadAppointment(actor, appointmentId, 'read'));
}

/**
 * Books `slotId` for `patientId`: the slot is taken by one conditional update (so of many racers
 * exactly one wins) and the appointment is inserted already in its first resting state —
 * tentative with a hold for prepayment clinics, confirmed otherwise — with both history entries.
 */
export async function bookAppointment(actor: Actor, input: BookInput): Promise<AppointmentView> {
  assertCan(actor, 'create', 'appointments', { clinicId: actor.clinicId, patientId: input.patientId });
  if (!Types.ObjectId.isValid(input.slotId)) throw notFound('Slot');
  await assertPatientInClinic(actor.clinicId, input.patientId);
  const [clinic, slot] = await Promise.all([getClinic(actor.clinicId), getSlot(actor.clinicId, input.slotId)]);
  if (!slot) throw notFound('Slot');
  const now = new Date();
  if (slot.startAt.getTime() <= now.getTime())
    throw unprocessable('That slot has already started; please pick a later one', { reason: 'slot_in_past' });
  if (slot.status !== 'free')
    throw conflict('That slot has just been taken; please pick another', { reason: 'slot_taken' });

  const settings = clinic.scheduling;
  const prepaymentPaise = settings.prepaymentRequired ? settings.prepaymentPaise : 0;
  const holdExpiresAt =
    prepaymentPaise > 0
      ? new Date(Math.min(now.getTime() + settings.holdMinutes * 60_000, slot.startAt.getTime()))
      : undefined;
  const _id = new Types.ObjectId();
  const draft = {
    _id,
    patientId: new Types.ObjectId(input.patientId),
    doctorId: new Types.ObjectId(slot.doctorId),
    startAt: slot.startAt,
    prepaymentPaise,
    paidPaise: 0,
    holdExpiresAt,
  };
  const firstEvent: AppointmentEventType = prepaymentPaise > 0 ? 'HOLD' : 'CONFIRM';
  const decision = applyAppointmentEvent('requested', lifecycleContext(draft, clinic), {
    type: firstEvent,
    actor,
    at: now,
    ...(input.reason ? { reason: input.reason } : {}),
  });
  if (!decision.ok) throw denialError(decision, firstEvent);

  await takeSlot(actor.clinicId, slot.id, _id, decision.to === 'tentative' ? 'held' : 'booked');
  let doc;
  try {
    doc = await Appointment.create({
      ...draft,
      clinicId: actor.clinicId,
      slotId: slot.id,
      endAt: slot.endAt,
      localDate: slot.localDate,
      status: decision.to,
      source: input.source,
      patientTimeKey: activePatientTimeKey(input.patientId, slot.startAt),
      requestedAt: now,
      [STATUS_TIMESTAMP[decision.to]]: now,
      history: [
        {
          from: null,
          to: 'requested',
          event: 'REQUEST',
          at: now,
          by: historyActor(actor),
          ...(input.reason ? { reason: input.reason } : {}),
        },
        { from: 'requested', to: decision.to, event: firstEvent, at: now, by: historyActor(actor) },
      ],
    });
  } catch (error) {
    await releaseSlot(actor.clinicId, slot.id, _id);
    if (isDuplicateKey(error))
      throw conflict('This patient already has an appointment at that time', { reason: 'patient_double_booked' });
    throw error;
  }
  await audit.record({
    actor,
    action: 'appointment.booked',
    entity: { type: 'appointment', id: String(_id) },
    diff: [
      { field: 'status', to: decision.to },
      { field: 'doctorId', to: slot.doctorId },
      { field: 'slotId', to: slot.id },
      { field: 'source', to: input.source },
    ],
  });
  await publish('appointment.booked', { clinicId: actor.clinicId, appointmentId: String(_id), status: decision.to });
  return toAppointmentView(doc.toObject() as AppointmentDoc);
}

/** Token numbers are per doctor per clinic-local day, handed out in check-in order. */
async function assignToken(doc: AppointmentDoc): Promise<AppointmentDoc> {
  if (doc.tokenNumber) return doc;
  const token = await nextSequence(`token|${String(doc.clinicId)}|${String(doc.doctorId)}|${doc.localDate}`);
  const updated = await Appointment.findOneAndUpdate(
    { _id: doc._id, tokenNumber: { $exists: false } },
    { $set: { tokenNumber: token } },
    { new: true },
  ).lean<AppointmentDoc>();
  return updated ?? ((await Appointment.findById(doc._id).lean<AppointmentDoc>()) as AppointmentDoc);
}

function transitionUpdate(
  doc: AppointmentDoc,
  actor: Actor,
  input: TransitionInput,
  result: Extract<ApplyResult, { ok: true }>,
  now: Date,
) {
  const { from, to } = result;
  const set: Record<string, unknown> = { status: to, [STATUS_TIMESTAMP[to]]: now };
  const patientId = String(doc.patientId);
  if (to === 'cancelled' || to === 'no_show')
    set.patientTimeKey = releasedPatientTimeKey(patientId, doc.startAt, String(doc._id));
  if (from === 'no_show' || from === 'cancelled') set.patientTimeKey = activePatientTimeKey(patientId, doc.startAt);
  if (to === 'cancelled') {
    set.cancellation = {
      by: actor.type === 'staff' ? actor.roles.join(',') : actor.type,
      ...(input.reason ? { reason: input.reason } : {}),
      refundDuePaise: result.refund?.dueAmountPaise ?? 0,
      refundReason: result.refund?.reason,
    };
  }
  const history = {
    from,
    to,
    event: input.event,
    at: now,
    by: historyActor(actor),
    ...(input.reason ? { reason: input.reason } : {}),
  };
  return { $set: set, $push: { history }, $inc: { version: 1 } };
}

/**
 * Applies one lifecycle event: the machine decides from the stored status, then a conditional
 * write on that status (and version) records it with a history entry and the state's timestamp;
 * the loser of a race gets 409 with the current status. Audited; publishes
 * `appointment.transitioned` (slot release, timers and billing subscribe to it).
 */
export async function transitionAppointment(
  actor: Actor,
  appointmentId: string,
  input: TransitionInput,
): Promise<TransitionResult> {
  const doc = await loadAppointment(actor, appointmentId, 'update');
  if (input.expectedVersion !== undefined && input.expectedVersion !== doc.version) {
    throw conflict('The appointment changed since you loaded it', { currentStatus: doc.status, version: doc.version });
  }
  const clinic = await getClinic(actor.clinicId);
  return applyTransition(actor, doc, clinic, input);
}

async function applyTransition(
  actor: Actor,
  doc: AppointmentDoc,
  clinic: ClinicView,
  input: TransitionInput,
): Promise<TransitionResult> {
  const now = new Date();
  const event = {
    type: input.event,
    actor,
    at: now,
    ...(input.reason ? { reason: input.reason } : {}),
    ...(input.to ? { to: input.to } : {}),
  };
  const result = applyAppointmentEvent(
    doc.status as AppointmentStatus,
    lifecycleContext(doc, clinic),
    event as Parameters<typeof applyAppointmentEvent>[2],
  );
  if (!result.ok) throw denialError(result, input.event);
  if (input.event === 'COMPLETE') await assertMayComplete(String(doc.clinicId), String(doc._id));

  let updated: AppointmentDoc | null;
  try {
    updated = await Appointment.findOneAndUpdate(
      { _id: doc._id, clinicId: doc.clinicId, status: result.from, version: doc.version },
      transitionUpdate(doc, actor, input, result, now),
      { new: true },
    ).lean<AppointmentDoc>();
  } catch (error) {
    if (isDuplicateKey(error))
      throw conflict('The patient has another appointment at that time now', {
        currentStatus: doc.status,
        reason: 'patient_double_booked',
      });
    throw error;
  }
  if (!updated) {
    const current = await Appointment.findById(doc._id, { status: 1, version: 1 }).lean<AppointmentDoc>();
    throw conflict('Someone else changed this appointment first; reload and try again', {
      currentStatus: current?.status ?? doc.status,
      version: current?.version,
    });
  }
  if (result.to === 'checked_in') updated = await assignToken(updated);

  await audit.record({
    actor,
    action: `appointment.${input.event.toLowerCase()}`,
    entity: { type: 'appointment', id: String(doc._id) },
    diff: [
      { field: 'status', from: result.from, to: result.to },
      ...(result.refund ? [{ field: 'refundDuePaise', to: result.refund.dueAmountPaise }] : []),
      ...(input.reason ? [{ field: 'reason', to: input.reason }] : []),
    ],
  });
  await publish('appointment.transitioned', {
    clinicId: String(doc.clinicId),
    appointmentId: String(doc._id),
    ...(doc.slotId ? { slotId: String(doc.slotId) } : {}),
    event: input.event,
    from: result.from,
    to: result.to,
    ...(result.refund ? { refundDuePaise: result.refund.dueAmountPaise } : {}),
  });
  return { appointment: toAppointmentView(updated), ...(result.refund ? { refund: result.refund } : {}) };
}

/**
 * Moves a booking to another slot atomically: the new slot is won first (one conditional update),
 * then the appointment is switched on the condition nothing changed, and only then is the old slot
 * freed. Whoever may cancel the appointment now may reschedule it (the same cutoffs apply).
 */
export async function rescheduleAppointment(
  actor: Actor,
  appointmentId: string,
  input: { slotId: string; reason?: string },
): Promise<AppointmentView> {
  const doc = await loadAppointment(actor, appointmentId, 'update');
  if (!['requested', 'tentative', 'confirmed'].includes(doc.status)) {
    throw conflict(`An appointment that is ${doc.status.replace('_', ' ')} cannot be rescheduled`, {
      currentStatus: doc.status,
    });
  }
  const clinic = await getClinic(actor.clinicId);
  const now = new Date();
  const mayCancel = applyAppointmentEvent(doc.status as AppointmentStatus, lifecycleContext(doc, clinic), {
    type: 'CANCEL',
    actor,
    at: now,
  });
  if (!mayCancel.ok) throw denialError(mayCancel, 'CANCEL');
  if (!Types.ObjectId.isValid(input.slotId)) throw notFound('Slot');
  const slot = await getSlot(actor.clinicId, input.slotId);
  if (!slot) throw notFound('Slot');
  if (doc.slotId && String(doc.slotId) === slot.id)
    throw conflict('The appointment is already in that slot', { reason: 'same_slot' });
  if (slot.startAt.getTime() <= now.getTime())
    throw unprocessable('That slot has already started; please pick a later one', { reason: 'slot_in_past' });

  await takeSlot(actor.clinicId, slot.id, doc._id, doc.status === 'tentative' ? 'held' : 'booked');
  let updated: AppointmentDoc | null;
  try {
    updated = await Appointment.findOneAndUpdate(
      { _id: doc._id, clinicId: doc.clinicId, status: doc.status, version: doc.version },
      {
        $set: {
          slotId: slot.id,
          doctorId: slot.doctorId,
          startAt: slot.startAt,
          endAt: slot.endAt,
          localDate: slot.localDate,
          patientTimeKey: activePatientTimeKey(String(doc.patientId), slot.startAt),
        },
        $push: {
          history: {
            from: doc.status,
            to: doc.status,
            event: 'RESCHEDULE',
            at: now,
            by: historyActor(actor),
            ...(input.reason ? { reason: input.reason } : {}),
          },
        },
        $inc: { version: 1 },
      },
      { new: true },
    ).lean<AppointmentDoc>();
  } catch (error) {
    await releaseSlot(actor.clinicId, slot.id, doc._id);
    if (isDuplicateKey(error))
      throw conflict('This patient already has an appointment at that time', { reason: 'patient_double_booked' });
    throw error;
  }
  if (!updated) {
    await releaseSlot(actor.clinicId, slot.id, doc._id);
    throw conflict('Someone else changed this appointment first; reload and try again', { currentStatus: doc.status });
  }
  if (doc.slotId) await releaseSlot(actor.clinicId, doc.slotId, doc._id);
  await audit.record({
    actor,
    action: 'appointment.rescheduled',
    entity: { type: 'appointment', id: String(doc._id) },
    diff: [
      { field: 'slotId', from: doc.slotId ? String(doc.slotId) : null, to: slot.id },
      { field: 'startAt', from: doc.startAt.toISOString(), to: slot.startAt.toISOString() },
    ],
  });
  await publish('appointment.rescheduled', {
    clinicId: actor.clinicId,
    appointmentId: String(doc._id),
    ...(doc.slotId ? { fromSlotId: String(doc.slotId) } : {}),
    toSlotId: slot.id,
  });
  return toAppointmentView(updated);
}

/** Filters for the day list. */
export interface AppointmentListQuery {
  date?: string;
  doctorId?: string;
  status?: AppointmentStatus;
  patientId?: string;
  limit?: number;
}

/** Appointments of the actor's clinic by day, doctor, status or patient (patients see only their own). */
export async function listAppointments(actor: Actor, query: AppointmentListQuery): Promise<AppointmentView[]> {
  assertCan(actor, 'read', 'appointments');
  const filter: Record<string, unknown> = { clinicId: actor.clinicId };
  if (query.date) filter.localDate = query.date;
  if (query.doctorId) filter.doctorId = query.doctorId;
  if (query.status) filter.status = query.status;
  if (query.patientId) filter.patientId = query.patientId;
  if (actor.type === 'patient') {
    const own = (actor.patientIds ?? []).filter((id) => !query.patientId || id === query.patientId);
    filter.patientId = { $in: own };
  }
  const docs = await Appointment.find(filter)
    .sort({ startAt: 1, tokenNumber: 1 })
    .limit(query.limit ?? 500)
    .lean<AppointmentDoc[]>();
  return docs.map(toAppointmentView);
}
