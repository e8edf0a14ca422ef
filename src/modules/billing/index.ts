/**
 * The billing module: the price list, invoices and bills of supply, discounts, payments, refunds,
 * credit notes and their PDFs. It posts every money event to the ledger module's journal.
 */
import type { DomainModule } from '../index.js';
import { registerBillingWhatsApp } from './billing-whatsapp.js';
import { registerConsultationCharging } from './consultation-charge.service.js';
import './credit-note.model.js';
import './document-number.model.js';
import { configureBillingDocuments } from './documents/document-store.js';
import { invoiceRoutes } from './invoice.routes.js';
import './invoice.model.js';
import './payment.model.js';
import { creditNoteRoutes, paymentRoutes, refundRoutes } from './payment.routes.js';
import { priceItemRoutes } from './price-item.routes.js';
import './price-item.model.js';
import { registerCancellationRefunds } from './refund-on-cancel.js';
import './refund.model.js';

// The billing module's public API for the patient portal and the privacy module.
export { getInvoice, listInvoices } from './invoice.service.js';
export { invoicePdf } from './invoice-issue.service.js';
export { listInvoicePayments, receiptPdf } from './payment-read.service.js';
export type { InvoiceView } from './invoice.view.js';
export type { PaymentView } from './payment.view.js';

/** Installs document storage and the event subscribers; mounts the billing routes. */
export const billingModule: DomainModule = {
  name: 'billing',
  register(runtime) {
    configureBillingDocuments(runtime.config);
    registerConsultationCharging();
    registerCancellationRefunds();
    registerBillingWhatsApp();
  },
  mount(app, runtime) {
    app.use('/api/v1/price-items', priceItemRoutes(runtime));
    app.use('/api/v1/invoices', invoiceRoutes(runtime));
    app.use('/api/v1/payments', paymentRoutes(runtime));
    app.use('/api/v1/refunds', refundRoutes(runtime));
    app.use('/api/v1/credit-notes', creditNoteRoutes(runtime));
  },
};

export { consultationFeePaise } from './consultation-charge.service.js';
