/**
 * Doctor profiles: create (admin, optionally linked to the staff account that signs in as the
 * doctor), list, read, update (admin; a doctor may change a few of their own fields) and the
 * clinic's specialities. Weekly availability and leaves live in availability.service.ts.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { diffFields } from '../../platform/audit/audit-diff.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { POLICY } from '../../platform/rbac/policy.js';
import type { WeeklyRange } from '../scheduling/slot-generation.js';
import { availabilityProblems } from '../scheduling/slot-generation.js';
import { linkDoctorProfile, unlinkDoctorProfile } from '../auth/staff.service.js';
import { refreshDoctorSlots } from './doctor-slots.service.js';
import { Doctor } from './doctor.model.js';
import type { DoctorDoc } from './doctor.model.js';
import { toDoctorView } from './doctor.view.js';
import type { DoctorView } from './doctor.view.js';

/** Input for a new doctor. */
export interface NewDoctor {
  name: string;
  speciality: string;
  qualifications?: string;
  registrationNumber?: string;
  consultationFeePaise: number;
  weeklyAvailability?: WeeklyRange[];
  active?: boolean;
  /** The staff account (with the doctor role) that signs in as this doctor. */
  staffId?: string;
}

/** A change to a profile; `null` clears an optional field or the staff link. */
export interface DoctorPatch {
  name?: string;
  speciality?: string;
  qualifications?: string | null;
  registrationNumber?: string | null;
  consultationFeePaise?: number;
  active?: boolean;
  staffId?: string | null;
}

/** Filters of the doctor list. */
export interface DoctorListFilter {
  speciality?: string;
  active?: boolean;
}

/** A speciality with the number of active doctors practising it. */
export interface SpecialityView {
  name: string;
  doctors: number;
}

/** Fields a doctor may change on their own profile; fees, speciality, registration and links are the admin's. */
export const SELF_EDITABLE_DOCTOR_FIELDS = ['name', 'qualifications'] as const;

const AUDITED_FIELDS = [
  'name',
  'speciality',
  'qualifications',
  'registrationNumber',
  'consultationFeePaise',
  'weeklyAvailability',
  'active',
  'staffId',
];

/** Throws 400 `invalid_availability` listing every problem, for callers that skip the request schema. */
export function assertValidAvailability(availability: readonly WeeklyRange[]): void {
  const problems = availabilityProblems(availability);
  if (problems.length > 0)
    throw new AppError('invalid_availability', 400, `Invalid weekly availability: ${problems.join('; ')}`, {
      problems,
    });
}

