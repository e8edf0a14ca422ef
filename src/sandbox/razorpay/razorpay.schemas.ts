/**
 * What the API stand-in accepts, with Razorpay's own validation messages (so a request the real
 * API would refuse is refused here the same way), and the sandbox's own request shapes.
 */
import { z } from 'zod';
import { badRequestError } from './razorpay-error.js';
import type { RazorpayError } from './razorpay-error.js';

/** Razorpay refuses links that expire sooner than this. */
export const MIN_EXPIRY_SECONDS = 15 * 60;

const digitsToNumber = (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

const paise = z.preprocess(
  digitsToNumber,
  z
    .number({
      error: (issue) =>
        issue.input === undefined ? 'The amount field is required.' : 'The amount must be an integer.',
    })
    .int({ error: 'The amount must be an integer.' })
    .min(100, { error: 'The amount must be atleast INR 1.00.' }),
);

const notes = z
  .record(
    z.string().max(256),
    z.union([z.string().max(256, { error: 'Notes values may not be greater than 256 characters.' }), z.number()]),
  )
  .refine((value) => Object.keys(value).length <= 15, {
    error: 'Number of fields in notes should be less than or equal to 15',
  });

/** `POST /v1/payment_links` (Standard Payment Link). */
export const createLinkBody = z.strictObject({
  amount: paise,
  currency: z.literal('INR', { error: 'The selected currency is invalid.' }).default('INR'),
  accept_partial: z.boolean().default(false),
  first_min_partial_amount: z.number().int().min(100).optional(),
  description: z.string().max(2048, { error: 'The description may not be greater than 2048 characters.' }).default(''),
  customer: z
    .strictObject({
      name: z.string().max(255).optional(),
      email: z.email({ error: 'The email must be a valid email address.' }).optional(),
      contact: z
        .string()
        .regex(/^\+?[0-9 -]{8,20}$/, { error: 'The contact format is invalid.' })
        .optional(),
    })
    .default({}),
  notify: z
    .strictObject({ sms: z.boolean().optional(), email: z.boolean().optional(), whatsapp: z.boolean().optional() })
    .default({}),
  reminder_enable: z.boolean().default(false),
  notes: notes.optional(),
  callback_url: z.url({ error: 'The callback url format is invalid.' }).optional(),
  callback_method: z.literal('get', { error: 'callback_method should be get' }).optional(),
  expire_by: z
    .number({ error: 'The expire by must be an integer.' })
    .int({ error: 'The expire by must be an integer.' })
    .optional(),
  reference_id: z.string().max(40, { error: 'The reference id may not be greater than 40 characters.' }).optional(),
  upi_link: z.boolean().default(false),
});

/** A parsed create-link request. */
export type CreateLinkBody = z.infer<typeof createLinkBody>;

/** `GET /v1/payment_links?reference_id=&payment_id=` (the filters this stand-in supports). */
export const listLinksQuery = z.object({
  reference_id: z.string().max(40).optional(),
  payment_id: z.string().max(40).optional(),
});

/** `POST /v1/payments/:id/refund`. */
export const refundBody = z.strictObject({
  amount: paise.optional(),
  speed: z.enum(['normal', 'optimum'], { error: 'The selected speed is invalid.' }).default('normal'),
  notes: notes.optional(),
  receipt: z.string().max(40, { error: 'The receipt may not be greater than 40 characters.' }).optional(),
});

/** A parsed refund request. */
export type RefundBody = z.infer<typeof refundBody>;

/** Turns a zod failure into the 400 Razorpay would answer: the first problem, with its field. */
export function razorpayValidationError(error: z.ZodError): RazorpayError {
  const issue = error.issues[0];
  if (!issue) return badRequestError('The request is invalid');
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length > 0 ? `${issue.path.join('.')}.` : '';
    return badRequestError(
      `${issue.keys.map((key) => prefix + key).join(', ')} is/are not required and should not be sent`,
      issue.keys[0],
    );
  }
  const field = issue.path.join('.');
  // Fields with Razorpay's wording carry it as their message; zod's generic ones get the field named.
  const generic = /^(Invalid|Too (big|small)|Expected)/.test(issue.message);
  return badRequestError(generic ? `${field || 'request'}: ${issue.message}` : issue.message, field || undefined);
}

// ---- The sandbox's own endpoints (problem+json) ----

const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

/** `POST /sandbox/razorpay/payment_links/:id/pay|fail` (JSON or the checkout page's form). */
export const checkoutActionBody = z.object({
  /** false: store the events without delivering them (deliver later with /events/:id/resend, in any order). */
  deliver: flag.default(true),
  /** Pay a cancelled or expired link anyway: money captured at the gateway while we were cancelling. */
  late: flag.default(false),
});

/** A parsed pay/fail request. */
export type CheckoutActionBody = z.infer<typeof checkoutActionBody>;

/** Path of the sandbox's link endpoints. */
export const linkParams = z.object({ id: z.string().regex(/^plink_[A-Za-z0-9]{14}$/, 'must be a payment link id') });

/** `GET /sandbox/razorpay/events?paymentLinkId=&paymentId=&refundId=`. */
export const eventsQuery = z.object({
  paymentLinkId: z
    .string()
    .regex(/^plink_[A-Za-z0-9]{14}$/)
    .optional(),
  paymentId: z
    .string()
    .regex(/^pay_[A-Za-z0-9]{14}$/)
    .optional(),
  refundId: z
    .string()
    .regex(/^rfnd_[A-Za-z0-9]{14}$/)
    .optional(),
});

/** Path of the resend endpoint. */
export const eventParams = z.object({ eventId: z.string().regex(/^evt_[A-Za-z0-9]{14}$/, 'must be an event id') });

/** `?result=` of the checkout page after its form posted (post-redirect-get). */
export const checkoutPageQuery = z.object({ result: z.enum(['paid', 'failed', 'refused']).optional() });
