/**
 * Walk-ins and the day's queue. Many Indian clinics run on tokens as much as on slots: a walk-in
 * goes into the doctor's next free slot today (or, when the day is full, is squeezed in as an
 * overbooking by a role the clinic allows), is checked in at once, and gets the day's token.
 */
import { Types } from 'mongoose';
import { applyAppointmentEvent } from '../../../flows/appointment.machine.js';
import type { AppointmentStatus } from '../../../flows/appointment.types.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { nextSequence } from '../../platform/counters.js';
import { publish } from '../../platform/domain-events.js';
import { conflict, notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getClinic } from '../clinics/clinic.service.js';
import { localDateOf } from '../scheduling/clinic-time.js';
import { findFreeSlots, releaseSlot, takeSlot } from '../scheduling/slot.service.js';
import { Appointment } from './appointment.model.js';
import type { AppointmentDoc } from './appointment.model.js';
import { activePatientTimeKey, lifecycleContext } from './appointment.lifecycle.js';
import { assertPatientInClinic } from './appointment.patients.js';
import { denialError } from './appointment.service.js';
import { toAppointmentView } from './appointment.view.js';
import type { AppointmentView } from './appointment.view.js';

/** What the front desk enters for a walk-in. */
export interface WalkInInput {
  patientId: string;
  doctorId: string;
  /** Allow squeezing in beyond the slot grid when no slot is left today (needs an overbook role). */
  overbook?: boolean;
}

/**
 * Adds a walk-in to today's queue: takes the doctor's next free slot today (one conditional
 * update) or, if allowed, overbooks; the appointment is created checked in, with its token.
 */
export async function addWalkIn(actor: Actor, input: WalkInInput): Promise<AppointmentView> {
  assertCan(actor, 'create', 'appointments', { clinicId: actor.clinicId, patientId: input.patientId });
  await assertPatientInClinic(actor.clinicId, input.patientId);
  const clinic = await getClinic(actor.clinicId);
  const now = new Date();
  const today = localDateOf(now, clinic.timezone);
  const slotMs = clinic.scheduling.slotMinutes * 60_000;
  // A slot that began a moment ago is still the right place for someone standing at the desk.
  const candidates = await findFreeSlots({
    clinicId: actor.clinicId,
    doctorIds: [input.doctorId],
    localDate: today,
    after: new Date(now.getTime() - slotMs / 2),
    limit: 20,
  });
  const _id = new Types.ObjectId();

  let slot: (typeof candidates)[number] | undefined;
  for (const candidate of candidates) {
    try {
      await takeSlot(actor.clinicId, candidate.id, _id, 'booked');
      slot = candidate;
      break;
    } catch {
      // Someone else took it between the search and now; try the next one.
    }
  }
  if (!slot) {
    const mayOverbook =
      actor.type === 'system' || actor.roles.some((role) => clinic.scheduling.overbookRoles.includes(role));
    if (!input.overbook || !mayOverbook) {
      throw conflict('No free slot is left today for this doctor', {
        reason: 'day_full',
        overbookRoles: clinic.scheduling.overbookRoles,
      });
    }
  }

  const startAt = slot?.startAt ?? now;
  const draft = {
    _id,
    patientId: new Types.ObjectId(input.patientId),
    doctorId: new Types.ObjectId(input.doctorId),
    startAt,
    prepaymentPaise: 0,
    paidPaise: 0,
  };
  const context = lifecycleContext(draft, clinic);
  const confirm = applyAppointmentEvent('requested', context, { type: 'CONFIRM', actor, at: now });
  const checkIn = confirm.ok
    ? applyAppointmentEvent('confirmed', context, { type: 'CHECK_IN', actor, at: now })
    : confirm;
  if (!checkIn.ok) {
    if (slot) await releaseSlot(actor.clinicId, slot.id, _id);
    throw denialError(checkIn, confirm.ok ? 'CHECK_IN' : 'CONFIRM');
  }

  const tokenNumber = await nextSequence(`token|${actor.clinicId}|${input.doctorId}|${today}`);
  const by = { id: actor.id, type: actor.type, roles: [...actor.roles] };
  let doc;
  try {
    doc = await Appointment.create({
      ...draft,
      clinicId: actor.clinicId,
      ...(slot ? { slotId: slot.id } : {}),
      endAt: slot?.endAt ?? new Date(now.getTime() + slotMs),
      localDate: today,
      status: 'checked_in',
      source: 'walk_in',
      walkIn: true,
      overbooked: !slot,
      tokenNumber,
      patientTimeKey: activePatientTimeKey(input.patientId, startAt),
      requestedAt: now,
      confirmedAt: now,
      checkedInAt: now,
      history: [
        { from: null, to: 'requested', event: 'WALK_IN', at: now, by },
        { from: 'requested', to: 'confirmed', event: 'CONFIRM', at: now, by },
        { from: 'confirmed', to: 'checked_in', event: 'CHECK_IN', at: now, by },
      ],
    });
  } catch (error) {
    if (slot) await releaseSlot(actor.clinicId, slot.id, _id);
    if ((error as { code?: number }).code === 11000)
      throw conflict('This patient already has an appointment at that time', { reason: 'patient_double_booked' });
    throw error;
  }
  await audit.record({
    actor,
    action: 'appointment.walk_in',
    entity: { type: 'appointment', id: String(_id) },
    diff: [
      { field: 'status', to: 'checked_in' },
      { field: 'doctorId', to: input.doctorId },
      { field: 'tokenNumber', to: tokenNumber },
      { field: 'overbooked', to: !slot },
    ],
  });
  await publish('appointment.booked', { clinicId: actor.clinicId, appointmentId: String(_id), status: 'checked_in' });
  return toAppointmentView(doc.toObject() as AppointmentDoc);
}

