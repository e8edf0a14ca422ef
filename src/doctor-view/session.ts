/**
 * Who may use the doctor view: a staff session that is fully signed in (device approved, MFA
 * done) whose account is a doctor linked to a doctor profile. Unlike the API's requireStaff, a
 * browser without a session is sent to the sign-in page instead of getting problem+json, a
 * half-finished sign-in is sent back to its next step, and other staff get a 403 page.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { ClinicView } from '../modules/clinics/clinic.service.js';
import { clearSessionCookie, readCookie, SESSION_COOKIE } from '../modules/auth/auth.cookies.js';
import { resolveSession } from '../modules/auth/session.service.js';
import type { ResolvedSession } from '../modules/auth/session.service.js';
import type { Actor } from '../platform/actor.js';
import { AppError } from '../platform/errors.js';
import { withLogContext } from '../platform/logger.js';
import type { Runtime } from '../platform/runtime.js';
import { csrfField, html } from './html.js';
import { errorPage } from './layout.js';

/** What every doctor page knows about its viewer. */
export interface DoctorContext {
  actor: Actor & { doctorId: string };
  doctorName: string;
  clinic: ClinicView;
}

/** A path under /doctor that is safe to return to after signing in (no open redirect). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/doctor(\/[A-Za-z0-9/_-]*)?$/.test(value) ? value : '/doctor';
}

/** The sign-in URL that comes back to `req`'s page. */
export function loginUrl(req: Request, state?: string): string {
  const params = new URLSearchParams();
  if (req.method === 'GET' && req.originalUrl !== '/doctor')
    params.set('next', safeNext(req.path === '/' ? '/doctor' : req.originalUrl.split('?')[0]));
  if (state) params.set('state', state);
  const query = params.toString();
  return `/doctor/login${query ? `?${query}` : ''}`;
}

/** The context set by `requireDoctor`. */
export function doctorOf(res: Response): DoctorContext {
  return res.locals.doctor as DoctorContext;
}

function notDoctorPage(session: ResolvedSession): string {
  const unlinked = session.actor.roles.includes('doctor');
  return errorPage({
    status: 403,
    title: 'For doctors only',
    message: unlinked
      ? 'Your account is not linked to a doctor profile yet; ask an admin to link it.'
      : 'The notes view is for doctors. Your role works in the staff panel instead.',
    extra: html`<form method="post" action="/doctor/logout" class="actions">
      ${csrfField()}
      <button type="submit" class="btn">Sign out</button>
    </form>`,
    back: false,
  });
}

function isDoctor(session: ResolvedSession): session is ResolvedSession & { actor: Actor & { doctorId: string } } {
  return session.actor.roles.includes('doctor') && typeof session.actor.doctorId === 'string';
}

/**
 * Lets through signed-in doctors only. `json` routes (the script's polling) answer 401/403 JSON
 * instead of redirecting, so the script can send the page to the sign-in form itself.
 */
export function requireDoctor(runtime: Runtime, { json = false } = {}): RequestHandler {
  return (req, res, next) => {
    resolveSession(runtime, readCookie(req, SESSION_COOKIE)).then(
      (session) => {
        if (session.state !== 'active') {
          if (json) res.status(401).json({ code: session.state });
          else res.redirect(303, '/doctor/login/continue');
          return;
        }
        res.locals.session = session;
        res.locals.actor = session.actor;
        if (!isDoctor(session)) {
          if (json) res.status(403).json({ code: 'not_a_doctor' });
          else res.status(403).type('html').send(notDoctorPage(session));
          return;
        }
        res.locals.doctor = {
          actor: session.actor,
          doctorName: session.staff.name,
          clinic: session.clinic,
        } satisfies DoctorContext;
        res.setHeader('Cache-Control', 'no-store');
        withLogContext({ staffId: session.actor.id }, () => next());
      },
      (error: unknown) => {
        if (!(error instanceof AppError) || (error.status !== 401 && error.code !== 'device_rejected')) {
          next(error);
          return;
        }
        clearSessionCookie(res, runtime.config);
        const state =
          error.code === 'device_rejected'
            ? 'device_rejected'
            : readCookie(req, SESSION_COOKIE)
              ? 'session_ended'
              : undefined;
        if (json) res.status(401).json({ code: error.code });
        else res.redirect(303, loginUrl(req, state));
      },
    );
  };
}
