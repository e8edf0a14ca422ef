/**
 * /portal/records and /portal/bills — prescriptions and diet plans (latest version first, earlier
 * versions listed) and bills with receipts, each as a PDF download; pay-now for anything unpaid.
 * Reads go through the clinical and billing services as the patient (audited there).
 */
import { Router } from 'express';
import type { Response } from 'express';
import { z } from 'zod';
import { invoicePdf, listInvoicePayments, listInvoices, getInvoice, receiptPdf } from '../modules/billing/index.js';
import type { InvoiceView, PaymentView } from '../modules/billing/index.js';
import {
  dietPlanPdf,
  listPatientDietPlans,
  listPatientPrescriptions,
  prescriptionPdf,
} from '../modules/clinical/index.js';
import type { DietPlanView, PrescriptionView } from '../modules/clinical/index.js';
import { requirePatient } from '../modules/patient-auth/index.js';
import { paymentLinkForInvoice } from '../modules/payments/index.js';
import { systemActor } from '../platform/actor.js';
import { asyncHandler } from '../platform/http/async-handler.js';
import { html } from '../platform/http/html.js';
import type { Runtime } from '../platform/runtime.js';
import { notAllowed, portalContext, renderPage } from './context.js';
import type { PortalContext } from './context.js';
import { formatDay, formatRupees } from './format.js';
import { fill } from './i18n.js';
import { csrfField } from './layout.js';
import { asPatient, isRefusal, readAsPatient } from './portal-errors.js';

const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i) });

