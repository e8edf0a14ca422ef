/** The payment status of an issued invoice, derived from what is paid and due. */
import { Invoice } from './invoice.model.js';
import type { InvoiceRecord } from './invoice.model.js';
import { loadInvoiceRecord } from './invoice.service.js';

const PAYABLE = ['issued', 'partially_paid'];

/**
 * Sets issued / partially_paid / paid from what is paid and due, only if nothing moved since:
 * later payments write the later state, so an earlier, slower writer never sets a stale status.
 */
export async function settleInvoiceStatus(invoice: InvoiceRecord): Promise<InvoiceRecord> {
  const status = invoice.duePaise === 0 ? 'paid' : invoice.paidPaise > 0 ? 'partially_paid' : 'issued';
  if (invoice.status === status) return invoice;
  const updated = await Invoice.findOneAndUpdate(
    {
      _id: invoice._id,
      clinicId: invoice.clinicId,
      duePaise: invoice.duePaise,
      paidPaise: invoice.paidPaise,
      status: { $in: PAYABLE },
    },
    { $set: { status } },
    { new: true },
  ).lean<InvoiceRecord>();
  return updated ?? loadInvoiceRecord(String(invoice.clinicId), invoice._id);
}