/** One entry of a doctor's queue for the day. */
export interface QueueEntry {
  appointmentId: string;
  patientId: string;
  tokenNumber?: number;
  status: AppointmentStatus;
  startAt: Date;
  walkIn: boolean;
  /** 1 for the next patient to be called; 0 while in consultation; absent once done. */
  position?: number;
}

/** A doctor's queue for a clinic-local day: in consultation, then waiting by token, then done. */
export async function dayQueue(
  actor: Actor,
  doctorId: string,
  date?: string,
): Promise<{ date: string; doctorId: string; entries: QueueEntry[] }> {
  assertCan(actor, 'read', 'appointments');
  if (!Types.ObjectId.isValid(doctorId)) throw notFound('Doctor');
  const clinic = await getClinic(actor.clinicId);
  const localDate = date ?? localDateOf(new Date(), clinic.timezone);
  const docs = await Appointment.find({
    clinicId: actor.clinicId,
    doctorId,
    localDate,
    status: { $in: ['checked_in', 'in_consult', 'completed'] },
  })
    .sort({ tokenNumber: 1, checkedInAt: 1 })
    .lean<AppointmentDoc[]>();
  const order: Record<string, number> = { in_consult: 0, checked_in: 1, completed: 2 };
  const sorted = [...docs].sort(
    (a, b) => order[a.status]! - order[b.status]! || (a.tokenNumber ?? 0) - (b.tokenNumber ?? 0),
  );
  let waiting = 0;
  const entries = sorted.map((doc): QueueEntry => {
    const position = doc.status === 'in_consult' ? 0 : doc.status === 'checked_in' ? ++waiting : undefined;
    return {
      appointmentId: String(doc._id),
      patientId: String(doc.patientId),
      ...(doc.tokenNumber ? { tokenNumber: doc.tokenNumber } : {}),
      status: doc.status as AppointmentStatus,
      startAt: doc.startAt,
      walkIn: Boolean(doc.walkIn),
      ...(position !== undefined ? { position } : {}),
    };
  });
  return { date: localDate, doctorId, entries };
}