function sendPdf(res: Response, pdf: { filename: string; body: Buffer }): void {
  res
    .type('application/pdf')
    .set('content-disposition', `attachment; filename="${pdf.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .send(pdf.body);
}

/** Versions grouped by visit (one series each), newest series first, newest version first. */
function bySeries<T extends { visitId: string; version: number; issuedAt: Date }>(items: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.visitId, [...(groups.get(item.visitId) ?? []), item]);
  return [...groups.values()]
    .map((group) => group.sort((a, b) => b.version - a.version))
    .sort((a, b) => b[0]!.issuedAt.getTime() - a[0]!.issuedAt.getTime());
}

function seriesList<T extends PrescriptionView | DietPlanView>(
  ctx: PortalContext,
  items: T[],
  path: string,
  titleOf: (item: T) => string,
) {
  const w = ctx.words;
  if (items.length === 0) return html`<p class="muted">${w.none}</p>`;
  return html`<ul class="plain">
    ${bySeries(items).map(([latest, ...earlier]) => {
      const link = (item: T) =>
        html`<a href="${path}/${item.id}.pdf" download
          >${w.downloadPdf} — ${fill(w.version, { v: item.version })}, ${formatDay(item.issuedAt, ctx.lang)}</a
        >`;
      return html`<li class="card">
        <div class="row"><strong>${titleOf(latest!)}</strong><span class="tag">${w.latest}</span></div>
        <p class="muted">${latest!.issuedBy.name}</p>
        <p>${link(latest!)}</p>
        ${
          earlier.length > 0
            ? html`<details>
              <summary>${w.earlier} (${earlier.length})</summary>
              <ul>
                ${earlier.map((item) => html`<li>${link(item)}</li>`)}
              </ul>
            </details>`
            : ''
        }
      </li>`;
    })}
  </ul>`;
}

function invoiceRow(ctx: PortalContext, invoice: InvoiceView, payments: PaymentView[]) {
  const w = ctx.words;
  const unpaid = invoice.duePaise > 0 && invoice.status !== 'void' && invoice.status !== 'draft';
  return html`<li class="card">
    <div class="row">
      <strong>${invoice.documentTitle} ${invoice.number ?? ''}</strong>
      <span class="tag">${unpaid ? `${w.due} ${formatRupees(invoice.duePaise, ctx.lang)}` : w.paid}</span>
    </div>
    <p class="muted">
      ${invoice.invoiceDate ? formatDay(invoice.invoiceDate, ctx.lang) : ''} ·
      ${formatRupees(invoice.totals.totalPaise, ctx.lang)}
    </p>
    <p><a href="/portal/invoices/${invoice.id}.pdf" download>${w.downloadPdf}</a></p>
    ${
      payments.length > 0
        ? html`<p>${w.receipts}:</p>
          <ul>
            ${payments.map(
              (payment) =>
                html`<li>
                  <a href="/portal/receipts/${payment.id}.pdf" download
                    >${formatRupees(payment.amountPaise, ctx.lang)} — ${w.downloadPdf}</a
                  >
                </li>`,
            )}
          </ul>`
        : ''
    }
    ${
      unpaid
        ? html`<form method="post" action="/portal/invoices/${invoice.id}/pay">
          ${csrfField(ctx.csrf)}<button type="submit">${w.payNow}</button>
        </form>`
        : ''
    }
  </li>`;
}

/** The records and bills pages, their PDFs and pay-now. */
export function documentRoutes(runtime: Runtime): Router {
  const router = Router();
  const signedIn = requirePatient(runtime, { redirectTo: '/portal' });

  router.get(
    '/portal/records',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const w = ctx.words;
      const [prescriptions, dietPlans] = await Promise.all([
        listPatientPrescriptions(ctx.session.actor, ctx.patientId, 'all'),
        listPatientDietPlans(ctx.session.actor, ctx.patientId),
      ]);
      const body = html`<h1>${w.records}</h1>
        <h2>${w.prescriptions}</h2>
        ${seriesList(ctx, prescriptions, '/portal/prescriptions', (item) =>
          item.items.map((line) => line.medicine).join(', '),
        )}
        <h2>${w.dietPlans}</h2>
        ${seriesList(
          ctx,
          dietPlans,
          '/portal/diet-plans',
          (item) => `${w.dietPlans} · ${formatDay(item.issuedAt, ctx.lang)}`,
        )}`;
      res.type('html').send(renderPage(ctx, req, 'records', w.records, body));
    }),
  );

  router.get(
    '/portal/prescriptions/:id.pdf',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      sendPdf(res, await readAsPatient(() => prescriptionPdf(ctx.session.actor, idParams.parse(req.params).id)));
    }),
  );
  router.get(
    '/portal/diet-plans/:id.pdf',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      sendPdf(res, await readAsPatient(() => dietPlanPdf(ctx.session.actor, idParams.parse(req.params).id)));
    }),
  );

  router.get(
    '/portal/bills',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const w = ctx.words;
      const invoices = (await listInvoices(ctx.session.actor, { patientId: ctx.patientId, limit: 50 })).filter(
        (invoice) => invoice.status !== 'draft',
      );
      const payments = await Promise.all(invoices.map((invoice) => listInvoicePayments(ctx.session.actor, invoice.id)));
      const body = html`<h1>${w.bills}</h1>
        ${
          invoices.length === 0
            ? html`<p class="muted">${w.none}</p>`
            : html`<ul class="plain">
              ${invoices.map((invoice, index) => invoiceRow(ctx, invoice, payments[index]!))}
            </ul>`
        }`;
      res.type('html').send(renderPage(ctx, req, 'bills', w.bills, body));
    }),
  );

  router.get(
    '/portal/invoices/:id.pdf',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      sendPdf(res, await readAsPatient(() => invoicePdf(ctx.session.actor, idParams.parse(req.params).id)));
    }),
  );
  router.get(
    '/portal/receipts/:id.pdf',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      sendPdf(res, await readAsPatient(() => receiptPdf(ctx.session.actor, idParams.parse(req.params).id)));
    }),
  );

  router.post(
    '/portal/invoices/:id/pay',
    signedIn,
    asyncHandler(async (req, res) => {
      const ctx = await portalContext(runtime, res);
      const { id } = idParams.parse(req.params);
      // The patient may read this bill (checked as them); the link is made as the portal, as the bot does.
      const invoice = await readAsPatient(() => getInvoice(ctx.session.actor, id));
      const link = await asPatient(() =>
        paymentLinkForInvoice(systemActor(ctx.session.record.clinicId, 'portal:pay-now'), { invoiceId: invoice.id }),
      );
      if (isRefusal(link)) {
        res
          .status(409)
          .type('html')
          .send(
            renderPage(ctx, req, 'bills', ctx.words.bills, html`<p><a href="/portal/bills">${ctx.words.back}</a></p>`, {
              tone: 'error',
              text: notAllowed(ctx.words, link.refused),
            }),
          );
        return;
      }
      res.redirect(303, link.shortUrl);
    }),
  );
  return router;
}
