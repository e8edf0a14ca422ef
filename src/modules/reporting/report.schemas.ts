/** Request schemas for the KPI routes. */
import { z } from 'zod';
import { parseLocalDate } from '../scheduling/index.js';

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((value) => {
    try {
      parseLocalDate(value);
      return true;
    } catch {
      return false;
    }
  }, 'must be a calendar date');
const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');
const format = z.enum(['json', 'csv']).optional();

/** GET /reports/kpis — clinic-local days, both inclusive; one doctor's figures with `doctorId`. */
export const kpiQuery = z.object({ from: localDate, to: localDate, doctorId: objectId.optional(), format }).strict();

/** GET /reports/today */
export const todayQuery = z.object({ doctorId: objectId.optional(), format }).strict();

/** POST /reports/kpis/rebuild — recompute and store a past range. */
export const rebuildBody = z.object({ from: localDate, to: localDate }).strict();

/** PATCH /reports/settings — the owner's evening summary. */
export const reportSettingsBody = z
  .object({
    eveningSummary: z
      .object({
        enabled: z.boolean(),
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)'),
        ownerPhone: z
          .string()
          .regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 number like +919812345678')
          .nullable(),
        language: z.enum(['en', 'hi']),
      })
      .partial()
      .strict(),
  })
  .strict();
