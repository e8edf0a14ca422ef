/** Request schemas for the doctor routes (types come from these with z.infer). */
import { z } from 'zod';
import { availabilityProblems } from '../scheduling/slot-generation.js';
import { LEAVE_KINDS } from './doctor.model.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
const name = z.string().trim().min(2).max(120);
const speciality = z.string().trim().min(2).max(80);
/** Fees are whole paise (₹500 = 50000), up to ₹1,00,000. */
const feePaise = z.number().int('must be whole paise').min(0).max(10_000_000);
const LEAVE_MAX_DAYS = 366;

/** Weekly ranges in clinic-local time; every problem `availabilityProblems` finds is one readable issue. */
export const weeklyAvailability = z
  .array(
    z
      .object({
        weekday: z.number().int().describe('0 = Sunday … 6 = Saturday'),
        start: z.string().max(5).describe('HH:mm, clinic-local'),
        end: z.string().max(5).describe('HH:mm (24:00 allowed), clinic-local'),
      })
      .strict(),
  )
  .max(70)
  .superRefine((ranges, ctx) => {
    for (const problem of availabilityProblems(ranges)) ctx.addIssue({ code: 'custom', message: problem });
  });

/** :id of a doctor. */
export const doctorIdParams = z.object({ id: objectId });

/** :id of a doctor and :leaveId of one of their leaves. */
export const leaveParams = z.object({ id: objectId, leaveId: objectId });

/** GET /doctors?speciality=&active= */
export const doctorListQuery = z.object({
  speciality: speciality.optional(),
  active: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

/** POST /doctors. */
export const createDoctorBody = z
  .object({
    name,
    speciality,
    qualifications: z.string().trim().max(200).optional(),
    registrationNumber: z.string().trim().max(40).optional(),
    consultationFeePaise: feePaise,
    weeklyAvailability: weeklyAvailability.optional(),
    active: z.boolean().optional(),
    staffId: objectId.optional().describe('A staff account with the doctor role; it signs in as this doctor'),
  })
  .strict();

/** PATCH /doctors/:id — at least one change; `null` clears an optional field or the staff link. */
export const updateDoctorBody = z
  .object({
    name: name.optional(),
    speciality: speciality.optional(),
    qualifications: z.string().trim().max(200).nullable().optional(),
    registrationNumber: z.string().trim().max(40).nullable().optional(),
    consultationFeePaise: feePaise.optional(),
    active: z.boolean().optional(),
    staffId: objectId.nullable().optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');

/** PUT /doctors/:id/availability — replaces the weekly ranges. */
export const availabilityBody = z.object({ weeklyAvailability }).strict();

const instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset, e.g. 2030-01-07T09:00:00+05:30' })
  .transform((value) => new Date(value));

/** POST /doctors/:id/leaves — a leave or blocked period, UTC instants, half-open, up to a year. */
export const leaveBody = z
  .object({
    kind: z.enum(LEAVE_KINDS).optional(),
    startAt: instant,
    endAt: instant,
    reason: z.string().trim().max(200).optional().describe('Shown to staff only; never clinical'),
  })
  .strict()
  .superRefine((leave, ctx) => {
    // Zod still runs this after a malformed date-time (a continuable issue); there is nothing to compare then.
    if (!(leave.startAt instanceof Date && leave.endAt instanceof Date)) return;
    const spanMs = leave.endAt.getTime() - leave.startAt.getTime();
    if (spanMs <= 0) ctx.addIssue({ code: 'custom', message: 'endAt must be after startAt', path: ['endAt'] });
    else if (spanMs > LEAVE_MAX_DAYS * 86_400_000)
      ctx.addIssue({ code: 'custom', message: `a leave may span at most ${LEAVE_MAX_DAYS} days`, path: ['endAt'] });
  });
