/**
 * Zod schemas for patients, contacts and consents. Services parse their input with these too:
 * the model layer only ever sees ciphertext, so plain values are validated here. Validation
 * messages never echo the value (it may be a phone number or a name).
 */
import { z } from 'zod';
import { normalizePhone } from '../../platform/crypto/blind-index.js';
import { CONSENT_GIVERS, CONSENT_PURPOSES } from './consent.model.js';
import { LANGUAGES } from './contact.model.js';
import { isSearchableName } from './patient-names.js';
import { todayInIndia } from './patient-age.js';
import { CHANNELS, RELATIONS, SEXES } from './patient.model.js';

/** A MongoDB id in a path or body. */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id');

/** A phone number in any common Indian form, normalised to E.164 (400 when it is not one). */
export const phoneNumber = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    try {
      return normalizePhone(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a 10-digit Indian mobile number or +<country code><number>' });
      return z.NEVER;
    }
  });

const personName = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine((name) => /\p{L}/u.test(name), 'must contain letters');

const dateOfBirth = z.iso
  .date('must be a date, YYYY-MM-DD')
  .refine((date) => date >= '1890-01-01' && date <= todayInIndia(), 'must be a past date');

const ageYears = z.number().int().min(0).max(130);

/** A flag from a query string ("true"/"false") or a boolean from a service caller. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

const shortText = z.string().trim().min(1).max(100);

/** { name, phone, relation } of someone to call. */
export const emergencyContactSchema = z
  .object({ name: personName, phone: phoneNumber, relation: z.string().trim().min(1).max(40) })
  .strict();

/** Allergies, conditions and a note. */
export const medicalFlagsSchema = z
  .object({
    allergies: z.array(shortText).max(50).default([]),
    conditions: z.array(shortText).max(50).default([]),
    notes: z.string().trim().max(1000).optional(),
  })
  .strict();

const birthChoice = (input: { dateOfBirth?: string | undefined; ageYears?: number | undefined }) =>
  !(input.dateOfBirth !== undefined && input.ageYears !== undefined);
const birthChoiceMessage = { message: 'give dateOfBirth or ageYears, not both', path: ['ageYears'] };

const registrationFields = {
  phone: phoneNumber,
  name: personName,
  relationToContact: z.enum(RELATIONS),
  dateOfBirth: dateOfBirth.optional(),
  ageYears: ageYears.optional(),
  sex: z.enum(SEXES).optional(),
  emergencyContact: emergencyContactSchema.optional(),
  medicalFlags: medicalFlagsSchema.optional(),
  /** Used only when the contact is new. */
  preferredLanguage: z.enum(LANGUAGES).optional(),
  /** WhatsApp id of the number (self-registration), used only when the contact is new. */
  waId: z
    .string()
    .regex(/^\d{8,15}$/, 'must be a WhatsApp id')
    .optional(),
};

const needsBirth = (input: { dateOfBirth?: string | undefined; ageYears?: number | undefined }) =>
  input.dateOfBirth !== undefined || input.ageYears !== undefined;
const needsBirthMessage = { message: 'give dateOfBirth or, if unknown, ageYears', path: ['dateOfBirth'] };

/** POST /patients (front desk; the route adds `source: 'frontdesk'`). */
export const registerPatientBody = z
  .object(registrationFields)
  .strict()
  .refine(needsBirth, needsBirthMessage)
  .refine(birthChoice, birthChoiceMessage);

/** registerPatient input: the body plus where the registration came from. */
export const registerPatientInput = z
  .object({ ...registrationFields, source: z.enum(CHANNELS) })
  .strict()
  .refine(needsBirth, needsBirthMessage)
  .refine(birthChoice, birthChoiceMessage);

const updateFields = {
  name: personName.optional(),
  relationToContact: z.enum(RELATIONS).optional(),
  dateOfBirth: dateOfBirth.optional(),
  ageYears: ageYears.optional(),
  sex: z.enum(SEXES).nullable().optional(),
  emergencyContact: emergencyContactSchema.nullable().optional(),
  medicalFlags: medicalFlagsSchema.nullable().optional(),
  email: z.string().trim().max(254).pipe(z.email()).nullable().optional(),
  active: z.boolean().optional(),
};

function updateSchema<V extends z.ZodType>(version: V) {
  return z
    .object({ version, ...updateFields })
    .strict()
    .refine(
      (patch) => Object.entries(patch).some(([key, value]) => key !== 'version' && value !== undefined),
      'nothing to change',
    )
    .refine(birthChoice, birthChoiceMessage);
}

/** PATCH /patients/:id — baseline details; `version` from the last read (409 when stale). */
export const updatePatientBody = updateSchema(z.number().int().min(0));

/** updatePatient input: like the body, but internal callers may leave `version` out. */
export const updatePatientInput = updateSchema(z.number().int().min(0).optional());

/** GET /patients?phone=|code=|name= (one at a time; none lists recent registrations). */
export const searchPatientsQuery = z
  .object({
    phone: phoneNumber.optional(),
    code: z.string().trim().min(1).max(20).optional(),
    name: z.string().trim().max(120).refine(isSearchableName, 'type at least 2 letters of a name').optional(),
    includeInactive: flag.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    cursor: objectId.optional(),
  })
  .refine(
    (query) => [query.phone, query.code, query.name].filter((value) => value !== undefined).length <= 1,
    'search by one of phone, code or name',
  );

/** A language the bot and reminders speak. */
export const languageSchema = z.enum(LANGUAGES);

/** GET /contacts/lookup?phone= */
export const contactLookupQuery = z.object({
  phone: phoneNumber,
  includeInactive: flag.optional(),
});

/** POST /patients/:id/consents */
export const recordConsentBody = z
  .object({
    purpose: z.enum(CONSENT_PURPOSES),
    noticeVersion: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]{1,40}$/, 'must be a notice version such as 2025-01'),
    givenBy: z.enum(CONSENT_GIVERS),
    /** The consenting parent or guardian's contact; defaults to the patient's own contact for a child. */
    guardianContactId: objectId.optional(),
    channel: z.enum(CHANNELS).optional(),
  })
  .strict()
  .refine((body) => body.givenBy === 'guardian' || body.guardianContactId === undefined, {
    message: 'only for consent given by a guardian',
    path: ['guardianContactId'],
  });

/** POST /patients/:id/consents/:consentId/withdraw (the body may be empty). */
export const withdrawConsentBody = z.object({ channel: z.enum(CHANNELS).optional() }).strict();

/** :id of a patient. */
export const patientParams = z.object({ id: objectId });
/** :id of a patient and :consentId of one of its consents. */
export const consentParams = z.object({ id: objectId, consentId: objectId });

/** Input of registerPatient. */
export type RegisterPatientInput = z.input<typeof registerPatientInput>;
/** Input of updatePatient. */
export type UpdatePatientInput = z.input<typeof updatePatientInput>;
/** Input of searchPatients. */
export type SearchPatientsInput = z.input<typeof searchPatientsQuery>;
/** Input of recordConsent. */
export type RecordConsentInput = z.input<typeof recordConsentBody>;
