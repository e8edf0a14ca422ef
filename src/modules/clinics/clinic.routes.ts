/** /api/v1/clinic — the signed-in staff member's clinic and its security settings. */
import { Router } from 'express';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import {
  billingSettingsBody,
  clinicProfileBody,
  schedulingSettingsBody,
  securitySettingsBody,
} from './clinic.schemas.js';
import {
  getClinic,
  updateBillingSettings,
  updateClinicProfile,
  updateSchedulingSettings,
  updateSecuritySettings,
} from './clinic.service.js';

const tags = ['Clinic'];
documentOperation({
  method: 'get',
  path: '/api/v1/clinic',
  summary: 'The clinic and its settings',
  tags,
  auth: 'staff',
  responses: { 200: { description: 'Clinic' } },
});
documentOperation({
  method: 'patch',
  path: '/api/v1/clinic/settings/security',
  summary: 'Device approval and the roles that must use MFA (admin)',
  tags,
  auth: 'staff',
  body: securitySettingsBody,
  responses: { 200: { description: 'Clinic' } },
});

documentOperation({
  method: 'patch',
  path: '/api/v1/clinic',
  summary: 'Clinic profile: name, timezone, GSTIN, state code, address (admin)',
  tags,
  auth: 'staff',
  body: clinicProfileBody,
  responses: { 200: { description: 'Clinic' }, 400: { description: 'Invalid profile' } },
});
documentOperation({
  method: 'patch',
  path: '/api/v1/clinic/settings/scheduling',
  summary: 'Slot length, prepayment, holds, no-show grace, reminders, refund rules, holidays (admin)',
  tags,
  auth: 'staff',
  body: schedulingSettingsBody,
  responses: { 200: { description: 'Clinic' }, 400: { description: 'Invalid settings' } },
});

documentOperation({
  method: 'patch',
  path: '/api/v1/clinic/settings/billing',
  summary:
    'Per-role discount limits in percent of the bill (admin); roles not named keep the defaults (front desk 10, pharmacy 5, accounts 50)',
  tags,
  auth: 'staff',
  body: billingSettingsBody,
  responses: { 200: { description: 'Clinic' }, 400: { description: 'Invalid settings' } },
});

/** The clinic router, mounted at /api/v1/clinic. */
export function clinicRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/',
    authorize('read', 'clinic_settings'),
    asyncHandler(async (_req, res) => {
      res.json(await getClinic((res.locals.actor as Actor).clinicId));
    }),
  );
  router.patch(
    '/',
    authorize('update', 'clinic_settings'),
    asyncHandler(async (req, res) => {
      res.json(await updateClinicProfile(res.locals.actor as Actor, parseBody(clinicProfileBody, req)));
    }),
  );
  router.patch(
    '/settings/scheduling',
    authorize('update', 'clinic_settings'),
    asyncHandler(async (req, res) => {
      res.json(await updateSchedulingSettings(res.locals.actor as Actor, parseBody(schedulingSettingsBody, req)));
    }),
  );
  router.patch(
    '/settings/billing',
    authorize('update', 'clinic_settings'),
    asyncHandler(async (req, res) => {
      res.json(await updateBillingSettings(res.locals.actor as Actor, parseBody(billingSettingsBody, req)));
    }),
  );
  router.patch(
    '/settings/security',
    authorize('update', 'clinic_settings'),
    asyncHandler(async (req, res) => {
      res.json(await updateSecuritySettings(res.locals.actor as Actor, parseBody(securitySettingsBody, req)));
    }),
  );
  return router;
}
