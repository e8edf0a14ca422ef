/**
 * Errors in Razorpay's own format, for the API stand-in: the SDK reads `error.code` and
 * `error.description` from these (problem+json would be wrong here, as it would be from Razorpay).
 *
 *   { "error": { "code": "BAD_REQUEST_ERROR", "description": "...", "field": "amount",
 *                "source": "business", "step": "payment_initiation", "reason": "input_validation_failed", "metadata": {} } }
 */
import type { Response } from 'express';

/** Razorpay's error codes this stand-in answers with. */
export type RazorpayErrorCode = 'BAD_REQUEST_ERROR' | 'SERVER_ERROR';

/** A refusal in Razorpay's terms; thrown by the stand-in's services, sent by `sendRazorpayError`. */
export class RazorpayError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: RazorpayErrorCode,
    readonly description: string,
    readonly field?: string,
  ) {
    super(description);
    this.name = 'RazorpayError';
  }
}

/** 400 BAD_REQUEST_ERROR, as Razorpay answers invalid input and invalid state alike. */
export const badRequestError = (description: string, field?: string) =>
  new RazorpayError(400, 'BAD_REQUEST_ERROR', description, field);

/** What Razorpay answers for any id it does not know (it does not use 404). */
export const idDoesNotExist = () => badRequestError('The id provided does not exist');

/** Sends `error` as Razorpay's JSON error body. */
export function sendRazorpayError(res: Response, error: RazorpayError): void {
  const validation = error.field !== undefined;
  res.status(error.httpStatus).json({
    error: {
      code: error.code,
      description: error.description,
      ...(validation ? { field: error.field } : {}),
      source: validation ? 'business' : 'NA',
      step: validation ? 'payment_initiation' : 'NA',
      reason: validation ? 'input_validation_failed' : 'NA',
      metadata: {},
    },
  });
}
