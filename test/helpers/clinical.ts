/**
 * Clinical fixtures built through the real services and API: a doctor who can sign in (with a
 * registration number, as prescriptions need), and an appointment booked and checked in through
 * the front desk's routes — so the check-in's domain event opens the visit as in production.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { subscribe } from '../../src/platform/domain-events.js';
import type { DomainEvents } from '../../src/platform/domain-events.js';
import type { Actor } from '../../src/platform/actor.js';
import { createDoctor } from '../../src/modules/doctors/doctor.service.js';
import { createStaffAndLogin } from './auth.js';
import type { SignedInStaff } from './auth.js';
import { makePatient, makeSlot } from './scheduling.js';
import { startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';

/** Starts the app with its PDFs in a temporary folder of its own. */
export async function startClinicalApp(label: string, env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp(label, {
    env: { CINIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), `cinic-${label}-`)), ...env },
  });
}

/** A doctor profile with a registration number, and a signed-in staff account for it. */
export async function makeSignedInDoctor(
  t: TestApp,
  system: Actor,
  name = `Dr Test ${randomInt(1000, 9999)}`,
): Promise<{ doctorId: string; login: SignedInStaff }> {
  const doctor = await createDoctor(system, {
    name,
    speciality: 'General Medicine',
    qualifications: 'MBBS, MD (General Medicine)',
    registrationNumber: `KMC-${randomInt(10_000, 99_999)}`,
    consultationFeePaise: 50_000,
  });
  return { doctorId: doctor.id, login: await createStaffAndLogin(t, ['doctor'], { doctorId: doctor.id }) };
}

let slotOffset = 0;

// Slots a few seconds apart (and that long), so a whole test file's bookings fit in a few minutes:
// "later today" must stay on the clinic's day even when a run starts shortly before midnight IST.
const SLOT_SPACING_MS = 3_000;

/** A fresh start time later today (distinct per call, so slots and patients never collide). */
function nextStart(): Date {
  slotOffset += 1;
  return new Date(Math.round((Date.now() + 20_000 + slotOffset * SLOT_SPACING_MS) / 1000) * 1000);
}

/** Books a slot for `patientId` (a new patient when absent) with `doctorId`, through the front desk's API. */
export async function bookedAppointment(
  frontdesk: SignedInStaff,
  system: Actor,
  doctorId: string,
  patientId?: string,
): Promise<{ appointmentId: string; patientId: string }> {
  const patient = patientId ?? (await makePatient(system)).id;
  const slotId = await makeSlot(system.clinicId, doctorId, nextStart(), SLOT_SPACING_MS / 60_000);
  const res = await frontdesk.agent.post('/api/v1/appointments').send({ patientId: patient, slotId });
  if (res.status !== 201) throw new Error(`booking failed with ${res.status}: ${res.text}`);
  return { appointmentId: res.body.id as string, patientId: patient };
}

/** Books and checks in an appointment through the front desk's API (the check-in opens the visit). */
export async function checkedInAppointment(
  frontdesk: SignedInStaff,
  system: Actor,
  doctorId: string,
  patientId?: string,
): Promise<{ appointmentId: string; patientId: string }> {
  const booked = await bookedAppointment(frontdesk, system, doctorId, patientId);
  const res = await frontdesk.agent.post(`/api/v1/appointments/${booked.appointmentId}/check-in`).send({});
  if (res.status !== 200) throw new Error(`check-in failed with ${res.status}: ${res.text}`);
  return booked;
}

/** Collects every payload of `event` published from now on. */
export function captureEvents<K extends keyof DomainEvents>(event: K): DomainEvents[K][] {
  const seen: DomainEvents[K][] = [];
  subscribe(event, `test.capture.${event}`, (payload) => {
    seen.push(payload);
  });
  return seen;
}
