/**
 * /api/v1 prescription, diet-plan, lab and dispensing routes: thin handlers over their services.
 * PDFs are served inline with no caching (they carry PHI).
 */
import { Router } from 'express';
import type { Response } from 'express';
import type { Actor } from '../../platform/actor.js';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseParams, parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import { dietPlanParams, issueDietPlanBody } from './diet-plan.schemas.js';
import {
  dietPlanPdf,
  getDietPlan,
  issueDietPlan,
  listDietPlanVersions,
  verifyDietPlanIntegrity,
} from './diet-plan.service.js';
import { listDispensings, recordDispensing } from './dispensing.service.js';
import { abnormalQuery, labResultBody, labTestParams, orderLabTestsBody, pendingQuery } from './lab.schemas.js';
import {
  acknowledgeResult,
  enterLabResult,
  listAbnormalResults,
  listPendingTests,
  listVisitLabTests,
  orderLabTests,
} from './lab.service.js';
import {
  dispensingBody,
  issuePrescriptionBody,
  patientPrescriptionsQuery,
  prescriptionParams,
} from './prescription.schemas.js';
import {
  getPrescription,
  verifyPrescriptionIntegrity,
  issuePrescription,
  listPatientPrescriptions,
  listPrescriptionVersions,
  prescriptionPdf,
} from './prescription.service.js';
import type { PdfDocument } from './prescription.service.js';
import { visitParams } from './visit.schemas.js';

const tags = ['Clinical'];
const errors = {
  400: { description: 'Invalid request, with readable messages per field' },
  401: { description: 'Not signed in' },
  403: { description: 'Role, own-doctor rule or care relationship denies it' },
  404: { description: 'No such visit, prescription, diet plan or lab test in this clinic' },
};
const versioned = { 409: { description: 'Another version was issued meanwhile (currentVersion in the body)' } };
const pdf = { 200: { description: 'The PDF', contentType: 'application/pdf' } };

