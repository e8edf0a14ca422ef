/** Request schemas for the appointment routes (types come from these with z.infer). */
import { z } from 'zod';
import { APPOINTMENT_EVENT_TYPES, APPOINTMENT_STATUSES, OVERRIDE_TARGETS } from '../../../flows/appointment.types.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const reason = z.string().trim().min(1).max(300);

/** POST /appointments */
export const bookBody = z
  .object({
    patientId: objectId,
    slotId: objectId,
    source: z.enum(['frontdesk', 'whatsapp', 'portal']).default('frontdesk'),
    reason: reason.optional(),
  })
  .strict();

/** GET /appointments */
export const listQuery = z
  .object({
    date: localDate.optional(),
    doctorId: objectId.optional(),
    status: z.enum(APPOINTMENT_STATUSES).optional(),
    patientId: objectId.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

/** :id in the path. */
export const appointmentParams = z.object({ id: objectId });

/** POST /appointments/:id/transition — any lifecycle event. */
export const transitionBody = z
  .object({
    event: z.enum(APPOINTMENT_EVENT_TYPES),
    reason: reason.optional(),
    to: z.enum(OVERRIDE_TARGETS).optional(),
    expectedVersion: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((body) => body.event !== 'OVERRIDE_NO_SHOW' || body.to !== undefined, {
    message: 'OVERRIDE_NO_SHOW needs `to`',
    path: ['to'],
  });

/** Body of the named shortcuts (confirm, check-in, cancel, …). */
export const shortcutBody = z
  .object({ reason: reason.optional(), expectedVersion: z.number().int().min(0).optional() })
  .strict();

/** POST /appointments/:id/reschedule */
export const rescheduleBody = z.object({ slotId: objectId, reason: reason.optional() }).strict();

/** POST /walk-ins */
export const walkInBody = z
  .object({ patientId: objectId, doctorId: objectId, overbook: z.boolean().optional() })
  .strict();

/** GET /queue */
export const queueQuery = z.object({ doctorId: objectId, date: localDate.optional() }).strict();
