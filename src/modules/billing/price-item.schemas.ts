/** Request schemas for the price list routes. */
import { z } from 'zod';
import { ITEM_KINDS, TAX_CODE_SCHEMES } from './price-item.model.js';
import { localDate, objectId, paise, percent } from './billing.schemas.js';

const taxCode = z
  .object({
    scheme: z.enum(TAX_CODE_SCHEMES),
    code: z.string().regex(/^\d{4}(\d{2}(\d{2})?)?$/, 'must be a 4, 6 or 8 digit SAC/HSN code'),
  })
  .strict();

/** A rate entry: exempt, or a GST rate in percent, from a day (today when omitted). */
export const rateBody = z
  .object({
    effectiveFrom: localDate.optional(),
    exempt: z.boolean().optional(),
    ratePercent: percent.optional(),
  })
  .strict()
  .refine((rate) => rate.exempt === true || rate.ratePercent !== undefined, 'give ratePercent, or exempt: true')
  .refine((rate) => !(rate.exempt === true && (rate.ratePercent ?? 0) > 0), 'an exempt supply has no GST rate');

/** POST /price-items */
export const createPriceItemBody = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9][A-Z0-9-]{1,23}$/, '2–24 letters, digits or hyphens'),
    name: z.string().trim().min(2).max(120),
    kind: z.enum(ITEM_KINDS),
    doctorId: objectId.optional(),
    speciality: z.string().trim().min(2).max(80).optional(),
    taxCode: taxCode.optional(),
    unitPricePaise: paise,
    unit: z.string().trim().min(1).max(12).optional(),
    rate: rateBody.optional(),
  })
  .strict()
  .refine(
    (item) => !(item.doctorId && item.speciality),
    'a consultation item is for a doctor or a speciality, not both',
  );

/** PATCH /price-items/:id */
export const updatePriceItemBody = z
  .object({
    name: z.string().trim().min(2).max(120).optional(),
    unitPricePaise: paise.optional(),
    unit: z.string().trim().min(1).max(12).optional(),
    active: z.boolean().optional(),
    version: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).filter((key) => key !== 'version').length > 0, 'nothing to change');

/** GET /price-items */
export const listPriceItemsQuery = z
  .object({
    kind: z.enum(ITEM_KINDS).optional(),
    active: z.enum(['true', 'false']).optional(),
  })
  .strict();

/** Input types. */
export type CreatePriceItemInput = z.infer<typeof createPriceItemBody>;
/** PATCH body. */
export type UpdatePriceItemInput = z.infer<typeof updatePriceItemBody>;
/** POST /price-items/:id/rates body. */
export type RateInput = z.infer<typeof rateBody>;
