/**
 * The installation's first admin, created at boot when the default clinic has no admin yet:
 * from ADMIN_EMAIL / ADMIN_PASSWORD when set, otherwise with a generated password printed once
 * to stdout (never to the log). Safe to run in every process and on every start: once an admin
 * exists it does nothing, and of two processes racing, only the one whose insert wins prints.
 */
import { randomBytes } from 'node:crypto';
import { systemActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { ensureDefaultClinic } from '../clinics/clinic.service.js';
import { Staff } from './staff.model.js';
import { createStaff } from './staff.service.js';

/** The email of a generated first admin when ADMIN_EMAIL is not set. */
export const GENERATED_ADMIN_EMAIL = 'admin@cinic.local';

/** Ensures the default clinic and its first admin exist; `created` says whether this call made the admin. */
export async function ensureFirstAdmin(
  runtime: Runtime,
  out: NodeJS.WritableStream = process.stdout,
): Promise<{ created: boolean; staffId?: string }> {
  const clinic = await ensureDefaultClinic();
  if (await Staff.exists({ clinicId: clinic.id, roles: 'admin' })) return { created: false };

  const email = runtime.config.admin.email ?? GENERATED_ADMIN_EMAIL;
  const generated = runtime.config.admin.password === undefined;
  const password = runtime.config.admin.password ?? randomBytes(18).toString('base64url');
  let staffId: string;
  try {
    const staff = await createStaff(
      systemActor(clinic.id, 'boot:first-admin'),
      { name: 'Administrator', email, password, roles: ['admin'] },
      { trustFirstDevice: true },
    );
    staffId = staff.id;
  } catch (error) {
    // Another process created it first (or the email already belongs to staff): nothing to print.
    if (error instanceof AppError && error.code === 'email_taken') return { created: false };
    throw error;
  }
  log().info({ staffId, fromEnvironment: !generated }, 'first admin created');
  if (generated) {
    out.write(
      [
        '',
        'CINIC created the first admin account (shown once, not logged):',
        `  email     ${email}`,
        `  password  ${password}`,
        'Sign in and change the password (POST /api/v1/auth/password).',
        '',
        '',
      ].join('\n'),
    );
  }
  return { created: true, staffId };
}
