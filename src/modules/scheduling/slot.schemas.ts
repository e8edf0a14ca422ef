/** Request schemas for free-slot search. */
import { z } from 'zod';
import { parseLocalDate } from './clinic-time.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');

function isCalendarDate(value: string): boolean {
  try {
    parseLocalDate(value);
    return true;
  } catch {
    return false;
  }
}

/** A real clinic-local calendar date, `YYYY-MM-DD` (2030-02-30 is refused). */
export const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real calendar date');

/** An instant (ISO 8601 with offset, becomes a Date) or a clinic-local date (kept as `YYYY-MM-DD`). */
const instantOrDate = z.union([localDate, z.iso.datetime({ offset: true }).transform((value) => new Date(value))], {
  error: 'must be YYYY-MM-DD or an ISO 8601 date-time with offset',
});

const window = {
  date: localDate.optional().describe('Clinic-local day'),
  from: instantOrDate.optional().describe('Not before this instant or local day (never before now)'),
  to: instantOrDate.optional().describe('Before this instant, or through the end of this local day'),
  limit: z.coerce.number().int().min(1).max(500).optional().describe('At most this many slots (default 100)'),
};

/** GET /slots?doctorId=&speciality=&date=&from=&to=&limit= */
export const slotSearchQuery = z.object({
  doctorId: objectId.optional(),
  speciality: z.string().trim().min(1).max(80).optional().describe('Any letter case; resolves to its active doctors'),
  ...window,
});

/** GET /doctors/:id/slots?date=&from=&to=&limit= */
export const doctorSlotsQuery = z.object(window);