documentOperation({
  method: 'post',
  path: '/api/v1/visits/:visitId/prescriptions',
  summary: 'Issue the next prescription version (supersedes the previous); PDF stored; publishes prescription.issued',
  tags,
  auth: 'staff',
  params: visitParams,
  body: issuePrescriptionBody,
  responses: {
    201: { description: 'Prescription version' },
    ...errors,
    ...versioned,
    422: { description: 'registration_number_missing' },
  },
});
documentOperation({
  method: 'get',
  path: '/api/v1/visits/:visitId/prescriptions',
  summary: "Every version of the visit's prescription, newest first, with who issued it and when",
  tags,
  auth: 'staff',
  params: visitParams,
  responses: { 200: { description: '{ items }' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/prescriptions',
  summary: "A patient's prescriptions (active by default) — the pharmacy counter's list",
  tags,
  auth: 'staff',
  query: patientPrescriptionsQuery,
  responses: { 200: { description: '{ items }' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/prescriptions/:prescriptionId',
  summary: 'One prescription version (medicines only, never the visit note)',
  tags,
  auth: 'staff',
  params: prescriptionParams,
  responses: { 200: { description: 'Prescription version' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/prescriptions/:prescriptionId/pdf',
  summary: 'The printable prescription with letterhead, doctor and registration number',
  tags,
  auth: 'staff',
  params: prescriptionParams,
  responses: { ...pdf, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/prescriptions/:prescriptionId/dispensings',
  summary: 'Record dispensing per line (full, partial, not available) — pharmacy; audited',
  tags,
  auth: 'staff',
  params: prescriptionParams,
  body: dispensingBody,
  responses: {
    201: { description: 'Dispensing record' },
    ...errors,
    409: { description: 'That version was superseded' },
    422: { description: 'A line is not on the prescription' },
  },
});
documentOperation({
  method: 'get',
  path: '/api/v1/prescriptions/:prescriptionId/dispensings',
  summary: 'Dispensing history of a prescription version',
  tags,
  auth: 'staff',
  params: prescriptionParams,
  responses: { 200: { description: '{ items }' }, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/visits/:visitId/diet-plans',
  summary: 'Issue the next diet plan version; PDF stored; publishes diet_plan.issued',
  tags,
  auth: 'staff',
  params: visitParams,
  body: issueDietPlanBody,
  responses: { 201: { description: 'Diet plan version' }, ...errors, ...versioned },
});
documentOperation({
  method: 'get',
  path: '/api/v1/visits/:visitId/diet-plans',
  summary: "Every version of the visit's diet plan, newest first",
  tags,
  auth: 'staff',
  params: visitParams,
  responses: { 200: { description: '{ items }' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/diet-plans/:dietPlanId',
  summary: 'One diet plan version',
  tags,
  auth: 'staff',
  params: dietPlanParams,
  responses: { 200: { description: 'Diet plan version' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/prescriptions/:prescriptionId/verify',
  summary: 'Integrity check: the stored content hash against the one its issuing audit event recorded',
  tags,
  auth: 'staff',
  params: prescriptionParams,
  responses: { 200: { description: '{ ok, storedHash, recordedHash }' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/diet-plans/:dietPlanId/verify',
  summary: 'Integrity check: the stored content hash against the one its issuing audit event recorded',
  tags,
  auth: 'staff',
  params: dietPlanParams,
  responses: { 200: { description: '{ ok, storedHash, recordedHash }' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/diet-plans/:dietPlanId/pdf',
  summary: 'The printable diet plan',
  tags,
  auth: 'staff',
  params: dietPlanParams,
  responses: { ...pdf, ...errors },
});
documentOperation({
  method: 'post',
  path: '/api/v1/visits/:visitId/lab-orders',
  summary: 'Order lab tests on your visit',
  tags,
  auth: 'staff',
  params: visitParams,
  body: orderLabTestsBody,
  responses: { 201: { description: '{ items: lab tests }' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/visits/:visitId/lab-tests',
  summary: "The visit's lab tests with results",
  tags,
  auth: 'staff',
  params: visitParams,
  responses: { 200: { description: '{ items }' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/lab-tests/pending',
  summary: 'Tests awaiting a result (front desk entering reports): names only',
  tags,
  auth: 'staff',
  query: pendingQuery,
  responses: { 200: { description: '{ items }' }, ...errors },
});
documentOperation({
  method: 'get',
  path: '/api/v1/lab-tests/abnormal',
  summary: 'Abnormal results of tests you ordered: unacknowledged first',
  tags,
  auth: 'staff',
  query: abnormalQuery,
  responses: { 200: { description: '{ items }' }, ...errors },
});
documentOperation({
  method: 'put',
  path: '/api/v1/lab-tests/:labTestId/result',
  summary:
    'Enter a result (front desk or doctor) or correct one (ordering doctor, with a reason); flags abnormal values',
  tags,
  auth: 'staff',
  params: labTestParams,
  body: labResultBody,
  responses: {
    200: { description: 'Lab test (doctors) or a receipt (front desk)' },
    ...errors,
    409: { description: 'Stale version' },
    422: { description: 'correction_reason_required' },
  },
});
documentOperation({
  method: 'post',
  path: '/api/v1/lab-tests/:labTestId/acknowledge',
  summary: 'Acknowledge an abnormal result (ordering doctor)',
  tags,
  auth: 'staff',
  params: labTestParams,
  responses: { 200: { description: 'Lab test' }, ...errors, 409: { description: 'Not abnormal' } },
});

const actorOf = (res: Response) => res.locals.actor as Actor;

function sendPdf(res: Response, document: PdfDocument): void {
  res.setHeader('Content-Disposition', `inline; filename="${document.filename}"`);
  res.type(document.contentType).send(document.body);
}

/** Prescription, diet-plan, lab and dispensing routes (mounted under /api/v1 behind requireStaff). */
export function orderRoutes(): Router {
  const router = Router();
  router.post(
    '/visits/:visitId/prescriptions',
    authorize('create', 'prescriptions'),
    asyncHandler(async (req, res) => {
      res
        .status(201)
        .json(
          await issuePrescription(
            actorOf(res),
            parseParams(visitParams, req).visitId,
            parseBody(issuePrescriptionBody, req),
          ),
        );
    }),
  );
  router.get(
    '/visits/:visitId/prescriptions',
    authorize('read', 'prescriptions'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listPrescriptionVersions(actorOf(res), parseParams(visitParams, req).visitId) });
    }),
  );
  router.get(
    '/prescriptions',
    authorize('read', 'prescriptions'),
    asyncHandler(async (req, res) => {
      const query = parseQuery(patientPrescriptionsQuery, req);
      res.json({ items: await listPatientPrescriptions(actorOf(res), query.patientId, query.status) });
    }),
  );
  router.get(
    '/prescriptions/:prescriptionId',
    authorize('read', 'prescriptions'),
    asyncHandler(async (req, res) => {
      res.json(await getPrescription(actorOf(res), parseParams(prescriptionParams, req).prescriptionId));
    }),
  );
  router.get(
    '/prescriptions/:prescriptionId/verify',
    authorize('read', 'prescriptions'),
    asyncHandler(async (req, res) => {
      res.json(await verifyPrescriptionIntegrity(actorOf(res), parseParams(prescriptionParams, req).prescriptionId));
    }),
  );
  router.get(
    '/diet-plans/:dietPlanId/verify',
    authorize('read', 'diet_plans'),
    asyncHandler(async (req, res) => {
      res.json(await verifyDietPlanIntegrity(actorOf(res), parseParams(dietPlanParams, req).dietPlanId));
    }),
  );
  router.get(
    '/prescriptions/:prescriptionId/pdf',
    authorize('read', 'prescriptions'),
    asyncHandler(async (req, res) => {
      sendPdf(res, await prescriptionPdf(actorOf(res), parseParams(prescriptionParams, req).prescriptionId));
    }),
  );
  router.post(
    '/prescriptions/:prescriptionId/dispensings',
    authorize('create', 'dispensing'),
    asyncHandler(async (req, res) => {
      res
        .status(201)
        .json(
          await recordDispensing(
            actorOf(res),
            parseParams(prescriptionParams, req).prescriptionId,
            parseBody(dispensingBody, req),
          ),
        );
    }),
  );
  router.get(
    '/prescriptions/:prescriptionId/dispensings',
    authorize('read', 'dispensing'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listDispensings(actorOf(res), parseParams(prescriptionParams, req).prescriptionId) });
    }),
  );
  router.post(
    '/visits/:visitId/diet-plans',
    authorize('create', 'diet_plans'),
    asyncHandler(async (req, res) => {
      res
        .status(201)
        .json(
          await issueDietPlan(actorOf(res), parseParams(visitParams, req).visitId, parseBody(issueDietPlanBody, req)),
        );
    }),
  );
  router.get(
    '/visits/:visitId/diet-plans',
    authorize('read', 'diet_plans'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listDietPlanVersions(actorOf(res), parseParams(visitParams, req).visitId) });
    }),
  );
  router.get(
    '/diet-plans/:dietPlanId',
    authorize('read', 'diet_plans'),
    asyncHandler(async (req, res) => {
      res.json(await getDietPlan(actorOf(res), parseParams(dietPlanParams, req).dietPlanId));
    }),
  );
  router.get(
    '/diet-plans/:dietPlanId/pdf',
    authorize('read', 'diet_plans'),
    asyncHandler(async (req, res) => {
      sendPdf(res, await dietPlanPdf(actorOf(res), parseParams(dietPlanParams, req).dietPlanId));
    }),
  );
  router.post(
    '/visits/:visitId/lab-orders',
    authorize('create', 'lab_results'),
    asyncHandler(async (req, res) => {
      res.status(201).json({
        items: await orderLabTests(
          actorOf(res),
          parseParams(visitParams, req).visitId,
          parseBody(orderLabTestsBody, req),
        ),
      });
    }),
  );
  router.get(
    '/visits/:visitId/lab-tests',
    authorize('read', 'lab_results'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listVisitLabTests(actorOf(res), parseParams(visitParams, req).visitId) });
    }),
  );
  router.get(
    '/lab-tests/pending',
    authorize('create', 'lab_results'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listPendingTests(actorOf(res), parseQuery(pendingQuery, req)) });
    }),
  );
  router.get(
    '/lab-tests/abnormal',
    authorize('read', 'lab_results'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listAbnormalResults(actorOf(res), parseQuery(abnormalQuery, req)) });
    }),
  );
  router.put(
    '/lab-tests/:labTestId/result',
    authorize('create', 'lab_results'),
    asyncHandler(async (req, res) => {
      res.json(
        await enterLabResult(actorOf(res), parseParams(labTestParams, req).labTestId, parseBody(labResultBody, req)),
      );
    }),
  );
  router.post(
    '/lab-tests/:labTestId/acknowledge',
    authorize('update', 'lab_results'),
    asyncHandler(async (req, res) => {
      res.json(await acknowledgeResult(actorOf(res), parseParams(labTestParams, req).labTestId));
    }),
  );
  return router;
}
