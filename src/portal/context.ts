/**
 * What every signed-in portal page needs, read once per request through the module APIs: the
 * session, the clinic's name, the number's language and the profiles on it for the switcher.
 */
import type { Request, Response } from 'express';
import { getClinic } from '../modules/clinics/index.js';
import { PATIENT_SESSION_COOKIE, patientSessionOf } from '../modules/patient-auth/index.js';
import type { PatientSession } from '../modules/patient-auth/index.js';
import { contactRecordById, getPatient } from '../modules/patients/index.js';
import type { Runtime } from '../platform/runtime.js';
import { csrfTokenFor } from '../platform/http/csrf.js';
import { fill, t } from './i18n.js';
import type { PortalLanguage, Words } from './i18n.js';
import { NOTICES, noticeOf, page } from './layout.js';
import type { PageOptions, Section } from './layout.js';
import type { SafeHtml } from '../platform/http/html.js';

/** A signed-in request's context. */
export interface PortalContext {
  session: PatientSession;
  lang: PortalLanguage;
  words: Words;
  clinicName: string;
  csrf: string;
  profiles: { id: string; name: string }[];
  /** The chosen profile. */
  patientId: string;
}

/** Builds the context of a request that passed `requirePatient`. */
export async function portalContext(runtime: Runtime, res: Response): Promise<PortalContext> {
  const session = patientSessionOf(res);
  const { clinicId, contactId } = session.record;
  const [clinic, contact, profiles] = await Promise.all([
    getClinic(clinicId),
    contactRecordById(clinicId, contactId),
    Promise.all((session.actor.patientIds ?? []).map((id) => getPatient(session.actor, id))),
  ]);
  const lang = contact?.preferredLanguage ?? 'en';
  return {
    session,
    lang,
    words: t(lang),
    clinicName: clinic.name,
    csrf: csrfTokenFor(runtime.config.security.sessionSecret, PATIENT_SESSION_COOKIE, session.id),
    profiles: profiles.map((profile) => ({ id: profile.id, name: profile.name })),
    patientId: session.patientId,
  };
}

/** Renders a signed-in page of `section`, with the notice the query names (`?n=`). */
export function renderPage(
  ctx: PortalContext,
  req: Request,
  section: Section,
  title: string,
  body: SafeHtml,
  notice?: PageOptions['notice'],
): string {
  const key = noticeOf(req.query.n);
  const fromQuery = key
    ? { tone: NOTICES[key], text: key === 'requestFiled' ? requestFiledText(ctx.lang) : ctx.words[key] }
    : undefined;
  return page({
    lang: ctx.lang,
    title,
    body,
    clinicName: ctx.clinicName,
    notice: notice ?? fromQuery,
    signedIn: { section, csrf: ctx.csrf, profiles: ctx.profiles, patientId: ctx.patientId },
  });
}

function requestFiledText(lang: PortalLanguage): string {
  return lang === 'hi' ? 'आपका अनुरोध दर्ज हो गया।' : 'Your request has been filed.';
}

/** "{reason}" filled into the not-allowed message. */
export function notAllowed(words: Words, reason: string): string {
  return fill(words.notAllowed, { reason });
}
