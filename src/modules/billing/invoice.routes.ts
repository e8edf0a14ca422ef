/** /api/v1/invoices: drafts, discounts, issue, void, PDF, and the invoice's payments, refunds and credit notes. */
import { Router } from 'express';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { documentOperation } from '../../platform/http/openapi.js';
import type { OperationSpec } from '../../platform/http/openapi.js';
import { parseBody, parseParams, parseQuery } from '../../platform/http/validate.js';
import { authorize } from '../../platform/rbac/authorize.js';
import type { Runtime } from '../../platform/runtime.js';
import { requireStaff } from '../auth/auth.middleware.js';
import { actorOf, idempotencyKeyOf, problemResponses as errors, sendPdf } from './billing-http.js';
import { idParams } from './billing.schemas.js';
import { raiseConsultationCharge } from './consultation-charge.service.js';
import { issueCorrectionCreditNote, listInvoiceCreditNotes } from './credit-note.service.js';
import { applyDiscount } from './discount.service.js';
import { invoicePdf, issueInvoice, voidInvoice } from './invoice-issue.service.js';
import {
  addLinesBody,
  counterPaymentBody,
  createInvoiceBody,
  creditNoteBody,
  discountBody,
  listInvoicesQuery,
  refundBody,
  voidBody,
} from './invoice.schemas.js';
import { addDraftLines, createDraftInvoice, getInvoice, listInvoices } from './invoice.service.js';
import { listInvoicePayments } from './payment-read.service.js';
import { recordPayment } from './payment.service.js';
import { listInvoiceRefunds, requestRefund } from './refund.service.js';

const tags = ['Billing'];
const path = '/api/v1/invoices';
const doc = (
  method: 'get' | 'post',
  suffix: string,
  summary: string,
  extra: {
    body?: OperationSpec['body'];
    query?: OperationSpec['query'];
    ok?: number;
    okDescription?: string;
    pdf?: boolean;
  } = {},
) =>
  documentOperation({
    method,
    path: `${path}${suffix}`,
    summary,
    tags,
    auth: 'staff',
    ...(suffix.includes(':id') ? { params: idParams } : {}),
    ...(extra.body ? { body: extra.body } : {}),
    ...(extra.query ? { query: extra.query } : {}),
    responses: {
      [extra.ok ?? 200]: {
        description: extra.okDescription ?? 'OK',
        ...(extra.pdf ? { contentType: 'application/pdf' } : {}),
      },
      ...errors,
    },
  });

doc(
  'post',
  '',
  'Draft invoice from price-list lines, or the consultation charge of an appointment (once per appointment)',
  { body: createInvoiceBody, ok: 201, okDescription: 'Draft (or the existing charge)' },
);
doc('get', '', 'Invoices by status, patient or appointment', { query: listInvoicesQuery });
doc('get', '/:id', 'One invoice with lines, tax, totals and what is paid and due');
doc('get', '/:id/pdf', 'The invoice PDF (tax invoice, bill of supply or invoice-cum-bill of supply)', {
  pdf: true,
  okDescription: 'PDF',
});
doc('post', '/:id/lines', 'Add price-list lines to a draft', { body: addLinesBody });
doc(
  'post',
  '/:id/discounts',
  'Discount a draft (percentage or amount, line or bill, with a reason); above your limit 403 names the approvers',
  { body: discountBody },
);
doc('post', '/:id/issue', 'Issue a draft: final tax at today’s rates, a number from its series, ledger posting, PDF');
doc(
  'post',
  '/:id/void',
  'Discard a draft, or void an issued invoice with nothing paid (accounts, admin; reason required); the number is kept',
  { body: voidBody },
);
doc(
  'post',
  '/:id/payments',
  'Record a desk payment (cash, UPI, card) with a receipt voucher; Idempotency-Key makes retries safe',
  { body: counterPaymentBody, ok: 201, okDescription: 'Recorded (200 when repeated)' },
);
doc('get', '/:id/payments', "The invoice's payments");
doc(
  'post',
  '/:id/refunds',
  'Refund a payment in full or part (accounts, admin): desk refunds are paid out with a credit note and refund voucher, online ones wait for Razorpay',
  {
    body: refundBody,
    ok: 201,
    okDescription: 'Refund',
  },
);
doc('get', '/:id/refunds', "The invoice's refunds");
doc(
  'post',
  '/:id/credit-notes',
  'Correct an issued invoice by credit note, reducing what is still due (accounts, admin)',
  { body: creditNoteBody, ok: 201, okDescription: 'Credit note and invoice' },
);
doc('get', '/:id/credit-notes', "The invoice's credit notes");

