/** /api/v1/payments, /api/v1/refunds and /api/v1/credit-notes: single records and their PDFs. */
import { Router } from 'express';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseParams } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import { actorOf, problemResponses as errors, sendPdf } from './billing-http.js';
import { idParams } from './billing.schemas.js';
import { creditNotePdf, getCreditNote } from './credit-note.service.js';
import { getPayment, receiptPdf } from './payment-read.service.js';
import { completeCounterRefund, refundVoucherPdf } from './refund-settle.service.js';
import { getRefund } from './refund.service.js';

const operations: [string, string, string, boolean][] = [
  ['/api/v1/payments/:id', 'Payments', 'One payment', false],
  ['/api/v1/payments/:id/receipt.pdf', 'Payments', 'The receipt voucher PDF of a recorded payment', true],
  ['/api/v1/refunds/:id', 'Refunds', 'One refund (with the idempotency key the provider call sends)', false],
  ['/api/v1/refunds/:id/voucher.pdf', 'Refunds', 'The refund voucher PDF of a processed refund', true],
  ['/api/v1/credit-notes/:id', 'Billing', 'One credit note', false],
  ['/api/v1/credit-notes/:id/pdf', 'Billing', 'The credit note PDF', true],
];
for (const [path, tag, summary, pdf] of operations) {
  documentOperation({
    method: 'get',
    path,
    summary,
    tags: [tag],
    auth: 'staff',
    params: idParams,
    responses: {
      200: { description: pdf ? 'PDF' : 'OK', ...(pdf ? { contentType: 'application/pdf' } : {}) },
      ...errors,
    },
  });
}
documentOperation({
  method: 'post',
  path: '/api/v1/refunds/:id/complete',
  summary:
    'Pay out a waiting desk refund (an automatic refund of a desk payment): credit note and refund voucher (accounts, admin)',
  tags: ['Refunds'],
  auth: 'staff',
  params: idParams,
  responses: { 200: { description: 'Processed refund' }, ...errors },
});

const id = (req: Parameters<typeof parseParams>[1]) => parseParams(idParams, req).id;

/** The payments router, mounted at /api/v1/payments. */
export function paymentRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/:id',
    authorize('read', 'payments'),
    asyncHandler(async (req, res) => {
      res.json(await getPayment(actorOf(res), id(req)));
    }),
  );
  router.get(
    '/:id/receipt.pdf',
    authorize('read', 'payments'),
    asyncHandler(async (req, res) => {
      sendPdf(res, await receiptPdf(actorOf(res), id(req)));
    }),
  );
  return router;
}

/** The refunds router, mounted at /api/v1/refunds. */
export function refundRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/:id',
    authorize('read', 'refunds'),
    asyncHandler(async (req, res) => {
      res.json(await getRefund(actorOf(res), id(req)));
    }),
  );
  router.get(
    '/:id/voucher.pdf',
    authorize('read', 'refunds'),
    asyncHandler(async (req, res) => {
      sendPdf(res, await refundVoucherPdf(actorOf(res), id(req)));
    }),
  );
  router.post(
    '/:id/complete',
    authorize('approve', 'refunds'),
    asyncHandler(async (req, res) => {
      res.json(await completeCounterRefund(actorOf(res), id(req)));
    }),
  );
  return router;
}

/** The credit notes router, mounted at /api/v1/credit-notes. */
export function creditNoteRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  router.get(
    '/:id',
    authorize('read', 'invoices'),
    asyncHandler(async (req, res) => {
      res.json(await getCreditNote(actorOf(res), id(req)));
    }),
  );
  router.get(
    '/:id/pdf',
    authorize('read', 'invoices'),
    asyncHandler(async (req, res) => {
      sendPdf(res, await creditNotePdf(actorOf(res), id(req)));
    }),
  );
  return router;
}