function normaliseSpeciality(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/** The clinic's spelling of `name` if a doctor already has it in any letter case, so one speciality never lists twice. */
async function canonicalSpeciality(clinicId: string, name: string): Promise<string> {
  const wanted = normaliseSpeciality(name);
  const known = (await Doctor.distinct('speciality', { clinicId })) as string[];
  return known.find((existing) => existing.toLowerCase() === wanted.toLowerCase()) ?? wanted;
}

/** The doctor `doctorId` of `clinicId` as stored, or 404. */
export async function loadDoctor(clinicId: string, doctorId: string): Promise<DoctorDoc> {
  const doc = Types.ObjectId.isValid(doctorId)
    ? await Doctor.findOne({ _id: doctorId, clinicId }).lean<DoctorDoc>()
    : null;
  if (!doc) throw notFound('Doctor');
  return doc;
}

/** Creates a doctor in the actor's clinic (admin), links the staff account if given, and generates slots. */
export async function createDoctor(actor: Actor, input: NewDoctor): Promise<DoctorView> {
  assertCan(actor, 'create', 'doctors', { clinicId: actor.clinicId });
  const weeklyAvailability = input.weeklyAvailability ?? [];
  assertValidAvailability(weeklyAvailability);
  const id = new Types.ObjectId();
  // Claim the account first: its conditional update is what keeps one account to one profile.
  if (input.staffId) await linkDoctorProfile(actor, input.staffId, String(id));
  let doc: DoctorDoc;
  try {
    const created = await Doctor.create({
      _id: id,
      clinicId: actor.clinicId,
      name: input.name,
      speciality: await canonicalSpeciality(actor.clinicId, input.speciality),
      ...(input.qualifications ? { qualifications: input.qualifications } : {}),
      ...(input.registrationNumber ? { registrationNumber: input.registrationNumber } : {}),
      consultationFeePaise: input.consultationFeePaise,
      weeklyAvailability,
      active: input.active ?? true,
      ...(input.staffId ? { staffId: input.staffId } : {}),
    });
    doc = created.toObject() as DoctorDoc;
  } catch (error) {
    if (input.staffId) await unlinkDoctorProfile(actor, input.staffId, String(id));
    throw error;
  }
  const view = toDoctorView(doc);
  await audit.record({
    actor,
    action: 'doctor.created',
    entity: { type: 'doctor', id: view.id },
    diff: diffFields(null, view, { fields: AUDITED_FIELDS }),
  });
  await refreshDoctorSlots(actor.clinicId, view.id);
  return view;
}

/** The clinic's doctors by name, optionally one speciality (any letter case) and/or active state. */
export async function listDoctors(actor: Actor, filter: DoctorListFilter = {}): Promise<DoctorView[]> {
  assertCan(actor, 'read', 'doctors');
  const query: Record<string, unknown> = { clinicId: actor.clinicId };
  if (filter.active !== undefined) query.active = filter.active;
  if (filter.speciality !== undefined) query.speciality = await canonicalSpeciality(actor.clinicId, filter.speciality);
  const docs = await Doctor.find(query).sort({ name: 1 }).limit(500).lean<DoctorDoc[]>();
  return docs.map(toDoctorView);
}

/** One doctor of the actor's clinic, or 404. */
export async function getDoctor(actor: Actor, doctorId: string): Promise<DoctorView> {
  assertCan(actor, 'read', 'doctors');
  return toDoctorView(await loadDoctor(actor.clinicId, doctorId));
}

/** True when the clinic has at least one doctor (active or not). */
export async function clinicHasDoctors(clinicId: string): Promise<boolean> {
  return (await Doctor.exists({ clinicId })) !== null;
}

function assertMayUpdate(actor: Actor, doctor: DoctorDoc, patch: DoctorPatch): void {
  assertCan(actor, 'update', 'doctors', { clinicId: doctor.clinicId, doctorId: doctor._id });
  // Roles granted `all` (admin) and system actors change anything; `own_doctor` covers a few fields.
  const fullAccess = actor.type === 'system' || actor.roles.some((role) => POLICY.doctors.update?.[role] === 'all');
  if (fullAccess) return;
  const denied = Object.keys(patch).filter(
    (field) => !(SELF_EDITABLE_DOCTOR_FIELDS as readonly string[]).includes(field),
  );
  if (denied.length > 0) {
    throw forbidden(
      `A doctor may change only their ${SELF_EDITABLE_DOCTOR_FIELDS.join(' and ')}; ask an admin to change ${denied.join(', ')}`,
      {
        action: 'update',
        resource: 'doctors',
        reason: 'record_rule',
        fields: denied,
      },
    );
  }
}

async function relinkStaff(actor: Actor, doctor: DoctorDoc, staffId: string | null | undefined): Promise<void> {
  const current = doctor.staffId ? String(doctor.staffId) : null;
  if (staffId === undefined || staffId === current) return;
  if (staffId) await linkDoctorProfile(actor, staffId, String(doctor._id));
  if (current) await unlinkDoctorProfile(actor, current, String(doctor._id));
}

/** Updates a profile: admin any field, the doctor themself only SELF_EDITABLE_DOCTOR_FIELDS; audited. */
export async function updateDoctor(actor: Actor, doctorId: string, patch: DoctorPatch): Promise<DoctorView> {
  const before = await loadDoctor(actor.clinicId, doctorId);
  assertMayUpdate(actor, before, patch);
  await relinkStaff(actor, before, patch.staffId);

  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) unset[field] = 1;
    else if (value !== undefined) set[field] = value;
  }
  if (typeof patch.speciality === 'string')
    set.speciality = await canonicalSpeciality(actor.clinicId, patch.speciality);
  const updated = await Doctor.findOneAndUpdate(
    { _id: doctorId, clinicId: actor.clinicId },
    { ...(Object.keys(set).length ? { $set: set } : {}), ...(Object.keys(unset).length ? { $unset: unset } : {}) },
    { new: true, runValidators: true },
  ).lean<DoctorDoc>();
  if (!updated) throw notFound('Doctor');

  const after = toDoctorView(updated);
  const diff = diffFields(toDoctorView(before), after, { fields: Object.keys(patch) });
  if (diff.length > 0)
    await audit.record({ actor, action: 'doctor.updated', entity: { type: 'doctor', id: doctorId }, diff });
  if (patch.active !== undefined && patch.active !== (before.active ?? true))
    await refreshDoctorSlots(actor.clinicId, doctorId);
  return after;
}

/** Specialities of the clinic's active doctors, by name, with how many doctors practise each. */
export async function listSpecialities(actor: Actor): Promise<SpecialityView[]> {
  assertCan(actor, 'read', 'doctors');
  const groups = await Doctor.aggregate<{ _id: string; doctors: number }>([
    { $match: { clinicId: new Types.ObjectId(actor.clinicId), active: true } },
    { $group: { _id: '$speciality', doctors: { $sum: 1 } } },
    { $sort: { _id: 1 } },
  ]);
  return groups.map((group) => ({ name: group._id, doctors: group.doctors }));
}

/** A doctor as slot search shows it beside each slot. */
export interface BookableDoctor {
  id: string;
  name: string;
  speciality: string;
}

/**
 * Active doctors slot search may offer: one doctor (404 when not in the clinic; none when
 * inactive), a speciality's (any letter case), or all of them.
 */
export async function bookableDoctors(
  clinicId: string,
  filter: { doctorId?: string; speciality?: string },
): Promise<BookableDoctor[]> {
  const query: Record<string, unknown> = { clinicId, active: true };
  if (filter.doctorId) query._id = (await loadDoctor(clinicId, filter.doctorId))._id;
  if (filter.speciality !== undefined) query.speciality = await canonicalSpeciality(clinicId, filter.speciality);
  const docs = await Doctor.find(query, { name: 1, speciality: 1 }).sort({ name: 1 }).limit(500).lean<DoctorDoc[]>();
  return docs.map((doc) => ({ id: String(doc._id), name: doc.name, speciality: doc.speciality }));
}
