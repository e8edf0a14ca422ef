/** Request schemas for the clinic routes. */
import { z } from 'zod';
import { ROLES } from '../../platform/actor.js';

/** PATCH /clinic/settings/security — at least one setting. */
export const securitySettingsBody = z
  .object({
    deviceApproval: z.boolean().optional(),
    mfaRequiredRoles: z.array(z.enum(ROLES).exclude(['patient'])).optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');
