/**
 * Billing: invoices, payments, refunds, credit notes and the price list. Read from the models
 * (numbers, totals, ledger-relevant fields are never form fields); every change is an action
 * over the billing services — issue, discount within the role's limit (above it the service
 * names who can approve), counter payment, refund. Default new/edit/delete are off: they would
 * bypass the numbering, the frozen-invoice and the ledger rules.
 */
import { randomUUID } from 'node:crypto';
import type { ResourceOptions } from 'adminjs';
import {
  applyDiscount,
  CreditNote,
  Invoice,
  issueInvoice,
  Payment,
  PriceItem,
  recordPayment,
  Refund,
  requestRefund,
} from '../../src/modules/billing/index.js';
import { unprocessable } from '../../src/platform/errors.js';
import { policyActions } from '../access.js';
import { serviceAction } from '../actions.js';
import { ClinicModelResource } from '../model-resource.js';
import { NAV } from './navigation.js';

type Spec = { resource: ClinicModelResource; options: ResourceOptions };

/** Rupees as typed at the desk ("250", "250.50") to paise; refuses anything else. */
export function rupeesToPaise(text: string | undefined): number {
  if (!text || !/^\d{1,7}(\.\d{1,2})?$/.test(text.trim()))
    throw unprocessable('Type the amount in rupees, e.g. 250 or 250.50');
  const [whole, fraction = ''] = text.trim().split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

const money = (paise: number) => `₹${(paise / 100).toFixed(2)}`;
const invoiceStatus =
  (...statuses: string[]) =>
  (params: Record<string, unknown>) =>
    statuses.includes(String(params.status));

/** Invoices and bills with issue, discount, counter payment and refund. */
export function invoicesResource(): Spec {
  return {
    resource: new ClinicModelResource(Invoice as never, ['patientAddress']),
    options: {
      id: 'invoices',
      navigation: NAV.billing,
      listProperties: ['number', 'status', 'patientName', 'patientCode', 'paidPaise', 'duePaise', 'issuedAt'],
      filterProperties: ['number', 'status', 'patientId', 'appointmentId'],
      actions: {
        ...policyActions('invoices'),
        issue: serviceAction({
          policy: ['invoices', 'create'],
          label: 'Issue',
          icon: 'FileText',
          intro: 'Issues the draft: it gets its number and cannot be edited afterwards (corrections are credit notes).',
          showWhen: invoiceStatus('draft'),
          run: async (actor, { recordId }) => {
            const invoice = await issueInvoice(actor, recordId!);
            return `Issued as ${invoice.number ?? 'a numbered invoice'}.`;
          },
        }),
        discount: serviceAction({
          policy: ['discounts', 'create'],
          label: 'Discount',
          icon: 'Percent',
          intro: 'A discount on the draft bill, within your role’s limit.',
          showWhen: invoiceStatus('draft'),
          fields: [
            { name: 'percent', label: 'Percent of the bill', type: 'number', required: true },
            { name: 'reason', label: 'Reason', required: true },
          ],
          run: async (actor, { recordId, values }) => {
            const percent = Number(values.percent);
            if (!Number.isFinite(percent) || percent <= 0)
              throw unprocessable('Type the discount as a percent, e.g. 10');
            if (!values.reason) throw unprocessable('A reason is required');
            await applyDiscount(actor, recordId!, { percent, reason: values.reason });
            return `Discount of ${percent} % applied.`;
          },
        }),
        counterPayment: serviceAction({
          policy: ['payments', 'create'],
          label: 'Take payment',
          icon: 'DollarSign',
          intro: 'Records money taken at the counter; a receipt is issued.',
          showWhen: invoiceStatus('issued', 'partially_paid'),
          fields: [
            { name: 'amount', label: 'Amount (₹)', required: true },
            {
              name: 'method',
              label: 'Paid by',
              type: 'select',
              required: true,
              options: [
                { value: 'cash', label: 'Cash' },
                { value: 'upi', label: 'UPI' },
                { value: 'card', label: 'Card' },
              ],
            },
            { name: 'reference', label: 'UPI reference or card approval code', help: 'Needed for UPI and card.' },
          ],
          run: async (actor, { recordId, values }) => {
            const amountPaise = rupeesToPaise(values.amount);
            const method = (values.method || 'cash') as 'cash';
            if (method !== 'cash' && !values.reference)
              throw unprocessable('Type the UPI reference or card approval code');
            const { payment } = await recordPayment(actor, {
              invoiceId: recordId!,
              amountPaise,
              method,
              ...(values.reference ? { reference: values.reference } : {}),
              idempotencyKey: `panel-${randomUUID()}`,
            });
            return `Payment of ${money(amountPaise)} recorded (receipt ${payment.receiptNumber ?? 'issued'}).`;
          },
        }),
        refund: serviceAction({
          policy: ['refunds', 'create'],
          label: 'Refund',
          icon: 'CornerUpLeft',
          intro: 'Returns money to the patient; a credit note and refund voucher follow.',
          showWhen: invoiceStatus('paid', 'partially_paid'),
          fields: [
            { name: 'amount', label: 'Amount (₹)', required: true },
            { name: 'reason', label: 'Reason', required: true },
          ],
          run: async (actor, { recordId, values }) => {
            const amountPaise = rupeesToPaise(values.amount);
            if (!values.reason) throw unprocessable('A reason is required');
            const refund = await requestRefund(actor, { invoiceId: recordId!, amountPaise, reason: values.reason });
            return `Refund of ${money(amountPaise)} ${refund.status === 'processed' ? 'paid out' : 'requested'}.`;
          },
        }),
      },
    },
  };
}

/** Payments (read): receipts, counter and online. */
export function paymentsResource(): Spec {
  return {
    resource: new ClinicModelResource(Payment as never),
    options: {
      id: 'payments',
      navigation: NAV.billing,
      listProperties: ['receiptNumber', 'invoiceId', 'amountPaise', 'method', 'status', 'receivedAt'],
      filterProperties: ['invoiceId', 'method', 'status'],
      actions: policyActions('payments'),
    },
  };
}

/** Refunds (read). */
export function refundsResource(): Spec {
  return {
    resource: new ClinicModelResource(Refund as never),
    options: {
      id: 'refunds',
      navigation: NAV.billing,
      listProperties: ['invoiceId', 'amountPaise', 'status', 'reason', 'createdAt'],
      actions: policyActions('refunds'),
    },
  };
}

/** Credit notes (read). */
export function creditNotesResource(): Spec {
  return {
    resource: new ClinicModelResource(CreditNote as never),
    options: { id: 'credit_notes', navigation: NAV.billing, actions: policyActions('invoices') },
  };
}

/** The price list (read here; rates change through the API's rate history). */
export function priceListResource(): Spec {
  return {
    resource: new ClinicModelResource(PriceItem as never),
    options: { id: 'price_list', navigation: NAV.billing, actions: policyActions('price_list') },
  };
}