/** The invoices router, mounted at /api/v1/invoices. */
export function invoiceRoutes(runtime: Runtime): Router {
  const router = Router();
  router.use(requireStaff(runtime));
  const id = (req: Parameters<typeof parseParams>[1]) => parseParams(idParams, req).id;

  router.post(
    '/',
    authorize('create', 'invoices'),
    asyncHandler(async (req, res) => {
      const body = parseBody(createInvoiceBody, req);
      const invoice =
        'appointmentId' in body
          ? await raiseConsultationCharge(actorOf(res), body.appointmentId, { issue: body.issue ?? false })
          : await createDraftInvoice(actorOf(res), body);
      res.status(201).json(invoice);
    }),
  );
  router.get(
    '/',
    authorize('read', 'invoices'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listInvoices(actorOf(res), parseQuery(listInvoicesQuery, req)) });
    }),
  );
  router.get(
    '/:id',
    authorize('read', 'invoices'),
    asyncHandler(async (req, res) => {
      res.json(await getInvoice(actorOf(res), id(req)));
    }),
  );
  router.get(
    '/:id/pdf',
    authorize('read', 'invoices'),
    asyncHandler(async (req, res) => {
      sendPdf(res, await invoicePdf(actorOf(res), id(req)));
    }),
  );
  router.post(
    '/:id/lines',
    authorize('create', 'invoices'),
    asyncHandler(async (req, res) => {
      res.json(await addDraftLines(actorOf(res), id(req), parseBody(addLinesBody, req).lines));
    }),
  );
  router.post(
    '/:id/discounts',
    authorize('create', 'discounts'),
    asyncHandler(async (req, res) => {
      res.json(await applyDiscount(actorOf(res), id(req), parseBody(discountBody, req)));
    }),
  );
  router.post(
    '/:id/issue',
    authorize('create', 'invoices'),
    asyncHandler(async (req, res) => {
      res.json(await issueInvoice(actorOf(res), id(req)));
    }),
  );
  router.post(
    '/:id/void',
    authorize('create', 'invoices'),
    asyncHandler(async (req, res) => {
      res.json(await voidInvoice(actorOf(res), id(req), parseBody(voidBody, req).reason));
    }),
  );
  router.post(
    '/:id/payments',
    authorize('create', 'payments'),
    asyncHandler(async (req, res) => {
      const body = parseBody(counterPaymentBody, req);
      const key = idempotencyKeyOf(req);
      const result = await recordPayment(actorOf(res), {
        invoiceId: id(req),
        ...body,
        ...(key ? { idempotencyKey: key } : {}),
      });
      res.status(result.created ? 201 : 200).json(result);
    }),
  );
  router.get(
    '/:id/payments',
    authorize('read', 'payments'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listInvoicePayments(actorOf(res), id(req)) });
    }),
  );
  router.post(
    '/:id/refunds',
    authorize('create', 'refunds'),
    asyncHandler(async (req, res) => {
      const key = idempotencyKeyOf(req);
      res.status(201).json(
        await requestRefund(actorOf(res), {
          invoiceId: id(req),
          ...parseBody(refundBody, req),
          ...(key ? { requestKey: key } : {}),
        }),
      );
    }),
  );
  router.get(
    '/:id/refunds',
    authorize('read', 'refunds'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listInvoiceRefunds(actorOf(res), id(req)) });
    }),
  );
  router.post(
    '/:id/credit-notes',
    authorize('update', 'invoices'),
    asyncHandler(async (req, res) => {
      const key = idempotencyKeyOf(req);
      res.status(201).json(
        await issueCorrectionCreditNote(actorOf(res), id(req), {
          ...parseBody(creditNoteBody, req),
          ...(key ? { requestKey: key } : {}),
        }),
      );
    }),
  );
  router.get(
    '/:id/credit-notes',
    authorize('read', 'invoices'),
    asyncHandler(async (req, res) => {
      res.json({ items: await listInvoiceCreditNotes(actorOf(res), id(req)) });
    }),
  );
  return router;
}
