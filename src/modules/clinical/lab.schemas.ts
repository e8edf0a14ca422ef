/** Zod schemas for lab orders and results. Messages never echo values. */
import { z } from 'zod';
import { clinicalText, objectId } from './visit.schemas.js';

const optional = (max: number) =>
  clinicalText(max)
    .optional()
    .transform((text) => (text ? text : undefined));

/** POST /visits/:visitId/lab-orders */
export const orderLabTestsBody = z
  .object({
    tests: z
      .array(
        z
          .object({
            name: clinicalText(200).refine((text) => text.length > 0, 'name the test'),
            code: optional(40),
            notes: optional(500),
          })
          .strict(),
      )
      .min(1, 'order at least one test')
      .max(30),
  })
  .strict();
/** A lab order as the service takes it. */
export type OrderLabTestsInput = z.input<typeof orderLabTestsBody>;

const bound = z.number({ error: 'reference bounds must be numbers' }).min(-1e9).max(1e9);

/** PUT /lab-tests/:labTestId/result — enter (or, with a reason, correct) a result. */
export const labResultBody = z
  .object({
    value: clinicalText(200).refine((text) => text.length > 0, 'enter the value'),
    unit: optional(30),
    referenceLow: bound.optional(),
    referenceHigh: bound.optional(),
    referenceText: optional(200),
    /** The report marks it abnormal (can raise a flag, never clear one the range raised). */
    abnormal: z.boolean().optional(),
    /** The version last read (0 for a test with no result yet). */
    version: z.number().int().min(0),
    /** Required when replacing an entered result. */
    correctionReason: optional(500),
  })
  .strict()
  .refine(
    (body) =>
      body.referenceLow === undefined || body.referenceHigh === undefined || body.referenceLow <= body.referenceHigh,
    {
      message: 'the reference range low must not be above high',
      path: ['referenceLow'],
    },
  )
  .refine(
    (body) => body.referenceText === undefined || (body.referenceLow === undefined && body.referenceHigh === undefined),
    {
      message: 'give a numeric range or a text reference, not both',
      path: ['referenceText'],
    },
  );
/** A result as the service takes it. */
export type LabResultInput = z.input<typeof labResultBody>;

/** GET /lab-tests/abnormal */
export const abnormalQuery = z.object({ acknowledged: z.enum(['include', 'exclude']).default('include') }).strict();

/** GET /lab-tests/pending */
export const pendingQuery = z.object({ patientId: objectId.optional() }).strict();

/** :labTestId in the path. */
export const labTestParams = z.object({ labTestId: objectId });
