/**
 * Scheduling fixtures for tests, built through the real services: doctors, patients and slots at
 * exact instants (so tests about "later today" or "just started" do not depend on the clock).
 */
import { randomInt } from 'node:crypto';
import type { Actor } from '../../src/platform/actor.js';
import { createDoctor } from '../../src/modules/doctors/doctor.service.js';
import { registerPatient } from '../../src/modules/patients/patient.service.js';
import { localDateOf } from '../../src/modules/scheduling/clinic-time.js';
import { SlotModel } from '../../src/modules/scheduling/slot.model.js';

/** A doctor with no weekly availability (no generated slots), so tests place slots themselves. */
export async function makeDoctor(system: Actor, name = `Dr Test ${randomInt(1000, 9999)}`): Promise<string> {
  const doctor = await createDoctor(system, { name, speciality: 'General Medicine', consultationFeePaise: 50_000 });
  return doctor.id;
}

/** A patient on a fresh Indian mobile number. */
export async function makePatient(system: Actor, name = 'Asha Verma'): Promise<{ id: string; phone: string }> {
  const phone = `+9198${randomInt(10_000_000, 99_999_999)}`;
  const { patient } = await registerPatient(system, {
    phone,
    name,
    relationToContact: 'self',
    ageYears: 34,
    source: 'frontdesk',
  });
  return { id: patient.id, phone };
}

/** A free slot for `doctorId` starting at `startAt` (Asia/Kolkata local date). */
export async function makeSlot(clinicId: string, doctorId: string, startAt: Date, minutes = 15): Promise<string> {
  const slot = await SlotModel.create({
    clinicId,
    doctorId,
    startAt,
    endAt: new Date(startAt.getTime() + minutes * 60_000),
    localDate: localDateOf(startAt, 'Asia/Kolkata'),
    status: 'free',
  });
  return String(slot._id);
}

/** `minutes` from now, rounded to the second. */
export function inMinutes(minutes: number): Date {
  return new Date(Math.round((Date.now() + minutes * 60_000) / 1000) * 1000);
}
