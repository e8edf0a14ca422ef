/** Zod schemas for prescriptions and dispensing. Messages never echo values. */
import { z } from 'zod';
import { clinicalText } from './visit.schemas.js';

const required = (max: number, what: string) =>
  clinicalText(max).refine((text) => text.length > 0, `${what} is required`);
const optional = (max: number) =>
  clinicalText(max)
    .optional()
    .transform((text) => (text ? text : undefined));

/** One medicine line as the doctor writes it. */
export const prescriptionItemSchema = z
  .object({
    medicine: required(200, 'the medicine'),
    strength: optional(60),
    form: optional(40),
    dose: required(60, 'the dose'),
    frequency: required(60, 'the frequency (e.g. 1-0-1)'),
    duration: required(60, 'the duration (e.g. 5 days)'),
    route: optional(40),
    instructions: optional(500),
  })
  .strict();

/** POST /visits/:visitId/prescriptions — issue the next version. */
export const issuePrescriptionBody = z
  .object({
    items: z.array(prescriptionItemSchema).min(1, 'a prescription needs at least one medicine').max(30),
    advice: optional(2000),
    /** The version this one replaces (0 for the first): 409 if another was issued meanwhile. */
    supersedesVersion: z.number().int().min(0).optional(),
  })
  .strict();
/** A prescription as the service takes it. */
export type IssuePrescriptionInput = z.input<typeof issuePrescriptionBody>;

/** What happened to one line at the pharmacy counter. */
export const DISPENSE_STATUSES = ['full', 'partial', 'not_available'] as const;

/** POST /prescriptions/:id/dispensings */
export const dispensingBody = z
  .object({
    items: z
      .array(
        z
          .object({
            itemId: z.string().regex(/^[0-9a-f]{24}$/i, 'must be an item id'),
            status: z.enum(DISPENSE_STATUSES),
            /** Units handed over (tablets, bottles), for partial dispensing. */
            quantity: z.number().int().min(0).max(10_000).optional(),
          })
          .strict(),
      )
      .min(1, 'record at least one line')
      .max(30),
    note: optional(1000),
  })
  .strict()
  .refine((body) => new Set(body.items.map((item) => item.itemId)).size === body.items.length, {
    message: 'each line may appear once',
    path: ['items'],
  });
/** A dispensing record as the service takes it. */
export type DispensingInput = z.input<typeof dispensingBody>;

/** :prescriptionId in the path. */
export const prescriptionParams = z.object({ prescriptionId: z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id') });

/** GET /prescriptions?patientId= (pharmacy counter, doctors): active versions by default. */
export const patientPrescriptionsQuery = z
  .object({
    patientId: z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id'),
    status: z.enum(['active', 'all']).default('active'),
  })
  .strict();
