/**
 * Zod schemas for visits: the draft the editor autosaves, vitals, sign-off and addenda. Services
 * parse with these too, because the model only ever sees ciphertext. Messages never echo values.
 */
import { z } from 'zod';
import { vitalsSchema } from './vitals.js';

/** A MongoDB id in a path or body. */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');

/** Clinical free text: trimmed; empty means "cleared". */
export function clinicalText(max: number) {
  return z
    .string()
    .max(max, { error: `must be at most ${max} characters` })
    .transform((value) => value.trim());
}

/** ICD-10 code such as J06.9 or E11 (upper-cased). */
export const icd10Code = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/, 'must be an ICD-10 code such as J06.9 or E11');

/** One diagnosis. */
export const diagnosisSchema = z
  .object({
    text: clinicalText(500).refine((text) => text.length > 0, 'a diagnosis needs text'),
    icd10: icd10Code.optional(),
  })
  .strict();

/** Follow-up advice and when to return. */
export const followUpSchema = z
  .object({
    advice: clinicalText(2000).optional(),
    inDays: z
      .number()
      .int()
      .min(1, { error: 'follow-up must be at least 1 day away' })
      .max(365, { error: 'follow-up must be within a year' })
      .optional(),
  })
  .strict();

const soapSection = clinicalText(20_000).nullable().optional();

/** The editable parts of a note; omitted parts stay as they are, null clears one. */
export const draftFields = {
  chiefComplaint: clinicalText(1000).nullable().optional(),
  soap: z
    .object({ subjective: soapSection, objective: soapSection, assessment: soapSection, plan: soapSection })
    .strict()
    .optional(),
  diagnoses: z.array(diagnosisSchema).max(20).nullable().optional(),
  followUp: followUpSchema.nullable().optional(),
  vitals: vitalsSchema.nullable().optional(),
};

/** The version the editor last saw: the save is refused (409) if the stored one moved on. */
export const versionField = z.number().int().min(0);

/** PUT /visits/:id/draft */
export const draftBody = z.object({ version: versionField, ...draftFields }).strict();
/** A draft save as the service takes it. */
export type DraftInput = z.input<typeof draftBody>;

/** PUT /visits/:id/vitals */
export const vitalsBody = z.object({ version: versionField, vitals: vitalsSchema }).strict();

/** POST /visits/:id/sign — the version being signed, so the doctor signs what they saw. */
export const signBody = z.object({ version: versionField }).strict();

/** POST /visits/:id/addenda */
export const addendumBody = z
  .object({
    text: clinicalText(10_000).refine((text) => text.length > 0, 'an addendum needs text'),
    reason: clinicalText(500).refine((text) => text.length > 0, 'say why the signed note needs an addendum'),
  })
  .strict();
/** An addendum as the service takes it. */
export type AddendumInput = z.input<typeof addendumBody>;

/** POST /visits — front desk (or the doctor) opens the visit of a checked-in appointment. */
export const openVisitBody = z.object({ appointmentId: objectId }).strict();

/** :visitId in the path. */
export const visitParams = z.object({ visitId: objectId });
/** :appointmentId in the path. */
export const appointmentParams = z.object({ appointmentId: objectId });
/** :patientId in the path. */
export const patientParams = z.object({ patientId: objectId });

/** POST /clinical-history/:patientId/break-glass */
export const breakGlassBody = z
  .object({
    reason: clinicalText(500).refine(
      (text) => text.length >= 10,
      'describe why you need this record (at least 10 characters)',
    ),
  })
  .strict();
