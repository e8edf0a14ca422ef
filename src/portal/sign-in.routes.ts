/**
 * Portal sign-in as HTML forms over the patient-auth services (the same ones behind
 * /api/v1/auth/otp, so the code rules, rate limits and audit all apply):
 *   GET  /portal              the phone form (or on to /portal/home when signed in)
 *   POST /portal/code         sends a code, shows the code form
 *   POST /portal/verify       checks it, sets the session cookie, on to /portal/home
 *   POST /portal/logout(-everywhere)
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import { ensureDefaultClinic } from '../modules/clinics/index.js';
import {
  clearPatientCookie,
  otpRequestBody,
  otpVerifyBody,
  patientAuthDeps,
  patientSessionIdOf,
  patientSessionOf,
  requestOtp,
  requirePatient,
  resolvePatientSession,
  setPatientCookie,
  signOutPatient,
  verifyOtp,
} from '../modules/patient-auth/index.js';
import { AppError } from '../platform/errors.js';
import { asyncHandler } from '../platform/http/async-handler.js';
import type { Runtime } from '../platform/runtime.js';
import { portalContext } from './context.js';
import { fill, languageOf, t } from './i18n.js';
import type { PortalLanguage } from './i18n.js';
import { noticeOf } from './layout.js';
import { codePage, phonePage } from './sign-in.pages.js';

const formLang = (req: Request): PortalLanguage =>
  languageOf((req.body as Record<string, unknown> | undefined)?.lang) ?? languageOf(req.query.lang) ?? 'en';

function tooMany(lang: PortalLanguage, error: AppError): { tone: 'error'; text: string } {
  const minutes = Math.max(1, Math.ceil(Number(error.details?.retryAfterSeconds ?? 60) / 60));
  return { tone: 'error', text: fill(t(lang).tooMany, { minutes }) };
}

/** The sign-in and sign-out routes. */
export function signInRoutes(runtime: Runtime): Router {
  const router = Router();
  const deps = patientAuthDeps(runtime);
  const sendPage = (res: Response, status: number, body: string) =>
    res.status(status).set('cache-control', 'no-store').type('html').send(body);

  router.get(
    '/portal',
    asyncHandler(async (req, res) => {
      const session = await resolvePatientSession(runtime, patientSessionIdOf(req));
      if (session) return res.redirect(303, '/portal/home');
      const lang = formLang(req);
      const notice = noticeOf(req.query.n);
      const clinic = await ensureDefaultClinic();
      sendPage(
        res,
        200,
        phonePage(
          lang,
          clinic.name,
          notice === 'signedOut' || notice === 'sessionEnded'
            ? { tone: notice === 'signedOut' ? 'ok' : 'error', text: t(lang)[notice] }
            : undefined,
        ),
      );
    }),
  );

  router.post(
    '/portal/code',
    asyncHandler(async (req, res) => {
      const lang = formLang(req);
      const clinic = await ensureDefaultClinic();
      const body = req.body as Record<string, unknown>;
      const parsed = otpRequestBody.safeParse({
        phone: body.phone,
        language: lang,
        ...(body.channel === 'sms' ? { channel: 'sms' } : {}),
      });
      if (!parsed.success)
        return sendPage(res, 400, phonePage(lang, clinic.name, { tone: 'error', text: t(lang).badPhone }));
      try {
        await requestOtp(runtime, deps, { ...parsed.data, ip: req.ip ?? 'unknown' });
      } catch (error) {
        if (error instanceof AppError && error.status === 429) {
          res.set('retry-after', String(error.details?.retryAfterSeconds ?? 60));
          return sendPage(res, 429, phonePage(lang, clinic.name, tooMany(lang, error)));
        }
        throw error;
      }
      sendPage(res, 200, codePage(lang, clinic.name, parsed.data.phone));
    }),
  );

  router.post(
    '/portal/verify',
    asyncHandler(async (req, res) => {
      const lang = formLang(req);
      const clinic = await ensureDefaultClinic();
      const body = req.body as Record<string, unknown>;
      const phone = otpRequestBody.shape.phone.safeParse(body.phone);
      if (!phone.success)
        return sendPage(res, 400, phonePage(lang, clinic.name, { tone: 'error', text: t(lang).badPhone }));
      const parsed = otpVerifyBody.safeParse({ phone: body.phone, code: body.code });
      const retry = (status: number, notice: { tone: 'error'; text: string }) =>
        sendPage(res, status, codePage(lang, clinic.name, phone.data, notice));
      if (!parsed.success) return retry(400, { tone: 'error', text: t(lang).badCode });
      try {
        const signIn = await verifyOtp(runtime, { ...parsed.data, ip: req.ip ?? 'unknown' });
        setPatientCookie(res, runtime.config, signIn.sessionId);
      } catch (error) {
        if (error instanceof AppError && error.code === 'otp_invalid')
          return retry(401, { tone: 'error', text: t(lang).badCode });
        if (error instanceof AppError && error.status === 429) {
          res.set('retry-after', String(error.details?.retryAfterSeconds ?? 60));
          return retry(429, tooMany(lang, error));
        }
        throw error;
      }
      res.redirect(303, '/portal/home');
    }),
  );

  for (const [path, everywhere] of [
    ['/portal/logout', false],
    ['/portal/logout-everywhere', true],
  ] as const) {
    router.post(
      path,
      requirePatient(runtime, { redirectTo: '/portal' }),
      asyncHandler(async (req, res) => {
        const ctx = await portalContext(runtime, res);
        await signOutPatient(runtime, patientSessionOf(res), everywhere);
        clearPatientCookie(res, runtime.config);
        res.redirect(303, `/portal?n=signedOut&lang=${ctx.lang}`);
      }),
    );
  }
  return router;
}
