/**
 * The one express error handler: AppError → its status; body-parser failures → 400/413/415;
 * zod failures → 400 with the failing paths; anything else → 500 without internals (logged with the request id).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError } from '../errors.js';
import { log } from '../logger.js';
import { sendProblem } from './problem.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** Answers 404 problem+json for any route nobody handled. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, 404, 'route_not_found', `No route for ${req.method} ${req.path}`);
};

/** Maps thrown errors to problem+json. Must be registered last. */
export const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof AppError) {
    const retryAfter = error.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    sendProblem(res, error.status, error.code, error.message, error.details ?? {});
    return;
  }
  if (error instanceof ZodError) {
    sendProblem(res, 400, 'validation_failed', 'The request did not pass validation', {
      errors: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
    return;
  }
  const parserError = error as BodyParserError;
  if (parserError?.type === 'entity.parse.failed') {
    sendProblem(res, 400, 'malformed_json', 'The request body is not valid JSON');
    return;
  }
  if (parserError?.type === 'entity.too.large') {
    sendProblem(res, 413, 'payload_too_large', 'The request body is too large');
    return;
  }
  if (parserError?.type === 'encoding.unsupported' || parserError?.type === 'charset.unsupported') {
    sendProblem(res, 415, 'unsupported_encoding', 'The request body encoding is not supported');
    return;
  }
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    sendProblem(res, parserError.status, 'bad_request', 'The request could not be processed');
    return;
  }
  log().error({ err: error }, 'unhandled error');
  sendProblem(res, 500, 'internal_error', 'Something went wrong on our side; it has been logged');
};
