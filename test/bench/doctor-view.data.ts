/**
 * Demo-sized data for the doctor-view benchmark, made through the real services: one doctor's day
 * of 28 appointments in the queue (19 waiting, 1 in consultation, 8 done) and 5 more booked and
 * confirmed but not arrived ("Expected today"). The patient in consultation has the 8 completed
 * visits as history, each with a signed note, a prescription and two lab results (one abnormal),
 * plus allergies and conditions. PDFs go to a temporary folder.
 */
import { randomInt } from 'node:crypto';
import { bookAppointment, transitionAppointment } from '../../src/modules/appointments/appointment.service.js';
import { createStaff } from '../../src/modules/auth/staff.service.js';
import { completeConsult, startConsult } from '../../src/modules/clinical/consult.service.js';
import { enterLabResult, orderLabTests } from '../../src/modules/clinical/lab.service.js';
import { issuePrescription } from '../../src/modules/clinical/prescription.service.js';
import { saveDraft, signVisit } from '../../src/modules/clinical/visit.service.js';
import { ensureDefaultClinic } from '../../src/modules/clinics/clinic.service.js';
import { createDoctor } from '../../src/modules/doctors/doctor.service.js';
import { registerPatient } from '../../src/modules/patients/patient.service.js';
import { systemActor } from '../../src/platform/actor.js';
import type { Actor } from '../../src/platform/actor.js';
import { makeSlot } from '../helpers/scheduling.js';

/** What the benchmark reads. */
export interface DoctorDay {
  email: string;
  password: string;
  patientId: string;
  draftVisitId: string;
  signedVisitId: string;
}

const WAITING = 19;
const EXPECTED = 5;
const HISTORY = 8;
const PASSWORD = 'bench doctor password 1234';

let slot = 0;
/** Books the next free minute later today (confirmed: the bench clinic asks no prepayment). */
async function booked(frontdesk: Actor, doctorId: string, patientId: string): Promise<string> {
  slot += 1;
  const slotId = await makeSlot(
    frontdesk.clinicId,
    doctorId,
    new Date(Math.round((Date.now() + 120_000 + slot * 61_000) / 1000) * 1000),
    1,
  );
  const appointment = await bookAppointment(frontdesk, { patientId, slotId, source: 'frontdesk' });
  if (appointment.status !== 'confirmed') throw new Error(`the bench booking is ${appointment.status}, not confirmed`);
  return appointment.id;
}

async function checkedIn(frontdesk: Actor, doctorId: string, patientId: string): Promise<string> {
  const appointmentId = await booked(frontdesk, doctorId, patientId);
  await transitionAppointment(frontdesk, appointmentId, { event: 'CHECK_IN' });
  return appointmentId;
}

async function patient(
  system: Actor,
  name: string,
  flags?: { allergies: string[]; conditions: string[] },
): Promise<string> {
  const phone = `+9199${randomInt(10_000_000, 99_999_999)}`;
  return (
    await registerPatient(system, {
      phone,
      name,
      relationToContact: 'self',
      ageYears: randomInt(18, 80),
      source: 'frontdesk',
      ...(flags ? { medicalFlags: flags } : {}),
    })
  ).patient.id;
}

