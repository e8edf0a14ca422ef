/** One error type for the whole app; the HTTP error handler maps it to problem+json. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** 400 — the request could not be understood (malformed JSON, bad query). */
export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError('bad_request', 400, message, details);
/** 401 — no valid session or signature. */
export const unauthenticated = (message = 'Sign in to continue') => new AppError('unauthenticated', 401, message);
/** 403 — signed in, but the role or record rule denies it. */
export const forbidden = (message = 'You are not allowed to do this', details?: Record<string, unknown>) =>
  new AppError('forbidden', 403, message, details);
/** 404 — no such record in this clinic. */
export const notFound = (what: string) => new AppError('not_found', 404, `${what} not found`);
/** 409 — the record changed under us or the action conflicts with its state. */
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new AppError('conflict', 409, message, details);
/** 422 — well-formed but fails validation or a business rule. */
export const unprocessable = (message: string, details?: Record<string, unknown>) =>
  new AppError('unprocessable', 422, message, details);
/** 429 — too many attempts; the error handler sends `retryAfterSeconds` as the Retry-After header. */
export const tooManyRequests = (message: string, retryAfterSeconds: number, code = 'too_many_requests') =>
  new AppError(code, 429, message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
