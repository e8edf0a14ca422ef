/**
 * The desk's payment links: `POST /api/v1/appointments/:id/payment-link` (a hold's prepayment or
 * what the appointment's invoice owes) and `POST /api/v1/invoices/:id/payment-link` (any unpaid
 * invoice). Both answer the link and, unless `send: false`, send it on WhatsApp with a Pay button.
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import { parseBody, parseParams } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import { actorOf, problemResponses } from '../billing/billing-http.js';
import { paymentLinkForAppointment, sendPaymentLink } from './appointment-payment-link.service.js';
import { linkTargetParams, sendLinkBody } from './payment-link.schemas.js';
import { paymentLinkForInvoice } from './payment-link.service.js';
import type { PaymentLinkView } from './payment-link.view.js';

const responses = {
  200: { description: '{ invoiceId, paymentLinkId, shortUrl, amountPaise, expiresAt, sentOnWhatsApp, … }' },
  ...problemResponses,
  502: { description: 'Razorpay could not be reached; try again' },
};
for (const [path, summary] of [
  [
    '/api/v1/appointments/:id/payment-link',
    "A Razorpay payment link for the appointment's prepayment or unpaid invoice, sent on WhatsApp",
  ],
  ['/api/v1/invoices/:id/payment-link', 'A Razorpay payment link for an unpaid invoice, sent on WhatsApp'],
] as const) {
  documentOperation({
    method: 'post',
    path,
    summary,
    tags: ['Payments'],
    auth: 'staff',
    params: linkTargetParams,
    body: sendLinkBody,
    responses,
  });
}

async function answer(req: Request, res: Response, link: PaymentLinkView): Promise<void> {
  const { send } = parseBody(sendLinkBody, req);
  const sentOnWhatsApp = send ? await sendPaymentLink(actorOf(res), link) : false;
  res.json({ ...link, sentOnWhatsApp });
}

type LinkFor = (req: Request, res: Response) => Promise<PaymentLinkView>;

/** One POST /:id/payment-link route: staff who may take payments, the body checked first. */
function linkRouter(runtime: Runtime, linkFor: LinkFor): Router {
  const router = Router();
  router.post(
    '/:id/payment-link',
    requireStaff(runtime),
    authorize('create', 'payments'),
    asyncHandler(async (req, res) => {
      parseBody(sendLinkBody, req);
      await answer(req, res, await linkFor(req, res));
    }),
  );
  return router;
}

/** Mounted at /api/v1/appointments (the appointment link). */
export function appointmentPaymentLinkRoutes(runtime: Runtime): Router {
  return linkRouter(runtime, (req, res) =>
    paymentLinkForAppointment(actorOf(res), parseParams(linkTargetParams, req).id),
  );
}

/** Mounted at /api/v1/invoices (the invoice link). */
export function invoicePaymentLinkRoutes(runtime: Runtime): Router {
  return linkRouter(runtime, (req, res) =>
    paymentLinkForInvoice(actorOf(res), { invoiceId: parseParams(linkTargetParams, req).id }),
  );
}
