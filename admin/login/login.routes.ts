/**
 * Sign-in for the staff panel, as HTML forms over the auth module's services (the same ones
 * behind /api/v1/auth and /doctor/login, so rate limits, lockout, device approval, the
 * authenticator code and audit all apply). One cookie: signing out here ends the session for
 * the API and the doctor view too.
 *   GET/POST /admin/login          email and password
 *   GET      /admin/login/continue the next step of a half-finished sign-in
 *   POST     /admin/login/mfa(/enrol)
 *   GET/POST /admin/logout         (AdminJS's sign-out link is a GET)
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  clearSessionCookie,
  codeBody,
  confirmEnrolment,
  DEVICE_COOKIE,
  loginBody,
  readCookie,
  resolveSession,
  SESSION_COOKIE,
  setDeviceCookie,
  setSessionCookie,
  signIn,
  signOut,
  startEnrolment,
  verifyCode,
} from '../../src/modules/auth/index.js';
import { ensureDefaultClinic } from '../../src/modules/clinics/index.js';
import { AppError } from '../../src/platform/errors.js';
import { asyncHandler } from '../../src/platform/http/async-handler.js';
import type { Runtime } from '../../src/platform/runtime.js';
import { devicePendingPage, loginPage, mfaPage } from './login.page.js';

/** A path under /admin that is safe to return to after signing in (no open redirect). */
export function safeAdminNext(value: unknown): string {
  return typeof value === 'string' && /^\/admin(\/[A-Za-z0-9/_.-]*)?$/.test(value) && !value.startsWith('/admin/login')
    ? value
    : '/admin';
}

/** Our words for auth failures, by error code; never echoed input. */
function messageOf(error: AppError): string {
  switch (error.code) {
    case 'invalid_credentials':
      return 'Email or password is wrong.';
    case 'account_locked':
    case 'too_many_requests':
      return `Too many attempts. Try again in ${Math.ceil(Number(error.details?.retryAfterSeconds ?? 60) / 60)} min.`;
    case 'invalid_code':
      return 'That code is not right. Check the time on your phone and try again.';
    case 'code_already_used':
      return 'That code was already used. Wait for the next one.';
    default:
      return error.status === 403 ? error.message : 'Sign-in did not work. Try again.';
  }
}

const nextOf = (req: Request) =>
  safeAdminNext((req.body as Record<string, unknown> | undefined)?.next ?? req.query.next);
const formLogin = loginBody.extend({ next: z.string().optional() });

async function clinicName(): Promise<string> {
  return (await ensureDefaultClinic()).name;
}

/** Shows the step a session is at, or sends an active one on to `next`. */
async function showStep(runtime: Runtime, req: Request, res: Response, error?: string): Promise<void> {
  const next = nextOf(req);
  res.setHeader('Cache-Control', 'no-store');
  let session;
  try {
    session = await resolveSession(runtime, readCookie(req, SESSION_COOKIE));
  } catch (failure) {
    if (!(failure instanceof AppError)) throw failure;
    clearSessionCookie(res, runtime.config);
    const state = failure.code === 'device_rejected' ? '&state=device_rejected' : '';
    res.redirect(303, `/admin/login?next=${encodeURIComponent(next)}${state}`);
    return;
  }
  const name = session.clinic.name;
  const status = error ? 401 : 200;
  switch (session.state) {
    case 'active':
      res.redirect(303, next);
      return;
    case 'device_pending':
      res
        .type('html')
        .send(
          devicePendingPage({ clinicName: name, next, deviceLabel: session.device.label, name: session.staff.name }),
        );
      return;
    case 'mfa_pending':
      res
        .status(status)
        .type('html')
        .send(mfaPage({ clinicName: name, next, ...(error ? { error } : {}) }));
      return;
    case 'mfa_enrolment_required':
      res
        .status(status)
        .type('html')
        .send(
          mfaPage({
            clinicName: name,
            next,
            enrolling: true,
            ...(error ? { error } : { enrolment: await startEnrolment(session) }),
          }),
        );
  }
}

/** The panel's sign-in and sign-out routes (no session needed). */
export function adminLoginRoutes(runtime: Runtime): Router {
  const router = Router();
  router.get(
    '/admin/login',
    asyncHandler(async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      const state = typeof req.query.state === 'string' ? req.query.state : undefined;
      res
        .type('html')
        .send(loginPage({ clinicName: await clinicName(), next: nextOf(req), ...(state ? { state } : {}) }));
    }),
  );
  router.post(
    '/admin/login',
    asyncHandler(async (req, res) => {
      const next = nextOf(req);
      const form = formLogin.safeParse(req.body);
      if (!form.success) {
        res
          .status(400)
          .type('html')
          .send(loginPage({ clinicName: await clinicName(), next, error: 'Enter your email and password.' }));
        return;
      }
      try {
        const { sessionId, deviceToken, view } = await signIn(runtime, {
          email: form.data.email,
          password: form.data.password,
          ip: req.ip ?? 'unknown',
          userAgent: req.get('user-agent'),
          deviceToken: readCookie(req, DEVICE_COOKIE),
          previousSessionId: readCookie(req, SESSION_COOKIE),
        });
        setSessionCookie(res, runtime.config, sessionId);
        setDeviceCookie(res, runtime.config, deviceToken);
        res.redirect(
          303,
          view.session.state === 'active' ? next : `/admin/login/continue?next=${encodeURIComponent(next)}`,
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (typeof error.details?.retryAfterSeconds === 'number')
          res.setHeader('Retry-After', String(error.details.retryAfterSeconds));
        res
          .status(error.status)
          .type('html')
          .send(loginPage({ clinicName: await clinicName(), next, error: messageOf(error), email: form.data.email }));
      }
    }),
  );
  router.get(
    '/admin/login/continue',
    asyncHandler((req, res) => showStep(runtime, req, res)),
  );
  for (const [path, states, check] of [
    ['/admin/login/mfa', ['mfa_pending'], verifyCode],
    ['/admin/login/mfa/enrol', ['mfa_enrolment_required'], confirmEnrolment],
  ] as const) {
    router.post(
      path,
      asyncHandler(async (req, res) => {
        const session = await resolveSession(runtime, readCookie(req, SESSION_COOKIE)).catch(() => null);
        const code = codeBody.safeParse(req.body);
        if (!session || !(states as readonly string[]).includes(session.state)) return showStep(runtime, req, res);
        if (!code.success) return showStep(runtime, req, res, 'Type the 6-digit code from your app.');
        try {
          await check(runtime, session, code.data.code);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return showStep(runtime, req, res, messageOf(error));
        }
        res.redirect(303, nextOf(req));
      }),
    );
  }
  const logout = asyncHandler(async (req, res) => {
    await signOut(runtime, readCookie(req, SESSION_COOKIE));
    clearSessionCookie(res, runtime.config);
    res.redirect(303, '/admin/login?state=signed_out');
  });
  router.get('/admin/logout', logout);
  router.post('/admin/logout', logout);
  return router;
}
