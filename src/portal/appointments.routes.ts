/**
 * /portal/appointments — upcoming and past appointments of the chosen profile, with cancel and
 * reschedule through the appointment services (the clinic's cutoffs and refund rules apply there).
 */
import { Router } from 'express';
import { z } from 'zod';
import {
  getAppointment,
  listAppointments,
  rescheduleAppointment,
  transitionAppointment,
} from '../modules/appointments/index.js';
import type { AppointmentView } from '../modules/appointments/index.js';
import { listDoctors } from '../modules/doctors/index.js';
import { requirePatient } from '../modules/patient-auth/index.js';
import { searchFreeSlots } from '../modules/scheduling/index.js';
import { asyncHandler } from '../platform/http/async-handler.js';
import { html } from '../platform/http/html.js';
import type { Runtime } from '../platform/runtime.js';
import { notAllowed, portalContext, renderPage } from './context.js';
import type { PortalContext } from './context.js';
import { formatWhen } from './format.js';
import { csrfField } from './layout.js';
import { asPatient, isRefusal, readAsPatient } from './portal-errors.js';

const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i) });
const slotBody = z.object({ slotId: z.string().regex(/^[0-9a-f]{24}$/i) });
const OPEN = ['requested', 'tentative', 'confirmed'];

const STATUS_WORDS: Record<string, { en: string; hi: string }> = {
  requested: { en: 'Requested', hi: 'अनुरोध किया' },
  tentative: { en: 'Awaiting payment', hi: 'भुगतान बाकी' },
  confirmed: { en: 'Confirmed', hi: 'पक्का' },
  checked_in: { en: 'Checked in', hi: 'पहुँच गए' },
  in_consult: { en: 'With the doctor', hi: 'डॉक्टर के पास' },
  completed: { en: 'Completed', hi: 'पूरा हुआ' },
  no_show: { en: 'Missed', hi: 'नहीं आए' },
  cancelled: { en: 'Cancelled', hi: 'रद्द' },
};

function row(ctx: PortalContext, appointment: AppointmentView, doctors: Map<string, string>) {
  const w = ctx.words;
  const open = OPEN.includes(appointment.status) && appointment.startAt.getTime() > Date.now();
  return html`<li class="card">
    <div class="row">
      <strong>${formatWhen(appointment.startAt, ctx.lang)}</strong>
      <span class="tag">${STATUS_WORDS[appointment.status]?.[ctx.lang] ?? appointment.status}</span>
    </div>
    <p class="muted">${doctors.get(appointment.doctorId) ?? ''}</p>
    ${
      open
        ? html`<a class="btn quiet" href="/portal/appointments/${appointment.id}/reschedule">${w.reschedule}</a>
          <form method="post" action="/portal/appointments/${appointment.id}/cancel" class="inline">
            ${csrfField(ctx.csrf)}<button type="submit" class="danger">${w.cancel}</button>
          </form>`
        : ''
    }
  </li>`;
}

/** The appointments pages and their form posts. */
export function appointmentRoutes(runtime: Runtime): Router {
  const router = Router();
  const signedIn = requirePatient(runtime, { redirectTo: '/portal' });

  const listPage = async (req: Parameters<typeof renderPage>[1], ctx: PortalContext, error?: string) => {
    const w = ctx.words;
    const [appointments, doctors] = await Promise.all([
      listAppointments(ctx.session.actor, { patientId: ctx.patientId, limit: 200 }),
      listDoctors(ctx.session.actor),
    ]);
    const names = new Map(doctors.map((doctor) => [doctor.id, doctor.name]));
    const now = Date.now();
    const upcoming = appointments.filter((a) => a.startAt.getTime() >= now && a.status !== 'cancelled');
    const past = appointments.filter((a) => !upcoming.includes(a)).reverse();
    const list = (items: AppointmentView[]) =>
      items.length === 0
        ? html`<p class="muted">${w.none}</p>`
        : html`<ul class="plain">
            ${items.map((a) => row(ctx, a, names))}
          </ul>`;
    const body = html`<h1>${w.appointments}</h1>
      <h2>${w.upcoming}</h2>
      ${list(upcoming)}
      <h2>${w.past}</h2>
      ${list(past)}`;
    return renderPage(
      ctx,
      req,
      'appointments',
      w.appointments,
      body,
      error ? { tone: 'error', text: error } : undefined,
    );
  };

  router.get(
    '/portal/appointments',
    signedIn,
    asyncHandler(async (req, res) => {
      res.type('html').send(await listPage(req, await portalContext(runtime, res)));
    }),
  );

  router.post(
    '/portal/appointments/:id/cancel',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const { id } = idParams.parse(req.params);
      const result = await asPatient(() =>
        transitionAppointment(ctx.session.actor, id, {
          event: 'CANCEL',
          reason: 'Cancelled by the patient in the portal',
        }),
      );
      if (isRefusal(result))
        return res
          .status(409)
          .type('html')
          .send(await listPage(req, ctx, notAllowed(ctx.words, result.refused)));
      res.redirect(303, '/portal/appointments?n=cancelled');
    }),
  );

  router.get(
    '/portal/appointments/:id/reschedule',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const w = ctx.words;
      const { id } = idParams.parse(req.params);
      const appointment = await readAsPatient(() => getAppointment(ctx.session.actor, id));
      const { slots } = await searchFreeSlots(ctx.session.actor, { doctorId: appointment.doctorId, limit: 24 });
      const body = html`<h1>${w.pickSlot}</h1>
        <p>${formatWhen(appointment.startAt, ctx.lang)}</p>
        ${
          slots.length === 0
            ? html`<p class="muted">${w.none}</p>`
            : html`<form method="post" action="/portal/appointments/${appointment.id}/reschedule" class="card">
              ${csrfField(ctx.csrf)}
              <fieldset>
                <legend>${w.pickSlot}</legend>
                ${slots.map(
                  (slot, index) =>
                    html`<div>
                      <input
                        type="radio"
                        name="slotId"
                        id="slot-${index}"
                        value="${slot.id}"
                        ${index === 0 ? html`checked` : ''}
                      />
                      <label for="slot-${index}" class="inline">${formatWhen(slot.startAt, ctx.lang)}</label>
                    </div>`,
                )}
              </fieldset>
              <button type="submit">${w.move}</button>
            </form>`
        }
        <p><a href="/portal/appointments">${w.back}</a></p>`;
      res.type('html').send(renderPage(ctx, req, 'appointments', w.pickSlot, body));
    }),
  );

  router.post(
    '/portal/appointments/:id/reschedule',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const { id } = idParams.parse(req.params);
      const { slotId } = slotBody.parse(req.body);
      const result = await asPatient(() =>
        rescheduleAppointment(ctx.session.actor, id, { slotId, reason: 'Moved by the patient in the portal' }),
      );
      if (isRefusal(result))
        return res
          .status(409)
          .type('html')
          .send(await listPage(req, ctx, notAllowed(ctx.words, result.refused)));
      res.redirect(303, '/portal/appointments?n=rescheduled');
    }),
  );
  return router;
}
