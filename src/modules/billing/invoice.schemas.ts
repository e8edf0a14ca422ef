/** Request schemas for the invoice, payment, refund and credit-note routes. */
import { z } from 'zod';
import { INVOICE_STATUSES } from './invoice.model.js';
import { COUNTER_METHODS } from './payment.model.js';
import { objectId, percent, positivePaise, reason, stateCode } from './billing.schemas.js';

const lineRequest = z
  .object({ priceItemId: objectId, quantity: z.number().int().min(1).max(10_000).default(1) })
  .strict();
const lines = z.array(lineRequest).min(1).max(50);
const lineIdSchema = z.string().regex(/^L\d{1,3}$/, 'a line id such as L1');

/** POST /invoices — a draft from price-list lines for a patient… */
export const draftFromLinesBody = z
  .object({
    patientId: objectId,
    lines,
    patientStateCode: stateCode.optional(),
    patientAddress: z.string().trim().min(3).max(300).optional(),
  })
  .strict();

/** …or the consultation charge of an appointment (once per appointment), optionally issued at once. */
export const draftFromAppointmentBody = z.object({ appointmentId: objectId, issue: z.boolean().optional() }).strict();

/** POST /invoices */
export const createInvoiceBody = z.union([draftFromAppointmentBody, draftFromLinesBody]);

/** POST /invoices/:id/lines */
export const addLinesBody = z.object({ lines }).strict();

/** POST /invoices/:id/discounts — a percentage or an amount, on one line or the bill, with a reason. */
export const discountBody = z
  .object({
    percent: percent.refine((value) => value > 0, 'must be more than 0').optional(),
    amountPaise: positivePaise.optional(),
    lineId: lineIdSchema.optional(),
    reason,
  })
  .strict()
  .refine(
    (body) => (body.percent === undefined) !== (body.amountPaise === undefined),
    'give either percent or amountPaise',
  );

/** POST /invoices/:id/void — a reason is required once the invoice is issued. */
export const voidBody = z.object({ reason: reason.optional() }).strict();

/** GET /invoices */
export const listInvoicesQuery = z
  .object({
    status: z.enum(INVOICE_STATUSES).optional(),
    patientId: objectId.optional(),
    appointmentId: objectId.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

/** POST /invoices/:id/payments — money taken at the desk. */
export const counterPaymentBody = z
  .object({
    amountPaise: positivePaise,
    method: z.enum(COUNTER_METHODS),
    /** UPI transaction reference or card approval code; never a card number. */
    reference: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9 /-]{1,60}$/, 'letters, digits, spaces, / and - only')
      .optional(),
  })
  .strict();

/** POST /invoices/:id/refunds */
export const refundBody = z
  .object({
    amountPaise: positivePaise,
    paymentId: objectId.optional(),
    lineId: lineIdSchema.optional(),
    reason,
    counterMethod: z.enum(COUNTER_METHODS).optional(),
  })
  .strict();

/** POST /invoices/:id/credit-notes — a correction of what is still due. */
export const creditNoteBody = z
  .object({ amountPaise: positivePaise, lineId: lineIdSchema.optional(), reason })
  .strict();

/** The optional Idempotency-Key header: a retried request with the same key acts once. */
export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'Idempotency-Key must be 8–64 letters, digits, _ or -')
  .optional();
