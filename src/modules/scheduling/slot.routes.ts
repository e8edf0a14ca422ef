/** /api/v1/slots — free-slot search by doctor, speciality, clinic-local date and window (staff for now). */
import { Router } from 'express';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import { slotSearchQuery } from './slot.schemas.js';
import { searchFreeSlots } from './slot-search.service.js';

documentOperation({
  method: 'get',
  path: '/api/v1/slots',
  summary: 'Free slots of active doctors, never in the past, in time order; speciality resolves to its doctors',
  tags: ['Slots'],
  auth: 'staff',
  query: slotSearchQuery,
  responses: {
    200: {
      description:
        '{ timezone, slots: [{ id, doctorId, doctorName, speciality, startAt, endAt, localDate, localTime }] }',
    },
    400: { description: 'Invalid filter, date or window' },
    401: { description: 'Not signed in' },
    403: { description: 'Role may not read slots' },
    404: { description: 'doctorId is not a doctor of this clinic' },
  },
});

/** The slot search router, mounted at /api/v1/slots. */
export function slotRoutes(runtime: Runtime): Router {
  const router = Router();
  router.get(
    '/',
    requireStaff(runtime),
    authorize('read', 'slots'),
    asyncHandler(async (req, res) => {
      res.json(await searchFreeSlots(res.locals.actor as Actor, parseQuery(slotSearchQuery, req)));
    }),
  );
  return router;
}
