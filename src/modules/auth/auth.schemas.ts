/** Request schemas for the auth and staff routes (types come from these with z.infer). */
import { z } from 'zod';
import { DEVICE_STATUSES } from './device.model.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password.js';
import { STAFF_ROLES } from './staff.model.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);
const roles = z.array(z.enum(STAFF_ROLES)).min(1, 'at least one role is required');

/** POST /auth/login. Any password length is accepted here so old accounts can still sign in. */
export const loginBody = z.object({
  email: z.string().trim().max(254).pipe(z.email()),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  clinic: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .optional(),
});

/** POST /auth/password. */
export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  newPassword,
});

/** POST /auth/mfa/confirm and /auth/mfa/verify. */
export const codeBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the 6-digit code'),
});

/** :id of a device or staff member. */
export const idParams = z.object({ id: objectId });

/** GET /auth/devices?status=pending */
export const deviceListQuery = z.object({ status: z.enum(DEVICE_STATUSES).optional() });

/** POST /staff. */
export const createStaffBody = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.string().trim().max(254).pipe(z.email()),
  password: newPassword,
  roles,
  doctorId: objectId.optional(),
});

/** PATCH /staff/:id — at least one change. */
export const updateStaffBody = z
  .object({
    roles: roles.optional(),
    active: z.boolean().optional(),
    unlock: z.literal(true).optional(),
    resetMfa: z.literal(true).optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');
