/**
 * /api/v1/auth/otp — the API's patient auth. POST /request sends a code (the same answer for every
 * number); POST /verify checks it and answers `{ token, expiresAt }` and the `cinic.psid` cookie:
 * send the token as `Authorization: Bearer <token>` (or keep the cookie). POST /logout ends the
 * session, POST /logout-everywhere every session of the number.
 */
import { Router } from 'express';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody } from '../../platform/http/validate.js';
import type { Runtime } from '../../platform/runtime.js';
import { otpRequestBody, otpVerifyBody } from './otp.schemas.js';
import type { PatientAuthDeps } from './otp.service.js';
import { requestOtp, verifyOtp } from './otp.service.js';
import { PATIENT_SESSION_LIMITS } from './patient-session.store.js';
import { clearPatientCookie, patientSessionOf, requirePatient, setPatientCookie } from './patient-session.js';
import { signOutPatient } from './sign-out.service.js';

const base = '/api/v1/auth/otp';
const tags = ['Patient auth'];
documentOperation({
  method: 'post',
  path: `${base}/request`,
  summary: 'Sends a 6-digit sign-in code by WhatsApp (same answer whether or not the number is a patient)',
  tags,
  auth: 'none',
  body: otpRequestBody,
  responses: {
    202: { description: '{ sent, channel, expiresInSeconds }' },
    400: { description: 'Not a phone number' },
    429: { description: 'Too many codes for this number or from this address (Retry-After)' },
  },
});
documentOperation({
  method: 'post',
  path: `${base}/verify`,
  summary: 'Checks the code; starts a patient session (token and cinic.psid cookie)',
  tags,
  auth: 'none',
  body: otpVerifyBody,
  responses: {
    200: { description: '{ token, idleMinutes, expiresAt, patientIds }' },
    401: { description: 'Wrong, used or expired code (otp_invalid, attemptsLeft)' },
    429: { description: 'Too many tries (Retry-After)' },
  },
});
documentOperation({
  method: 'get',
  path: `${base}/session`,
  summary: 'The live patient session: profiles on the number, chosen profile, expiry',
  tags,
  auth: 'patient',
  responses: { 200: { description: '{ patientIds, patientId, expiresAt }' }, 401: { description: 'Not signed in' } },
});
documentOperation({
  method: 'post',
  path: `${base}/logout`,
  summary: 'Ends the patient session',
  tags,
  auth: 'patient',
  responses: { 204: { description: 'Signed out' } },
});
documentOperation({
  method: 'post',
  path: `${base}/logout-everywhere`,
  summary: "Ends every session of the patient's number, on every device",
  tags,
  auth: 'patient',
  responses: { 204: { description: 'Signed out everywhere' } },
});

/** The patient auth router, mounted at /api/v1/auth/otp. */
export function otpRoutes(runtime: Runtime, deps: PatientAuthDeps): Router {
  const router = Router();
  router.post(
    '/request',
    asyncHandler(async (req, res) => {
      const body = parseBody(otpRequestBody, req);
      res.status(202).json(await requestOtp(runtime, deps, { ...body, ip: req.ip ?? 'unknown' }));
    }),
  );
  router.post(
    '/verify',
    asyncHandler(async (req, res) => {
      const body = parseBody(otpVerifyBody, req);
      const signIn = await verifyOtp(runtime, { ...body, ip: req.ip ?? 'unknown' });
      setPatientCookie(res, runtime.config, signIn.sessionId);
      res.set('cache-control', 'no-store').json({
        token: signIn.sessionId,
        idleMinutes: PATIENT_SESSION_LIMITS.idleMs / 60_000,
        expiresAt: new Date(signIn.record.deadline).toISOString(),
        patientIds: signIn.patientIds,
      });
    }),
  );
  router.get('/session', requirePatient(runtime), (_req, res) => {
    const session = patientSessionOf(res);
    res.json({
      patientIds: session.actor.patientIds,
      patientId: session.patientId,
      expiresAt: new Date(session.record.deadline).toISOString(),
    });
  });
  for (const [path, everywhere] of [
    ['/logout', false],
    ['/logout-everywhere', true],
  ] as const) {
    router.post(
      path,
      requirePatient(runtime),
      asyncHandler(async (_req, res) => {
        await signOutPatient(runtime, patientSessionOf(res), everywhere);
        clearPatientCookie(res, runtime.config);
        res.status(204).end();
      }),
    );
  }
  return router;
}
