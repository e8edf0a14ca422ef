/**
 * Thin-handler helpers: parse a request part with a zod schema (failures become 400
 * problem+json through the error handler) and get a typed value back.
 */
import type { Request } from 'express';
import type { z } from 'zod';

/** Parses `req.body` with `schema`; throws ZodError (→ 400) on failure. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  return schema.parse(req.body ?? {});
}

/** Parses `req.query` with `schema`. */
export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  return schema.parse(req.query);
}

/** Parses `req.params` with `schema`. */
export function parseParams<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  return schema.parse(req.params);
}
