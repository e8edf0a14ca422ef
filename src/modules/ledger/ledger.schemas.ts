/** Request schemas for the ledger and report routes. */
import { z } from 'zod';
import { parseLocalDate } from '../scheduling/clinic-time.js';

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

/** GET /ledger/trial-balance */
export const trialBalanceQuery = z.object({ asOf: localDate.optional() }).strict();

/** GET /reports/revenue — clinic-local days, both inclusive. */
export const revenueQuery = z.object({ from: localDate, to: localDate }).strict();
