/** /api/v1/contacts — look a phone number up before registering (the number goes in the query string, never the path). */
import { Router } from 'express';
import type { Actor } from '../../platform/actor.js';
import { notFound } from '../../platform/errors.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import { findContactByPhone } from './contact.service.js';
import { contactLookupQuery } from './patient.schemas.js';

documentOperation({
  method: 'get',
  path: '/api/v1/contacts/lookup',
  summary: 'The contact holding a phone number and the patient profiles on it',
  tags: ['Patients'],
  auth: 'staff',
  query: contactLookupQuery,
  responses: {
    200: { description: '{ contact, profiles }' },
    400: { description: 'Not a phone number' },
    401: { description: 'Not signed in' },
    403: { description: 'Role not allowed' },
    404: { description: 'Nobody registered on this number' },
  },
});

/** The contacts router, mounted at /api/v1/contacts. */
export function contactRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/lookup',
    authorize('read', 'patients'),
    asyncHandler(async (req, res) => {
      const query = parseQuery(contactLookupQuery, req);
      const found = await findContactByPhone(res.locals.actor as Actor, query.phone, {
        includeInactive: query.includeInactive ?? false,
      });
      if (!found) throw notFound('Contact');
      res.json(found);
    }),
  );
  return router;
}
