/**
 * A doctor's bookable time: weekly availability and leaves or blocked periods. Every change is
 * audited and regenerates that doctor's slots for the booking horizon at once; held and booked
 * slots are never touched, so a leave over an appointment is reported back for the front desk.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { diffFields } from '../../platform/audit/audit-diff.js';
import { notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import type { WeeklyRange } from '../scheduling/slot-generation.js';
import { findTakenSlots } from '../scheduling/slot.service.js';
import type { RegenerationResult, SlotView } from '../scheduling/slot.service.js';
import { refreshDoctorSlots } from './doctor-slots.service.js';
import { Doctor } from './doctor.model.js';
import type { DoctorDoc, LeaveKind } from './doctor.model.js';
import { assertValidAvailability, loadDoctor } from './doctor.service.js';
import { toDoctorView } from './doctor.view.js';
import type { DoctorView, LeaveView } from './doctor.view.js';

/** The doctor after a rules change and what happened to their slots. */
export interface RulesChangeResult {
  doctor: DoctorView;
  slots: RegenerationResult;
}

/** A new leave or blocked period (UTC instants, may span several days). */
export interface NewLeave {
  kind?: LeaveKind;
  startAt: Date;
  endAt: Date;
  reason?: string;
}

/** The result of adding a leave: the leave, and the held or booked slots inside it (to move). */
export interface LeaveAddedResult extends RulesChangeResult {
  leave: LeaveView;
  takenSlots: SlotView[];
}

function leaveAudit(leave: LeaveView): Record<string, unknown> {
  // The reason is free text typed by staff: kept out of the permanent trail.
  return { id: leave.id, kind: leave.kind, startAt: leave.startAt, endAt: leave.endAt };
}

/** Replaces the weekly availability (400 `invalid_availability` with readable problems); front desk, admin, or the doctor themself. */
export async function setWeeklyAvailability(
  actor: Actor,
  doctorId: string,
  availability: WeeklyRange[],
): Promise<RulesChangeResult> {
  const before = await loadDoctor(actor.clinicId, doctorId);
  assertCan(actor, 'update', 'availability', { clinicId: before.clinicId, doctorId: before._id });
  assertValidAvailability(availability);
  const updated = await Doctor.findOneAndUpdate(
    { _id: doctorId, clinicId: actor.clinicId },
    { $set: { weeklyAvailability: availability.map(({ weekday, start, end }) => ({ weekday, start, end })) } },
    { new: true, runValidators: true },
  ).lean<DoctorDoc>();
  if (!updated) throw notFound('Doctor');
  const doctor = toDoctorView(updated);
  const diff = diffFields(toDoctorView(before), doctor, { fields: ['weeklyAvailability'] });
  if (diff.length > 0)
    await audit.record({
      actor,
      action: 'doctor.availability_changed',
      entity: { type: 'doctor', id: doctorId },
      diff,
    });
  return { doctor, slots: await refreshDoctorSlots(actor.clinicId, doctorId) };
}

/** Adds a leave or blocked period; its free slots go, taken ones stay and are returned as `takenSlots`. */
export async function addLeave(actor: Actor, doctorId: string, input: NewLeave): Promise<LeaveAddedResult> {
  const before = await loadDoctor(actor.clinicId, doctorId);
  assertCan(actor, 'create', 'availability', { clinicId: before.clinicId, doctorId: before._id });
  const leaveId = new Types.ObjectId();
  const entry = {
    _id: leaveId,
    kind: input.kind ?? 'leave',
    startAt: input.startAt,
    endAt: input.endAt,
    ...(input.reason ? { reason: input.reason } : {}),
  };
  const updated = await Doctor.findOneAndUpdate(
    { _id: doctorId, clinicId: actor.clinicId },
    { $push: { leaves: entry } },
    { new: true, runValidators: true },
  ).lean<DoctorDoc>();
  if (!updated) throw notFound('Doctor');
  const doctor = toDoctorView(updated);
  const leave = doctor.leaves.find((candidate) => candidate.id === String(leaveId))!;
  await audit.record({
    actor,
    action: 'doctor.leave_added',
    entity: { type: 'doctor', id: doctorId },
    diff: [{ field: 'leaves', to: leaveAudit(leave) }],
  });
  const slots = await refreshDoctorSlots(actor.clinicId, doctorId);
  return {
    doctor,
    leave,
    slots,
    takenSlots: await findTakenSlots(actor.clinicId, doctorId, leave.startAt, leave.endAt),
  };
}

/** Removes a leave or blocked period (404 when the doctor has no such leave); its slots come back. */
export async function removeLeave(actor: Actor, doctorId: string, leaveId: string): Promise<RulesChangeResult> {
  const before = await loadDoctor(actor.clinicId, doctorId);
  assertCan(actor, 'delete', 'availability', { clinicId: before.clinicId, doctorId: before._id });
  const leave = toDoctorView(before).leaves.find((candidate) => candidate.id === leaveId);
  if (!leave) throw notFound('Leave');
  const updated = await Doctor.findOneAndUpdate(
    { _id: doctorId, clinicId: actor.clinicId, 'leaves._id': leaveId },
    { $pull: { leaves: { _id: leaveId } } },
    { new: true },
  ).lean<DoctorDoc>();
  // Someone else removed it between our read and this write.
  if (!updated) throw notFound('Leave');
  await audit.record({
    actor,
    action: 'doctor.leave_removed',
    entity: { type: 'doctor', id: doctorId },
    diff: [{ field: 'leaves', from: leaveAudit(leave) }],
  });
  return { doctor: toDoctorView(updated), slots: await refreshDoctorSlots(actor.clinicId, doctorId) };
}
