/**
 * Sign-in for the doctor view, as HTML forms over the auth services (the same ones behind
 * /api/v1/auth, so rate limits, lockout, device approval, MFA and audit all apply):
 *   GET/POST /doctor/login        email and password
 *   GET      /doctor/login/continue   the next step of a half-finished sign-in
 *   POST     /doctor/login/mfa(/enrol) the authenticator code (or its first-time set-up)
 *   POST     /doctor/logout
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  clearSessionCookie,
  DEVICE_COOKIE,
  readCookie,
  SESSION_COOKIE,
  setDeviceCookie,
  setSessionCookie,
} from '../modules/auth/auth.cookies.js';
import { codeBody, loginBody } from '../modules/auth/auth.schemas.js';
import { signIn, signOut } from '../modules/auth/auth.service.js';
import { confirmEnrolment, startEnrolment, verifyCode } from '../modules/auth/mfa.service.js';
import { resolveSession } from '../modules/auth/session.service.js';
import { AppError } from '../platform/errors.js';
import { asyncHandler } from '../platform/http/async-handler.js';
import type { Runtime } from '../platform/runtime.js';
import { devicePendingPage, loginPage, mfaPage } from './login.pages.js';
import { safeNext } from './session.js';

/** Messages for auth failures, by error code: our words, never echoed input. */
function messageOf(error: AppError): string {
  switch (error.code) {
    case 'invalid_credentials':
      return 'Email or password is wrong.';
    case 'account_locked':
    case 'too_many_requests':
    case 'too_many_attempts':
      return `Too many attempts. Try again in ${Math.ceil(Number(error.details?.retryAfterSeconds ?? 60) / 60)} min.`;
    case 'invalid_code':
      return 'That code is not right. Check the time on your phone and try again.';
    case 'code_already_used':
      return 'That code was already used. Wait for the next one.';
    default:
      return error.status === 403 ? error.message : 'Sign-in did not work. Try again.';
  }
}

const nextOf = (req: Request) => safeNext((req.body as Record<string, unknown> | undefined)?.next ?? req.query.next);
const continueUrl = (next: string) => `/doctor/login/continue?next=${encodeURIComponent(next)}`;
const formLogin = loginBody.extend({ next: z.string().optional() });

/** Shows the step a session is at, or sends an active one on to `next`. */
async function showStep(runtime: Runtime, req: Request, res: Response, error?: string): Promise<void> {
  const next = nextOf(req);
  let session;
  try {
    session = await resolveSession(runtime, readCookie(req, SESSION_COOKIE));
  } catch (failure) {
    if (!(failure instanceof AppError)) throw failure;
    clearSessionCookie(res, runtime.config);
    res.redirect(
      303,
      `/doctor/login?next=${encodeURIComponent(next)}${failure.code === 'device_rejected' ? '&state=device_rejected' : ''}`,
    );
    return;
  }
  const status = error ? 401 : 200;
  switch (session.state) {
    case 'active':
      res.redirect(303, next);
      return;
    case 'device_pending':
      res.type('html').send(devicePendingPage({ next, deviceLabel: session.device.label, name: session.staff.name }));
      return;
    case 'mfa_pending':
      res.status(status).type('html').send(mfaPage({ next, error }));
      return;
    case 'mfa_enrolment_required':
      res
        .status(status)
        .type('html')
        .send(
          mfaPage({ next, error, enrolling: true, ...(error ? {} : { enrolment: await startEnrolment(session) }) }),
        );
  }
}

/** The sign-in routes (no session needed). */
export function loginRoutes(runtime: Runtime): Router {
  const router = Router();
  router.get('/doctor/login', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res
      .type('html')
      .send(loginPage({ next: nextOf(req), state: typeof req.query.state === 'string' ? req.query.state : undefined }));
  });
  router.post(
    '/doctor/login',
    asyncHandler(async (req, res) => {
      const next = nextOf(req);
      const form = formLogin.safeParse(req.body);
      if (!form.success) {
        res
          .status(400)
          .type('html')
          .send(loginPage({ next, error: 'Enter your email and password.' }));
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
        res.redirect(303, view.session.state === 'active' ? next : continueUrl(next));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (typeof error.details?.retryAfterSeconds === 'number')
          res.setHeader('Retry-After', String(error.details.retryAfterSeconds));
        res
          .status(error.status)
          .type('html')
          .send(loginPage({ next, error: messageOf(error), email: form.data.email }));
      }
    }),
  );
  router.get(
    '/doctor/login/continue',
    asyncHandler(async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      await showStep(runtime, req, res);
    }),
  );
  for (const [path, states, check] of [
    ['/doctor/login/mfa', ['mfa_pending'], verifyCode],
    ['/doctor/login/mfa/enrol', ['mfa_enrolment_required'], confirmEnrolment],
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
  router.post(
    '/doctor/logout',
    asyncHandler(async (req, res) => {
      await signOut(runtime, readCookie(req, SESSION_COOKIE));
      clearSessionCookie(res, runtime.config);
      res.redirect(303, '/doctor/login?state=signed_out');
    }),
  );
  return router;
}
