/** GET /portal/home — who is signed in, what is next, and where everything is; POST /portal/switch, /portal/language. */
import { Router } from 'express';
import { z } from 'zod';
import { listAppointments } from '../modules/appointments/index.js';
import { PatientSessionStore, requirePatient } from '../modules/patient-auth/index.js';
import { setContactLanguage } from '../modules/patients/index.js';
import { notFound } from '../platform/errors.js';
import { asyncHandler } from '../platform/http/async-handler.js';
import { html } from '../platform/http/html.js';
import type { Runtime } from '../platform/runtime.js';
import { portalContext, renderPage } from './context.js';
import { formatWhen } from './format.js';
import { SECTIONS } from './layout.js';

const switchBody = z.object({ patientId: z.string().regex(/^[0-9a-f]{24}$/i) });
const languageBody = z.object({ lang: z.enum(['en', 'hi']) });

/** Home, the family switcher and the language toggle. */
export function homeRoutes(runtime: Runtime): Router {
  const router = Router();
  const signedIn = requirePatient(runtime, { redirectTo: '/portal' });

  router.get(
    '/portal/home',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const w = ctx.words;
      const now = Date.now();
      const next = (await listAppointments(ctx.session.actor, { patientId: ctx.patientId, limit: 200 })).find(
        (appointment) =>
          appointment.startAt.getTime() > now && ['requested', 'tentative', 'confirmed'].includes(appointment.status),
      );
      const name = ctx.profiles.find((profile) => profile.id === ctx.patientId)?.name ?? '';
      const body = html`<h1>${name}</h1>
        ${
          next
            ? html`<section class="card">
              <h2>${w.upcoming}</h2>
              <p>${formatWhen(next.startAt, ctx.lang)}</p>
              <a href="/portal/appointments">${w.appointments}</a>
            </section>`
            : ''
        }
        <ul class="plain">
          ${SECTIONS.filter((section) => section !== 'home').map(
            (section) => html`<li class="card"><a href="/portal/${section}">${w[section]}</a></li>`,
          )}
        </ul>
        <form method="post" action="/portal/logout-everywhere">
          <input type="hidden" name="_csrf" value="${ctx.csrf}" />
          <button type="submit" class="quiet">${w.signOutEverywhere}</button>
        </form>`;
      res.type('html').send(renderPage(ctx, req, 'home', w.home, body));
    }),
  );

  router.post(
    '/portal/switch',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const { patientId } = switchBody.parse(req.body);
      if (!ctx.profiles.some((profile) => profile.id === patientId)) throw notFound('Patient');
      await new PatientSessionStore(runtime.redis, runtime.config).choosePatient(ctx.session.id, patientId);
      res.redirect(303, '/portal/home');
    }),
  );

  router.post(
    '/portal/language',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const { lang } = languageBody.parse(req.body);
      await setContactLanguage(ctx.session.actor, ctx.session.record.contactId, lang);
      res.redirect(303, '/portal/home');
    }),
  );
  return router;
}
