/**
 * /api/v1/appointments, /api/v1/walk-ins and /api/v1/queue: thin handlers over the appointment
 * services. Named shortcuts (confirm, check-in, …) and the generic /transition all go through
 * the same lifecycle machine.
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import type { AppointmentEventType } from '../../../flows/appointment.types.js';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseParams, parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import {
  appointmentParams,
  bookBody,
  listQuery,
  queueQuery,
  rescheduleBody,
  shortcutBody,
  transitionBody,
  walkInBody,
} from './appointment.schemas.js';
import {
  bookAppointment,
  getAppointment,
  listAppointments,
  rescheduleAppointment,
  transitionAppointment,
} from './appointment.service.js';
import { addWalkIn, dayQueue } from './walk-in.service.js';

const tags = ['Appointments'];
const errors = {
  400: { description: 'Invalid request' },
  401: { description: 'Not signed in' },
  403: { description: 'Role or record rule denies it' },
  404: { description: 'No such appointment, patient or slot in this clinic' },
  409: {
    description: 'Illegal in the current state, slot taken, or changed meanwhile (body carries the current status)',
  },
  422: { description: 'A rule says not now (cutoff passed, payment required, not the appointment day)' },
};

/** Shortcut path segment → lifecycle event. */
const SHORTCUTS: Record<string, AppointmentEventType> = {
  confirm: 'CONFIRM',
  'check-in': 'CHECK_IN',
  'start-consult': 'START_CONSULT',
  complete: 'COMPLETE',
  'no-show': 'MARK_NO_SHOW',
  cancel: 'CANCEL',
};

documentOperation({
  method: 'post',
  path: '/api/v1/appointments',
  summary: 'Book a slot for a patient (tentative with a hold at prepayment clinics, else confirmed)',
  tags,
  auth: 'staff',
  body: bookBody,
  responses: { 201: { description: 'Booked' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/appointments',
  summary: 'Appointments by day, doctor, status or patient',
  tags,
  auth: 'staff',
  query: listQuery,
  responses: { 200: { description: 'Appointments' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/appointments/:id',
  summary: 'One appointment with its history',
  tags,
  auth: 'staff',
  params: appointmentParams,
  responses: { 200: { description: 'Appointment' }, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/appointments/:id/transition',
  summary: 'Apply any lifecycle event',
  tags,
  auth: 'staff',
  params: appointmentParams,
  body: transitionBody,
  responses: { 200: { description: 'Transitioned; cancellations carry the refund due' }, ...errors },
});
for (const [segment, event] of Object.entries(SHORTCUTS)) {
  documentOperation({
    method: 'post',
    path: `/api/v1/appointments/:id/${segment}`,
    summary: `Shortcut for ${event}`,
    tags,
    auth: 'staff',
    params: appointmentParams,
    body: shortcutBody,
    responses: { 200: { description: 'Transitioned' }, ...errors },
  });
}
documentOperation({
  method: 'post',
  path: '/api/v1/appointments/:id/reschedule',
  summary: 'Move to another slot (the old slot is freed only after the new one is won)',
  tags,
  auth: 'staff',
  params: appointmentParams,
  body: rescheduleBody,
  responses: { 200: { description: 'Rescheduled' }, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/walk-ins',
  summary: "Add a walk-in to today's queue (next free slot, or an overbooking)",
  tags,
  auth: 'staff',
  body: walkInBody,
  responses: { 201: { description: 'Checked in with a token' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/queue',
  summary: "A doctor's queue for a day, by token",
  tags,
  auth: 'staff',
  query: queueQuery,
  responses: { 200: { description: 'Queue' }, ...errors },
});

const actorOf = (res: Response) => res.locals.actor as Actor;

/** The appointments router, mounted at /api/v1. */
export function appointmentRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(['/appointments', '/walk-ins', '/queue'], requireStaff(runtime));

  router.post(
    '/appointments',
    authorize('create', 'appointments'),
    asyncHandler(async (req, res) => {
      res.status(201).json(await bookAppointment(actorOf(res), parseBody(bookBody, req)));
    }),
  );
  router.get(
    '/appointments',
    authorize('read', 'appointments'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listAppointments(actorOf(res), parseQuery(listQuery, req)) });
    }),
  );
  router.get(
    '/appointments/:id',
    authorize('read', 'appointments'),
    asyncHandler(async (req, res) => {
      res.json(await getAppointment(actorOf(res), parseParams(appointmentParams, req).id));
    }),
  );
  router.post(
    '/appointments/:id/transition',
    authorize('update', 'appointments'),
    asyncHandler(async (req, res) => {
      res.json(
        await transitionAppointment(
          actorOf(res),
          parseParams(appointmentParams, req).id,
          parseBody(transitionBody, req),
        ),
      );
    }),
  );
  const shortcut = (event: AppointmentEventType) =>
    asyncHandler(async (req: Request, res: Response) => {
      const body = parseBody(shortcutBody, req);
      res.json(await transitionAppointment(actorOf(res), parseParams(appointmentParams, req).id, { event, ...body }));
    });
  for (const [segment, event] of Object.entries(SHORTCUTS))
    router.post(`/appointments/:id/${segment}`, authorize('update', 'appointments'), shortcut(event));
  router.post(
    '/appointments/:id/reschedule',
    authorize('update', 'appointments'),
    asyncHandler(async (req, res) => {
      res.json(
        await rescheduleAppointment(
          actorOf(res),
          parseParams(appointmentParams, req).id,
          parseBody(rescheduleBody, req),
        ),
      );
    }),
  );
  router.post(
    '/walk-ins',
    authorize('create', 'appointments'),
    asyncHandler(async (req, res) => {
      res.status(201).json(await addWalkIn(actorOf(res), parseBody(walkInBody, req)));
    }),
  );
  router.get(
    '/queue',
    authorize('read', 'appointments'),
    asyncHandler(async (req, res) => {
      const query = parseQuery(queueQuery, req);
      res.json(await dayQueue(actorOf(res), query.doctorId, query.date));
    }),
  );
  return router;
}
