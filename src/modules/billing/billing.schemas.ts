/** Zod pieces shared by the billing request schemas. */
import { z } from 'zod';
import { parseLocalDate } from '../scheduling/clinic-time.js';
import { isGstStateCode } from './gst-states.js';
import { percentToBasisPoints } from './money.js';

/** A MongoDB id in a path or body. */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');

/** A clinic-local calendar date, YYYY-MM-DD. */
export const localDate = z
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

/** Whole paise, up to ₹1 crore per amount. */
export const paise = z.number().int().min(0).max(1_000_000_000);

/** Positive whole paise. */
export const positivePaise = paise.min(1);

/** A percentage with at most two decimals (18, 12.5, 0.25). */
export const percent = z
  .number()
  .min(0)
  .max(100)
  .refine((value) => percentToBasisPoints(value) !== null, 'at most two decimals');

/** A reason a person types for a discount, void, refund or credit note (operational, never clinical). */
export const reason = z.string().trim().min(3).max(300);

/** `:id` in the path. */
export const idParams = z.object({ id: objectId });

/** A two-digit GST state code. */
export const stateCode = z
  .string()
  .regex(/^\d{2}$/, 'must be the 2-digit GST state code')
  .refine(isGstStateCode, 'is not a GST state code');
