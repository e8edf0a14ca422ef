/**
 * Session middleware for every module's routes.
 *
 *   router.use(requireStaff(runtime));              // 401 anonymous/expired, 403 device/MFA pending
 *   router.post('/', authorize('create', 'patients'), handler);   // then RBAC
 *
 * Both set `res.locals.session` (ResolvedSession); `res.locals.actor` (Actor) is set only for an
 * active session, so `authorize()` can never be passed by a half-signed-in one.
 */
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../../platform/errors.js';
import { withLogContext } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { clearSessionCookie, readCookie, SESSION_COOKIE } from './auth.cookies.js';
import { resolveSession, stateError } from './session.service.js';
import type { ResolvedSession, SessionState } from './session.service.js';

/** Resolves the session and lets through only the listed states (others get their 403). */
export function requireSession(runtime: Runtime, allowed: readonly SessionState[]): RequestHandler {
  const check = async (req: Request, res: Response): Promise<ResolvedSession> => {
    const resolved = await resolveSession(runtime, readCookie(req, SESSION_COOKIE));
    res.locals.session = resolved;
    if (resolved.state === 'active') res.locals.actor = resolved.actor;
    if (!allowed.includes(resolved.state)) throw stateError(resolved.state);
    return resolved;
  };
  return (req, res, next) => {
    check(req, res).then(
      // Everything logged for the rest of the request names the staff member (by id only).
      (resolved) => withLogContext({ staffId: resolved.actor.id }, () => next()),
      (error: unknown) => {
        // A dead session's cookie is useless; clearing it saves the client a round of 401s.
        if (error instanceof AppError && (error.status === 401 || error.code === 'device_rejected'))
          clearSessionCookie(res, runtime.config);
        next(error);
      },
    );
  };
}

/** Requires a signed-in staff member with an active session; sets `res.locals.actor`. */
export function requireStaff(runtime: Runtime): RequestHandler {
  return requireSession(runtime, ['active']);
}

/** The resolved session of a request that passed `requireSession` / `requireStaff`. */
export function sessionOf(locals: Record<string, unknown>): ResolvedSession {
  const session = locals.session as ResolvedSession | undefined;
  if (!session) throw new AppError('session_missing', 500, 'Route is missing requireSession');
  return session;
}
