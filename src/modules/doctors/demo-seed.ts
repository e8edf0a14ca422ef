/**
 * The sandbox demo clinic, so a person can book at once after `npm start`: the default clinic
 * gets a Bengaluru profile and a ₹200 booking prepayment (when none was filled in), three doctors with availability and slots
 * for the booking horizon, each signing in through a demo doctor account, plus a front-desk
 * account. Passwords are generated and printed once to stdout (never to the log), as for the
 * first admin.
 *
 * Runs only in sandbox mode and only while the clinic has no doctors, so it is safe at every
 * boot and from `npm run seed`. Processes racing through it split the work: each account's
 * unique email lets one process create it, and only that process creates its doctor.
 */
import { randomBytes } from 'node:crypto';
import { systemActor } from '../../platform/actor.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import type { StaffRole } from '../auth/staff.model.js';
import { createStaff } from '../auth/staff.service.js';
import { ensureDefaultClinic, updateClinicProfile, updateSchedulingSettings } from '../clinics/clinic.service.js';
import type { ClinicView } from '../clinics/clinic.service.js';
import { DEMO_CLINIC_PROFILE, DEMO_DOCTORS, DEMO_FRONTDESK, DEMO_PREPAYMENT } from './demo-clinic.data.js';
import { clinicHasDoctors, createDoctor } from './doctor.service.js';

/** A demo account this run created (the password exists only here and on stdout). */
export interface DemoAccount {
  role: Extract<StaffRole, 'doctor' | 'frontdesk'>;
  name: string;
  email: string;
  password: string;
  staffId: string;
  doctorId?: string;
  speciality?: string;
}

/** What a seeding run did; `reason` says why it did nothing. */
export interface DemoSeedResult {
  seeded: boolean;
  reason?: 'not_sandbox' | 'disabled' | 'has_doctors';
  clinicId?: string;
  accounts: DemoAccount[];
}

async function createDemoAccount(
  actor: Actor,
  name: string,
  email: string,
  role: DemoAccount['role'],
): Promise<DemoAccount | null> {
  const password = randomBytes(18).toString('base64url');
  try {
    // Trusted first device: a person trying the sandbox signs in without waiting for an admin.
    const staff = await createStaff(actor, { name, email, password, roles: [role] }, { trustFirstDevice: true });
    return { role, name, email, password, staffId: staff.id };
  } catch (error) {
    // Another process created it (and seeds its doctor), or it is left from an earlier run.
    if (error instanceof AppError && error.code === 'email_taken') return null;
    throw error;
  }
}

async function fillClinicProfile(actor: Actor, clinic: ClinicView): Promise<void> {
  // An admin who already described the clinic keeps their profile.
  if (clinic.gstin || clinic.address.line1) return;
  await updateClinicProfile(actor, DEMO_CLINIC_PROFILE);
  // A prepayment clinic, so the sandbox shows the whole money flow: hold, Pay now, receipt.
  if (!clinic.scheduling.prepaymentRequired) await updateSchedulingSettings(actor, DEMO_PREPAYMENT);
}

function printAccounts(
  out: NodeJS.WritableStream,
  clinicName: string,
  horizonDays: number,
  accounts: DemoAccount[],
): void {
  const width = Math.max(...accounts.map((account) => account.email.length));
  const rows = accounts.map((account) => {
    const who = account.speciality ? `${account.name}, ${account.speciality}` : account.name;
    return `  ${account.role.padEnd(10)} ${account.email.padEnd(width)}  ${account.password}  ${who}`;
  });
  out.write(
    [
      '',
      `CINIC seeded the demo clinic "${clinicName}" with doctors and ${horizonDays} days of slots.`,
      'Demo accounts (role, email, password; shown once, not logged):',
      ...rows,
      'Doctors sign in to their notes view at /doctor (the URL is listed below); API clients use POST /api/v1/auth/login.',
      'Change a password with POST /api/v1/auth/password.',
      '',
      '',
    ].join('\n'),
  );
}

/** Seeds the demo clinic into the default clinic when sandbox mode is on and it has no doctors yet. */
export async function seedDemoClinic(
  runtime: Runtime,
  out: NodeJS.WritableStream = process.stdout,
): Promise<DemoSeedResult> {
  if (!runtime.config.sandbox) return { seeded: false, reason: 'not_sandbox', accounts: [] };
  if (!runtime.config.demoSeed) return { seeded: false, reason: 'disabled', accounts: [] };
  const clinic = await ensureDefaultClinic();
  if (await clinicHasDoctors(clinic.id))
    return { seeded: false, reason: 'has_doctors', clinicId: clinic.id, accounts: [] };

  const actor = systemActor(clinic.id, 'boot:demo-seed');
  await fillClinicProfile(actor, clinic);
  const accounts: DemoAccount[] = [];
  for (const demo of DEMO_DOCTORS) {
    const account = await createDemoAccount(actor, demo.name, demo.email, 'doctor');
    if (!account) continue;
    const { email: _email, ...profile } = demo;
    const doctor = await createDoctor(actor, { ...profile, staffId: account.staffId });
    accounts.push({ ...account, doctorId: doctor.id, speciality: doctor.speciality });
  }
  const frontdesk = await createDemoAccount(actor, DEMO_FRONTDESK.name, DEMO_FRONTDESK.email, 'frontdesk');
  if (frontdesk) accounts.push(frontdesk);

  const after = await ensureDefaultClinic();
  log().info(
    { clinicId: clinic.id, doctors: accounts.filter((account) => account.doctorId).length, accounts: accounts.length },
    'demo clinic seeded',
  );
  if (accounts.length > 0) printAccounts(out, after.name, after.scheduling.bookingHorizonDays, accounts);
  return { seeded: accounts.length > 0, clinicId: clinic.id, accounts };
}
