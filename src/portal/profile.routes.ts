/**
 * /portal/profile — the details a patient may change themselves (name, email, language for
 * messages, emergency contact) through the patients service, and the rest read only.
 */
import { Router } from 'express';
import { z } from 'zod';
import { requirePatient } from '../modules/patient-auth/index.js';
import { getPatient, phoneNumber, setContactLanguage, updatePatient } from '../modules/patients/index.js';
import { asyncHandler } from '../platform/http/async-handler.js';
import { html } from '../platform/http/html.js';
import type { Runtime } from '../platform/runtime.js';
import { notAllowed, portalContext, renderPage } from './context.js';
import type { PortalContext } from './context.js';
import { formatDay } from './format.js';
import { csrfField } from './layout.js';
import { asPatient, isRefusal } from './portal-errors.js';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const profileForm = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.preprocess(blankToUndefined, z.string().trim().max(254).pipe(z.email()).optional()),
  language: z.enum(['en', 'hi']),
  emergencyName: z.preprocess(blankToUndefined, z.string().trim().max(120).optional()),
  emergencyPhone: z.preprocess(blankToUndefined, phoneNumber.optional()),
  emergencyRelation: z.preprocess(blankToUndefined, z.string().trim().max(40).optional()),
});

async function profilePage(ctx: PortalContext, req: Parameters<typeof renderPage>[1], error?: string) {
  const w = ctx.words;
  const patient = await getPatient(ctx.session.actor, ctx.patientId);
  const birth = patient.dateOfBirth
    ? formatDay(patient.dateOfBirth, ctx.lang)
    : patient.statedAge
      ? `${patient.statedAge.years}`
      : String(patient.birthYear);
  const field = (id: string, label: string, value: string | undefined, type = 'text', autocomplete = 'off') =>
    html`<label for="${id}">${label}</label>
      <input id="${id}" name="${id}" type="${type}" value="${value ?? ''}" autocomplete="${autocomplete}" />`;
  const body = html`<h1>${w.profile}</h1>
    <form method="post" action="/portal/profile" class="card">
      ${csrfField(ctx.csrf)} ${field('name', w.name, patient.name, 'text', 'name')}
      ${field('email', w.email, patient.email, 'email', 'email')}
      <label for="language">${w.preferredLanguage}</label>
      <select id="language" name="language">
        <option value="en" ${ctx.lang === 'en' ? html`selected` : ''}>English</option>
        <option value="hi" ${ctx.lang === 'hi' ? html`selected` : ''} lang="hi">हिन्दी</option>
      </select>
      ${field('emergencyName', w.emergencyName, patient.emergencyContact?.name)}
      ${field('emergencyPhone', w.emergencyPhone, patient.emergencyContact?.phone, 'tel')}
      ${field('emergencyRelation', w.emergencyRelation, patient.emergencyContact?.relation)}
      <button type="submit">${w.save}</button>
    </form>
    <section class="card">
      <h2>${w.readOnly}</h2>
      <dl>
        <dt>${w.patientCode}</dt>
        <dd>${patient.code}</dd>
        <dt>${w.phone}</dt>
        <dd>${patient.phone}</dd>
        <dt>${w.dateOfBirth}</dt>
        <dd>${birth}</dd>
      </dl>
    </section>`;
  return renderPage(ctx, req, 'profile', w.profile, body, error ? { tone: 'error', text: error } : undefined);
}

/** The profile page and its form post. */
export function profileRoutes(runtime: Runtime): Router {
  const router = Router();
  const signedIn = requirePatient(runtime, { redirectTo: '/portal' });

  router.get(
    '/portal/profile',
    signedIn,
    asyncHandler(async (req, res) => {
      res.type('html').send(await profilePage(await portalContext(runtime, res), req));
    }),
  );

  router.post(
    '/portal/profile',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const parsed = profileForm.safeParse(req.body);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
        return res
          .status(400)
          .type('html')
          .send(await profilePage(ctx, req, notAllowed(ctx.words, fields)));
      }
      const form = parsed.data;
      const emergency =
        form.emergencyName && form.emergencyPhone
          ? { name: form.emergencyName, phone: form.emergencyPhone, relation: form.emergencyRelation ?? '-' }
          : null;
      const result = await asPatient(() =>
        updatePatient(ctx.session.actor, ctx.patientId, {
          name: form.name,
          email: form.email ?? null,
          emergencyContact: emergency,
        }),
      );
      if (isRefusal(result))
        return res
          .status(409)
          .type('html')
          .send(await profilePage(ctx, req, notAllowed(ctx.words, result.refused)));
      if (form.language !== ctx.lang)
        await setContactLanguage(ctx.session.actor, ctx.session.record.contactId, form.language);
      res.redirect(303, '/portal/profile?n=saved');
    }),
  );
  return router;
}