/** A consultation with a full note and orders; signed and completed unless `leaveDraft`. */
async function consult(
  doctor: Actor,
  frontdesk: Actor,
  appointmentId: string,
  n: number,
  leaveDraft = false,
): Promise<string> {
  const visit = (await startConsult(doctor, appointmentId)).visit;
  const saved = await saveDraft(doctor, visit.id, {
    version: visit.version,
    vitals: {
      temperatureC: 37.2,
      pulseBpm: 80 + n,
      bpSystolic: 128,
      bpDiastolic: 82,
      spo2Percent: 98,
      heightCm: 165,
      weightKg: 70,
    },
    chiefComplaint: `Review visit ${n}: sugars and blood pressure`,
    soap: {
      subjective: 'Compliant with medicines. Occasional headache. '.repeat(6),
      objective: 'Comfortable, no pedal oedema. '.repeat(4),
      assessment: 'Type 2 diabetes, fair control; hypertension controlled',
      plan: 'Continue medicines; HbA1c in 3 months. '.repeat(3),
    },
    diagnoses: [
      { text: 'Type 2 diabetes mellitus', icd10: 'E11.9' },
      { text: 'Essential hypertension', icd10: 'I10' },
    ],
    followUp: { advice: 'Walk 30 minutes a day', inDays: 30 },
  });
  await issuePrescription(doctor, visit.id, {
    items: [
      {
        medicine: 'Metformin',
        strength: '500 mg',
        form: 'Tab',
        dose: '1 tab',
        frequency: '1-0-1',
        duration: '30 days',
        route: 'Oral',
        instructions: 'After food',
      },
      {
        medicine: 'Telmisartan',
        strength: '40 mg',
        form: 'Tab',
        dose: '1 tab',
        frequency: '1-0-0',
        duration: '30 days',
        route: 'Oral',
      },
      {
        medicine: 'Atorvastatin',
        strength: '10 mg',
        form: 'Tab',
        dose: '1 tab',
        frequency: '0-0-1',
        duration: '30 days',
      },
    ],
    advice: 'Low salt, low sugar diet',
  });
  const tests = await orderLabTests(doctor, visit.id, { tests: [{ name: 'HbA1c' }, { name: 'Serum creatinine' }] });
  await enterLabResult(frontdesk, tests[0]!.id, {
    value: String(7 + n / 10),
    unit: '%',
    referenceLow: 4,
    referenceHigh: 5.6,
    version: 0,
  });
  await enterLabResult(frontdesk, tests[1]!.id, {
    value: '0.9',
    unit: 'mg/dL',
    referenceLow: 0.6,
    referenceHigh: 1.2,
    version: 0,
  });
  if (leaveDraft) return visit.id;
  await signVisit(doctor, visit.id, { version: saved.version });
  await completeConsult(doctor, appointmentId);
  return visit.id;
}

/** Seeds the day into the current database. */
export async function seedDoctorDay(): Promise<DoctorDay> {
  const clinic = await ensureDefaultClinic();
  const system = systemActor(clinic.id, 'bench:setup');
  const doctorProfile = await createDoctor(system, {
    name: 'Dr Bench Rao',
    speciality: 'General Medicine',
    qualifications: 'MBBS, MD',
    registrationNumber: 'KMC-10001',
    consultationFeePaise: 50_000,
  });
  const email = `bench-doctor-${randomInt(1e6)}@bench.cinic.example`;
  const doctorStaff = await createStaff(
    system,
    { name: 'Dr Bench Rao', email, password: PASSWORD, roles: ['doctor'], doctorId: doctorProfile.id },
    { trustFirstDevice: true },
  );
  const desk = await createStaff(system, {
    name: 'Bench Desk',
    email: `bench-desk-${randomInt(1e6)}@bench.cinic.example`,
    password: PASSWORD,
    roles: ['frontdesk'],
  });
  const doctor: Actor = {
    type: 'staff',
    id: doctorStaff.id,
    roles: ['doctor'],
    clinicId: clinic.id,
    doctorId: doctorProfile.id,
  };
  const frontdesk: Actor = { type: 'staff', id: desk.id, roles: ['frontdesk'], clinicId: clinic.id };

  const patientId = await patient(system, 'Ramesh Gowda', {
    allergies: ['Penicillin', 'Sulfa drugs'],
    conditions: ['Type 2 diabetes', 'Hypertension'],
  });
  let signedVisitId = '';
  for (let n = 1; n <= HISTORY; n += 1)
    signedVisitId = await consult(doctor, frontdesk, await checkedIn(frontdesk, doctorProfile.id, patientId), n);
  const draftVisitId = await consult(
    doctor,
    frontdesk,
    await checkedIn(frontdesk, doctorProfile.id, patientId),
    HISTORY + 1,
    true,
  );
  for (let n = 1; n <= WAITING; n += 1)
    await checkedIn(frontdesk, doctorProfile.id, await patient(system, `Waiting Patient ${n}`));
  for (let n = 1; n <= EXPECTED; n += 1)
    await booked(
      frontdesk,
      doctorProfile.id,
      await patient(system, `Expected Patient ${n}`, n % 2 ? { allergies: ['Penicillin'], conditions: [] } : undefined),
    );
  return { email, password: PASSWORD, patientId, draftVisitId, signedVisitId };
}
