/**
 * /api/v1/auth — staff sign-in, sessions, device approval and TOTP.
 *
 * API clients (scripts, integrations) sign in exactly like the browser: POST /login with JSON
 * `{ email, password }`, keep both cookies from Set-Cookie (`cinic.sid`, the session, and
 * `cinic.did`, the device) in a cookie jar and send them on every call. Keep `cinic.did` across
 * runs: a client that drops it is a new device each time and waits for an admin's approval again.
 * Check `session.state` in the answer: `device_pending` (ask an admin to approve device.id),
 * `mfa_pending` (POST /mfa/verify) or `mfa_enrolment_required` (POST /mfa/enrol, then /mfa/confirm).
 */
import { Router } from 'express';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import type { OperationSpec } from '../../platform/http/openapi.js';
import { parseBody, parseParams, parseQuery } from '../../platform/http/validate.js';
import type { Actor } from '../../platform/actor.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import {
  clearSessionCookie,
  DEVICE_COOKIE,
  readCookie,
  SESSION_COOKIE,
  setDeviceCookie,
  setSessionCookie,
} from './auth.cookies.js';
import { requireSession, requireStaff, sessionOf } from './auth.middleware.js';
import { changePasswordBody, codeBody, deviceListQuery, idParams, loginBody } from './auth.schemas.js';
import { changePassword, describeSession, dismissNotices, signIn, signOut } from './auth.service.js';
import { decideDevice, listDevices } from './device.service.js';
import { confirmEnrolment, startEnrolment, verifyCode } from './mfa.service.js';

const base = '/api/v1/auth';

function doc(method: OperationSpec['method'], path: string, summary: string, extra: Partial<OperationSpec> = {}): void {
  documentOperation({
    method,
    path: `${base}${path}`,
    summary,
    tags: ['Auth'],
    auth: 'staff',
    responses: { 200: { description: 'OK' } },
    ...extra,
  });
}
doc('post', '/login', 'Staff sign-in; sets the cinic.sid and cinic.did cookies', {
  auth: 'none',
  body: loginBody,
  responses: {
    200: { description: 'Signed in; see session.state' },
    401: { description: 'Wrong email or password' },
    403: { description: 'Account disabled or device rejected' },
    429: { description: 'Rate limited or account locked (Retry-After)' },
  },
});
doc('post', '/logout', 'Ends the session', { auth: 'none', responses: { 204: { description: 'Signed out' } } });
doc('get', '/me', 'The signed-in staff member and the session state (in any state)');
doc('post', '/notices/dismiss', 'Clears the security notices shown in /me (e.g. a sign-in locked elsewhere)', {
  responses: { 204: { description: 'Cleared' } },
});
doc('post', '/password', 'Changes the password; other sessions end', {
  body: changePasswordBody,
  responses: { 204: { description: 'Changed' } },
});
doc('post', '/mfa/enrol', 'Starts TOTP enrolment: otpauth URI and QR code (data: URL)');
doc('post', '/mfa/confirm', 'Confirms TOTP enrolment with a first code', { body: codeBody });
doc('post', '/mfa/verify', 'Completes sign-in with a TOTP code (401 wrong or already used)', { body: codeBody });
doc('get', '/devices', 'Devices of the clinic (admin)', { query: deviceListQuery });
doc('post', '/devices/:id/approve', 'Approves a device (admin)', { params: idParams });
doc('post', '/devices/:id/reject', 'Rejects a device; its sessions end (admin)', { params: idParams });

/** The auth router, mounted at /api/v1/auth. */
export function authRoutes(runtime: Runtime): Router {
  const router = Router();
  const { config } = runtime;
  const anyState = requireSession(runtime, ['device_pending', 'mfa_enrolment_required', 'mfa_pending', 'active']);

  router.post(
    '/login',
    asyncHandler(async (req, res) => {
      const body = parseBody(loginBody, req);
      const result = await signIn(runtime, {
        ...body,
        ip: req.ip ?? 'unknown',
        userAgent: req.get('user-agent'),
        deviceToken: readCookie(req, DEVICE_COOKIE),
        previousSessionId: readCookie(req, SESSION_COOKIE),
      });
      setSessionCookie(res, config, result.sessionId);
      setDeviceCookie(res, config, result.deviceToken);
      res.json(result.view);
    }),
  );

  router.post(
    '/logout',
    asyncHandler(async (req, res) => {
      await signOut(runtime, readCookie(req, SESSION_COOKIE));
      clearSessionCookie(res, config);
      res.status(204).end();
    }),
  );

  router.get('/me', anyState, (_req, res) => {
    res.json(describeSession(sessionOf(res.locals)));
  });

  router.post(
    '/notices/dismiss',
    anyState,
    asyncHandler(async (_req, res) => {
      await dismissNotices(sessionOf(res.locals));
      res.status(204).end();
    }),
  );

  router.post(
    '/password',
    requireStaff(runtime),
    asyncHandler(async (req, res) => {
      const body = parseBody(changePasswordBody, req);
      await changePassword(runtime, sessionOf(res.locals), body.currentPassword, body.newPassword);
      res.status(204).end();
    }),
  );

  const enrolling = requireSession(runtime, ['mfa_enrolment_required', 'active']);
  router.post(
    '/mfa/enrol',
    enrolling,
    asyncHandler(async (_req, res) => {
      res.json(await startEnrolment(sessionOf(res.locals)));
    }),
  );
  router.post(
    '/mfa/confirm',
    enrolling,
    asyncHandler(async (req, res) => {
      await confirmEnrolment(runtime, sessionOf(res.locals), parseBody(codeBody, req).code);
      res.json({ mfaEnabled: true });
    }),
  );
  router.post(
    '/mfa/verify',
    requireSession(runtime, ['mfa_pending']),
    asyncHandler(async (req, res) => {
      await verifyCode(runtime, sessionOf(res.locals), parseBody(codeBody, req).code);
      res.json({ verified: true });
    }),
  );

  router.get(
    '/devices',
    requireStaff(runtime),
    authorize('read', 'devices'),
    asyncHandler(async (req, res) => {
      res.json({ devices: await listDevices(res.locals.actor as Actor, parseQuery(deviceListQuery, req).status) });
    }),
  );
  for (const [path, status] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    router.post(
      `/devices/:id/${path}`,
      requireStaff(runtime),
      authorize('approve', 'devices'),
      asyncHandler(async (req, res) => {
        res.json(await decideDevice(res.locals.actor as Actor, parseParams(idParams, req).id, status));
      }),
    );
  }
  return router;
}
