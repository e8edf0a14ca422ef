/**
 * A cancelled appointment leaves no bill open. By the rules billing already has: a draft is
 * discarded; an issued invoice with nothing paid or credited is voided (its posting reversed) by
 * the payments module once every payment link of the booking is known closed (a payment that
 * lands after a hold lapsed may still reinstate it); one with money on it keeps what was paid,
 * the refund the cancellation rules call for comes off it by a refund credit note when it is paid
 * out, and whatever is still due comes off now by a correction credit note. Each step is keyed by
 * the appointment, so a redelivered event settles once.
 */
import type { Actor } from '../../platform/actor.js';
import { creditDue } from './credit-note.service.js';
import { voidInvoice } from './invoice-issue.service.js';
import { Invoice } from './invoice.model.js';
import type { InvoiceRecord } from './invoice.model.js';
import { toInvoiceView } from './invoice.view.js';
import type { InvoiceView } from './invoice.view.js';

const REASON = 'Appointment cancelled';

async function settleOne(actor: Actor, appointmentId: string, invoice: InvoiceRecord): Promise<InvoiceView> {
  const id = String(invoice._id);
  if (invoice.status === 'draft') return voidInvoice(actor, id);
  // Unpaid: voided when its links are closed (payments' hold-release job).
  if (invoice.paidPaise === 0 && invoice.creditedPaise === 0) return toInvoiceView(invoice);
  if (invoice.duePaise === 0) return toInvoiceView(invoice);
  const { invoice: settled } = await creditDue(actor, invoice, {
    amountPaise: invoice.duePaise,
    reason: `${REASON}: nothing more is due`,
    sourceKey: `correction|cancel|${appointmentId}|${id}`,
  });
  return settled;
}

/** Settles the open invoices of a cancelled appointment (discard drafts, credit what is still due on paid ones); returns them as they are now. */
export async function settleCancelledAppointmentBills(actor: Actor, appointmentId: string): Promise<InvoiceView[]> {
  const invoices = await Invoice.find({
    clinicId: actor.clinicId,
    appointmentId,
    status: { $in: ['draft', 'issued', 'partially_paid', 'paid'] },
  }).lean<InvoiceRecord[]>();
  const settled: InvoiceView[] = [];
  for (const invoice of invoices) settled.push(await settleOne(actor, appointmentId, invoice));
  return settled;
}
