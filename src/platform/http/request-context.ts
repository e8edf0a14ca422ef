/**
 * Gives each request an id (honouring a sane incoming X-Request-Id), a child logger bound to it,
 * and one access-log line with method, route, status and duration — never bodies or query strings.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { log, withLogContext } from '../logger.js';
import { runInScope } from '../request-scope.js';

const safeRequestId = /^[A-Za-z0-9._-]{8,64}$/;

/** Assigns `res.locals.requestId`, echoes it as X-Request-Id and logs the request on finish. */
export const requestContext: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const requestId = incoming && safeRequestId.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = requestId;
  res.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  runInScope({ requestId }, () =>
    withLogContext({ requestId }, () => {
      const logger = log();
      res.on('finish', () => {
        const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
        // req.path excludes the query string, which may carry phone numbers or names; a route whose
        // path is itself a credential (a signed document link) names its template in `logPath`.
        const path = typeof res.locals.logPath === 'string' ? res.locals.logPath : req.baseUrl + req.path;
        logger.info(
          { method: req.method, path, status: res.statusCode, durationMs: Math.round(durationMs) },
          'request',
        );
      });
      next();
    }),
  );
};
