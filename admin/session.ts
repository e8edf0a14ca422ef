/**
 * The panel's gate: every /admin request (except sign-in) resolves OUR staff session from the
 * one session cookie — never a second user store — and hands AdminJS its `currentAdmin` on
 * `req.session.adminUser`, where @adminjs/express reads it. Re-read on every request, so a
 * sign-out elsewhere, a deactivation, a rejected device or a role change applies at once.
 * Pages without a session go to the sign-in form; AdminJS's API calls get 401 JSON.
 */
import type { Request, RequestHandler } from 'express';
import { clearSessionCookie, readCookie, resolveSession, SESSION_COOKIE } from '../src/modules/auth/index.js';
import type { ResolvedSession } from '../src/modules/auth/index.js';
import { AppError } from '../src/platform/errors.js';
import { withLogContext } from '../src/platform/logger.js';
import type { Runtime } from '../src/platform/runtime.js';
import type { PanelAdmin } from './access.js';
import { safeAdminNext } from './login/login.routes.js';

/** The `currentAdmin` for a fully signed-in session. */
export function panelAdminOf(session: ResolvedSession): PanelAdmin {
  return {
    id: session.actor.id,
    email: session.staff.email,
    title: session.staff.name,
    roles: [...session.actor.roles],
    clinicId: session.actor.clinicId,
    clinicName: session.clinic.name,
    ...(session.actor.doctorId ? { doctorId: session.actor.doctorId } : {}),
  };
}

/** AdminJS reads `req.session.adminUser`; we set only that (no express-session store). */
type PanelRequest = Omit<Request, 'session'> & { session?: { adminUser?: PanelAdmin } };

const isApi = (req: Request) => req.path.startsWith('/api/') || req.get('accept')?.includes('application/json');

/** Resolves the staff session for everything mounted after it (see the file comment). */
export function panelSession(runtime: Runtime): RequestHandler {
  return (req, res, next) => {
    const loginUrl = (state?: string) =>
      `/admin/login?next=${encodeURIComponent(safeAdminNext(req.method === 'GET' ? req.originalUrl.split('?')[0] : '/admin'))}${state ? `&state=${state}` : ''}`;
    resolveSession(runtime, readCookie(req, SESSION_COOKIE)).then(
      (session) => {
        if (session.state !== 'active') {
          if (isApi(req)) res.status(401).json({ code: session.state, message: 'Finish signing in first' });
          else res.redirect(303, `/admin/login/continue?next=${encodeURIComponent(safeAdminNext(req.originalUrl))}`);
          return;
        }
        const admin = panelAdminOf(session);
        (req as unknown as PanelRequest).session = { adminUser: admin };
        res.locals.session = session;
        res.locals.actor = session.actor;
        // Panel pages and API answers carry PHI: never kept by a browser or proxy cache.
        res.setHeader('Cache-Control', 'no-store');
        withLogContext({ staffId: session.actor.id }, () => next());
      },
      (error: unknown) => {
        if (!(error instanceof AppError) || (error.status !== 401 && error.code !== 'device_rejected')) {
          next(error);
          return;
        }
        const hadCookie = Boolean(readCookie(req, SESSION_COOKIE));
        clearSessionCookie(res, runtime.config);
        const state = error.code === 'device_rejected' ? 'device_rejected' : hadCookie ? 'session_ended' : undefined;
        if (isApi(req))
          res.status(401).json({ code: error.code, message: 'Sign in again', redirectUrl: loginUrl(state) });
        else res.redirect(303, loginUrl(state));
      },
    );
  };
}
