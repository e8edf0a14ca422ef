/** Express 4 does not catch rejected promises; this forwards them to the error handler. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Wraps an async route handler so a rejection reaches `next(error)`. */
export function asyncHandler(
  handler: (req: Request, res: Response, next: NextFunction) => Promise<unknown>,
): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch(next);
  };
}
