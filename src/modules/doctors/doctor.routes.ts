/**
 * /api/v1/doctors — profiles, weekly availability, leaves and a doctor's free slots — and
 * /api/v1/specialities. Staff only for now; patients will read doctors and slots through the portal.
 */
import { Router } from 'express';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import type { OperationSpec } from '../../platform/http/openapi.js';
import { parseBody, parseParams, parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import { doctorSlotsQuery } from '../scheduling/slot.schemas.js';
import { searchFreeSlots } from '../scheduling/slot-search.service.js';
import { addLeave, removeLeave, setWeeklyAvailability } from './availability.service.js';
import {
  availabilityBody,
  createDoctorBody,
  doctorIdParams,
  doctorListQuery,
  leaveBody,
  leaveParams,
  updateDoctorBody,
} from './doctor.schemas.js';
import { createDoctor, getDoctor, listDoctors, listSpecialities, updateDoctor } from './doctor.service.js';

const base = '/api/v1/doctors';
const denied = { 401: { description: 'Not signed in' }, 403: { description: 'Role or record rule denies it' } };

function doc(method: OperationSpec['method'], path: string, summary: string, extra: Partial<OperationSpec>): void {
  documentOperation({
    method,
    path: `${base}${path}`,
    summary,
    tags: ['Doctors'],
    auth: 'staff',
    responses: {},
    ...extra,
  });
}
doc('get', '', 'Lists doctors, by name; filter by speciality (any letter case) and active', {
  query: doctorListQuery,
  responses: { 200: { description: '{ doctors }' }, 400: { description: 'Invalid filter' }, ...denied },
});
doc(
  'post',
  '',
  'Creates a doctor, optionally linked to a staff account with the doctor role (admin); generates slots',
  {
    body: createDoctorBody,
    responses: {
      201: { description: 'Doctor' },
      400: { description: 'Invalid profile or availability (problems listed)' },
      ...denied,
      404: { description: 'Staff account not found' },
      409: { description: 'Staff account not a doctor or already linked' },
    },
  },
);
doc('get', '/:id', 'One doctor with weekly availability and leaves', {
  params: doctorIdParams,
  responses: {
    200: { description: 'Doctor' },
    400: { description: 'Invalid id' },
    ...denied,
    404: { description: 'No such doctor' },
  },
});
doc('patch', '/:id', 'Updates a profile (admin; the doctor themself: name and qualifications)', {
  params: doctorIdParams,
  body: updateDoctorBody,
  responses: {
    200: { description: 'Doctor' },
    400: { description: 'Invalid change' },
    ...denied,
    404: { description: 'No such doctor or staff account' },
    409: { description: 'Staff account not a doctor or already linked' },
  },
});
doc(
  'put',
  '/:id/availability',
  'Replaces the weekly availability (front desk, admin, the doctor themself); regenerates free slots',
  {
    params: doctorIdParams,
    body: availabilityBody,
    responses: {
      200: { description: '{ doctor, slots: { created, removed, kept } }' },
      400: { description: 'Invalid availability (problems listed)' },
      ...denied,
      404: { description: 'No such doctor' },
    },
  },
);
doc(
  'post',
  '/:id/leaves',
  'Adds a leave or blocked period (may span days); its free slots go, held and booked ones are listed in takenSlots',
  {
    params: doctorIdParams,
    body: leaveBody,
    responses: {
      201: { description: '{ doctor, leave, slots, takenSlots }' },
      400: { description: 'Invalid period' },
      ...denied,
      404: { description: 'No such doctor' },
    },
  },
);
doc('delete', '/:id/leaves/:leaveId', 'Removes a leave or blocked period; its slots come back', {
  params: leaveParams,
  responses: {
    200: { description: '{ doctor, slots }' },
    400: { description: 'Invalid id' },
    ...denied,
    404: { description: 'No such doctor or leave' },
  },
});
doc('get', '/:id/slots', "A doctor's free slots (never in the past), by clinic-local date or window", {
  params: doctorIdParams,
  query: doctorSlotsQuery,
  responses: {
    200: { description: '{ timezone, slots }' },
    400: { description: 'Invalid date or window' },
    ...denied,
    404: { description: 'No such doctor' },
  },
});
documentOperation({
  method: 'get',
  path: '/api/v1/specialities',
  summary: "Specialities of the clinic's active doctors, with doctor counts",
  tags: ['Doctors'],
  auth: 'staff',
  responses: { 200: { description: '{ specialities: [{ name, doctors }] }' }, ...denied },
});

const actorOf = (locals: Record<string, unknown>) => locals.actor as Actor;

/** The doctors router, mounted at /api/v1/doctors. */
export function doctorRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/',
    authorize('read', 'doctors'),
    asyncHandler(async (req, res) => {
      res.json({ doctors: await listDoctors(actorOf(res.locals), parseQuery(doctorListQuery, req)) });
    }),
  );
  router.post(
    '/',
    authorize('create', 'doctors'),
    asyncHandler(async (req, res) => {
      res.status(201).json(await createDoctor(actorOf(res.locals), parseBody(createDoctorBody, req)));
    }),
  );
  router.get(
    '/:id',
    authorize('read', 'doctors'),
    asyncHandler(async (req, res) => {
      res.json(await getDoctor(actorOf(res.locals), parseParams(doctorIdParams, req).id));
    }),
  );
  router.patch(
    '/:id',
    authorize('update', 'doctors'),
    asyncHandler(async (req, res) => {
      res.json(
        await updateDoctor(actorOf(res.locals), parseParams(doctorIdParams, req).id, parseBody(updateDoctorBody, req)),
      );
    }),
  );
  router.put(
    '/:id/availability',
    authorize('update', 'availability'),
    asyncHandler(async (req, res) => {
      const { id } = parseParams(doctorIdParams, req);
      res.json(
        await setWeeklyAvailability(actorOf(res.locals), id, parseBody(availabilityBody, req).weeklyAvailability),
      );
    }),
  );
  router.post(
    '/:id/leaves',
    authorize('create', 'availability'),
    asyncHandler(async (req, res) => {
      const { id } = parseParams(doctorIdParams, req);
      res.status(201).json(await addLeave(actorOf(res.locals), id, parseBody(leaveBody, req)));
    }),
  );
  router.delete(
    '/:id/leaves/:leaveId',
    authorize('delete', 'availability'),
    asyncHandler(async (req, res) => {
      const { id, leaveId } = parseParams(leaveParams, req);
      res.json(await removeLeave(actorOf(res.locals), id, leaveId));
    }),
  );
  router.get(
    '/:id/slots',
    authorize('read', 'slots'),
    asyncHandler(async (req, res) => {
      const { id } = parseParams(doctorIdParams, req);
      res.json(await searchFreeSlots(actorOf(res.locals), { ...parseQuery(doctorSlotsQuery, req), doctorId: id }));
    }),
  );
  return router;
}

/** The specialities router, mounted at /api/v1/specialities. */
export function specialityRoutes(runtime: Runtime): Router {
  const router = Router();
  router.get(
    '/',
    requireStaff(runtime),
    authorize('read', 'doctors'),
    asyncHandler(async (_req, res) => {
      res.json({ specialities: await listSpecialities(actorOf(res.locals)) });
    }),
  );
  return router;
}
