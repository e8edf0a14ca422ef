/** Request schemas for the clinic routes. */
import { z } from 'zod';
import { ROLES } from '../../platform/actor.js';
import { isValidTimeZone } from '../scheduling/clinic-time.js';

/** PATCH /clinic/settings/security — at least one setting. */
export const securitySettingsBody = z
  .object({
    deviceApproval: z.boolean().optional(),
    mfaRequiredRoles: z.array(z.enum(ROLES).exclude(['patient'])).optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** PATCH /clinic — profile fields printed on invoices and shown to patients. */
export const clinicProfileBody = z
  .object({
    name: z.string().trim().min(2).max(120).optional(),
    timezone: z
      .string()
      .refine((zone) => isValidTimeZone(zone), 'must be an IANA timezone such as Asia/Kolkata')
      .optional(),
    gstin: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/, 'must be a 15-character GSTIN')
      .optional(),
    stateCode: z
      .string()
      .regex(/^\d{2}$/, 'must be the 2-digit GST state code')
      .optional(),
    phone: z.string().trim().max(20).optional(),
    address: z
      .object({
        line1: z.string().trim().max(200).optional(),
        line2: z.string().trim().max(200).optional(),
        city: z.string().trim().max(80).optional(),
        state: z.string().trim().max(80).optional(),
        pincode: z
          .string()
          .regex(/^\d{6}$/, 'must be a 6-digit PIN code')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change');

/** PATCH /clinic/settings/scheduling — slot length, prepayment, holds, reminders, refunds, holidays. */
export const schedulingSettingsBody = z
  .object({
    slotMinutes: z.number().int().min(5).max(240).optional(),
    bookingHorizonDays: z.number().int().min(1).max(90).optional(),
    prepaymentRequired: z.boolean().optional(),
    prepaymentPaise: z.number().int().min(0).optional(),
    holdMinutes: z.number().int().min(5).max(120).optional(),
    noShowGraceMinutes: z.number().int().min(0).max(240).optional(),
    reminderOffsetsMinutes: z
      .array(
        z
          .number()
          .int()
          .min(5)
          .max(7 * 24 * 60),
      )
      .max(5)
      .optional(),
    patientCancelCutoffHours: z.number().min(0).max(168).optional(),
    fullRefundHours: z.number().min(0).max(720).optional(),
    partialRefundHours: z.number().min(0).max(720).optional(),
    partialRefundPercent: z.number().int().min(0).max(100).optional(),
    overbookRoles: z.array(z.enum(ROLES).exclude(['patient'])).optional(),
    holidays: z
      .array(z.object({ date: localDate, name: z.string().trim().max(80).optional() }).strict())
      .max(100)
      .optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'nothing to change')
  .refine(
    (patch) =>
      patch.fullRefundHours === undefined ||
      patch.partialRefundHours === undefined ||
      patch.partialRefundHours <= patch.fullRefundHours,
    'partialRefundHours must not exceed fullRefundHours',
  );

const discountLimit = z.number().min(0).max(100);

/** PATCH /clinic/settings/billing — per-role discount limits in percent of the bill (admin has none). */
export const billingSettingsBody = z
  .object({
    discountLimitsPercent: z
      .object({
        frontdesk: discountLimit.optional(),
        pharmacy: discountLimit.optional(),
        accounts: discountLimit.optional(),
      })
      .strict()
      .refine((limits) => Object.keys(limits).length > 0, 'name at least one role'),
  })
  .strict();
