/**
 * Patient sessions on requests: the `cinic.psid` cookie (the portal) or `Authorization: Bearer`
 * (API clients, which got the token from /api/v1/auth/otp/verify). `requirePatient` resolves it,
 * re-reads the profiles on the number (a profile deactivated or erased drops out at once) and
 * sets `res.locals.patientSession` with the patient actor the services check.
 */
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import type { Actor } from '../../platform/actor.js';
import { AppError, unauthenticated } from '../../platform/errors.js';
import { withLogContext } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import type { Config } from '../../config.js';
import { contactActor } from '../patients/index.js';
import { PatientSessionStore } from './patient-session.store.js';
import type { PatientSessionRecord } from './patient-session.store.js';

/** The patient session cookie (HttpOnly, SameSite=Lax, Secure in production; browser-session lifetime). */
export const PATIENT_SESSION_COOKIE = 'cinic.psid';

/** A live patient session with its actor. */
export interface PatientSession {
  id: string;
  record: PatientSessionRecord;
  /** Acts for every active profile on the number (guardian rules as in the bot). */
  actor: Actor;
  /** The profile the family switcher has chosen (always one of actor.patientIds). */
  patientId: string;
}

function cookieOptions(config: Config): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.isProduction, path: '/' };
}

/** Sets the patient session cookie. */
export function setPatientCookie(res: Response, config: Config, sessionId: string): void {
  res.cookie(PATIENT_SESSION_COOKIE, sessionId, cookieOptions(config));
}

/** Clears the patient session cookie. */
export function clearPatientCookie(res: Response, config: Config): void {
  res.clearCookie(PATIENT_SESSION_COOKIE, cookieOptions(config));
}

/** The session id a request carries (bearer token first, then the cookie), if any. */
export function patientSessionIdOf(req: Request): string | undefined {
  const bearer = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(req.get('authorization') ?? '')?.[1];
  if (bearer) return bearer;
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === PATIENT_SESSION_COOKIE)
      return part.slice(separator + 1).trim();
  }
  return undefined;
}

/** Resolves a patient session id into its session, or null when it is unknown, expired or has no profiles left. */
export async function resolvePatientSession(
  runtime: Runtime,
  sessionId: string | undefined,
  now = Date.now(),
): Promise<PatientSession | null> {
  if (!PatientSessionStore.isSessionId(sessionId)) return null;
  const store = new PatientSessionStore(runtime.redis, runtime.config);
  const record = await store.touch(sessionId, now);
  if (!record) return null;
  const actor = await contactActor(record.clinicId, record.contactId).catch(() => null);
  const patientIds = actor?.patientIds ?? [];
  if (!actor || patientIds.length === 0) {
    await store.destroy(sessionId, record.contactId);
    return null;
  }
  const chosen = record.patientId && patientIds.includes(record.patientId) ? record.patientId : actor.id;
  return { id: sessionId, record, actor, patientId: patientIds.includes(chosen) ? chosen : patientIds[0]! };
}

/** The session of a request that passed `requirePatient`. */
export function patientSessionOf(res: Response): PatientSession {
  const session = res.locals.patientSession as PatientSession | undefined;
  if (!session) throw new AppError('session_missing', 500, 'Route is missing requirePatient');
  return session;
}

/**
 * Requires a live patient session: 401 (problem+json) otherwise, or — with `redirectTo` — a
 * redirect to the portal's sign-in page, for the server-rendered pages.
 */
export function requirePatient(runtime: Runtime, options: { redirectTo?: string } = {}): RequestHandler {
  return (req, res, next) => {
    resolvePatientSession(runtime, patientSessionIdOf(req)).then(
      (session) => {
        if (!session) {
          if (patientSessionIdOf(req)) clearPatientCookie(res, runtime.config);
          if (options.redirectTo && req.method === 'GET') {
            res.redirect(303, options.redirectTo);
            return;
          }
          next(unauthenticated('Sign in with a code sent to your phone'));
          return;
        }
        res.locals.patientSession = session;
        res.locals.actor = session.actor;
        // No-store: pages and answers carry health records; a shared phone's back button must not show them.
        res.set('cache-control', 'no-store');
        withLogContext({ contactId: session.record.contactId }, () => next());
      },
      (error: unknown) => next(error),
    );
  };
}
