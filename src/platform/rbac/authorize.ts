/**
 * Route gate from the policy table: 401 when nobody is signed in, 403 when no role of the actor
 * holds the grant. Record rules are checked by the service, which has the record.
 */
import type { RequestHandler } from 'express';
import type { Actor } from '../actor.js';
import { unauthenticated } from '../errors.js';
import { assertCan } from './can.js';
import type { Action, Resource } from './policy.js';

/** Express middleware: lets the request through only if `res.locals.actor` may `action` the `resource`. */
export function authorize(action: Action, resource: Resource): RequestHandler {
  return (_req, res, next) => {
    const actor = res.locals.actor as Actor | undefined;
    if (!actor) {
      next(unauthenticated());
      return;
    }
    try {
      assertCan(actor, action, resource);
      next();
    } catch (error) {
      next(error);
    }
  };
}
