/**
 * Payment links for invoices. A link asks for what is due (or, for a prepayment hold, what the
 * hold still needs), expires with the hold it pays for — never earlier than Razorpay's 15-minute
 * minimum — and is reused while it is open, so a double tap or a repeated "send link" does not
 * spray links at the patient. Creating is reserve-then-call: the attempt is inserted first under
 * a unique index (one winner of concurrent requests), then Razorpay is asked.
 */
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { AppError, conflict } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import { assertCan } from '../../platform/rbac/can.js';
import { loadInvoiceRecord } from '../billing/invoice.service.js';
import type { InvoiceRecord } from '../billing/invoice.model.js';
import { isDuplicateKey } from '../patients/duplicate-key.js';
import { PaymentLink } from './payment-link.model.js';
import type { PaymentLinkRecord } from './payment-link.model.js';
import { toPaymentLinkView } from './payment-link.view.js';
import type { PaymentLinkView } from './payment-link.view.js';
import {
  cancelRazorpayLink,
  createRazorpayLink,
  findRazorpayLinksByReference,
  RazorpayError,
} from './razorpay.client.js';
import type { NewRazorpayLink, RazorpayLink } from './razorpay.client.js';

/** Razorpay refuses links that expire sooner than this; one minute more absorbs clock skew. */
export const MIN_LINK_LIFETIME_MS = 16 * 60_000;
/** A link for an ordinary unpaid invoice (no hold behind it) stays open a day. */
export const DEFAULT_LINK_LIFETIME_MS = 24 * 60 * 60_000;
/** An open link closer than this to its expiry is replaced rather than resent. */
const REUSE_MARGIN_MS = 5 * 60_000;
/** Razorpay's smallest payment: ₹1. */
const MIN_AMOUNT_PAISE = 100;

/** What a link is for. */
export interface PaymentLinkRequest {
  invoiceId: string;
  appointmentId?: string;
  /** Defaults to what is due; capped by it. */
  amountPaise?: number;
  /** The hold it pays for lapses then; the link outlives it by Razorpay's minimum at least. */
  holdExpiresAt?: Date;
  description?: string;
}

/** When a link asked for now should expire. */
export function linkExpiry(now: Date, holdExpiresAt?: Date): Date {
  const earliest = now.getTime() + MIN_LINK_LIFETIME_MS;
  const wanted = holdExpiresAt ? holdExpiresAt.getTime() : now.getTime() + DEFAULT_LINK_LIFETIME_MS;
  // Whole seconds: Razorpay takes unix seconds, and the stored expiry must equal what it was told.
  return new Date(Math.ceil(Math.max(earliest, wanted) / 1000) * 1000);
}

function referenceIdOf(invoiceId: string, attempt: number): string {
  return attempt === 1 ? invoiceId : `${invoiceId}-${attempt}`;
}

function assertPayable(invoice: InvoiceRecord, amountPaise: number): void {
  if (!['issued', 'partially_paid'].includes(invoice.status)) {
    throw conflict(
      invoice.status === 'paid'
        ? 'This invoice is already paid'
        : `An invoice that is ${invoice.status} cannot be paid`,
      { reason: 'invoice_not_payable', currentStatus: invoice.status },
    );
  }
  if (amountPaise < MIN_AMOUNT_PAISE)
    throw conflict('Razorpay takes payments of ₹1 or more', { reason: 'amount_too_small', amountPaise });
}

function reusable(link: PaymentLinkRecord | null, amountPaise: number, expireBy: Date, now: Date): boolean {
  return (
    link !== null &&
    link.status === 'created' &&
    link.amountPaise === amountPaise &&
    link.expireBy.getTime() - now.getTime() > REUSE_MARGIN_MS &&
    link.expireBy.getTime() >= expireBy.getTime() - REUSE_MARGIN_MS
  );
}

async function retire(link: PaymentLinkRecord | null): Promise<void> {
  if (link?.status !== 'created' || !link.providerLinkId) return;
  // A stale link (other amount, about to expire) is closed so only the new one can take money.
  await cancelRazorpayLink(link.providerLinkId).then(
    () =>
      PaymentLink.updateOne(
        { _id: link._id, status: 'created' },
        { $set: { status: 'cancelled', cancelledAt: new Date() } },
      ),
    (error: unknown) => log().warn({ err: error, paymentLinkId: String(link._id) }, 'stale payment link not cancelled'),
  );
}

async function reserve(
  actor: Actor,
  invoice: InvoiceRecord,
  request: PaymentLinkRequest,
  amountPaise: number,
  expireBy: Date,
  attempt: number,
): Promise<PaymentLinkRecord | null> {
  try {
    const doc = await PaymentLink.create({
      clinicId: invoice.clinicId,
      invoiceId: invoice._id,
      ...(request.appointmentId ? { appointmentId: request.appointmentId } : {}),
      patientId: invoice.patientId,
      attempt,
      referenceId: referenceIdOf(String(invoice._id), attempt),
      amountPaise,
      expireBy,
      status: 'creating',
      createdBy: actor.id,
    });
    return doc.toObject() as PaymentLinkRecord;
  } catch (error) {
    if (isDuplicateKey(error, 'payment_link_attempt_unique')) return null;
    throw error;
  }
}

/**
 * Creates the link, or — when an earlier try of this same attempt reached Razorpay but its answer
 * was lost (Razorpay then refuses the reused reference id) — adopts the link made then.
 */
async function createOrAdopt(link: NewRazorpayLink): Promise<RazorpayLink> {
  try {
    return await createRazorpayLink(link);
  } catch (error) {
    if (!(error instanceof RazorpayError) || error.retryable || !/reference_id/i.test(error.message)) throw error;
    const [earlier] = await findRazorpayLinksByReference(link.referenceId);
    if (earlier?.status === 'created' && earlier.amount === link.amountPaise) return earlier;
    throw error;
  }
}

async function createAtRazorpay(
  actor: Actor,
  invoice: InvoiceRecord,
  reserved: PaymentLinkRecord,
  description: string,
): Promise<PaymentLinkRecord> {
  let link;
  try {
    link = await createOrAdopt({
      amountPaise: reserved.amountPaise,
      referenceId: reserved.referenceId,
      description,
      expireBy: Math.floor(reserved.expireBy.getTime() / 1000),
      notes: {
        clinicId: String(invoice.clinicId),
        invoiceId: String(invoice._id),
        ...(reserved.appointmentId ? { appointmentId: String(reserved.appointmentId) } : {}),
      },
    });
  } catch (error) {
    await PaymentLink.updateOne({ _id: reserved._id, status: 'creating' }, { $set: { status: 'failed' } });
    log().warn({ err: error, paymentLinkId: String(reserved._id) }, 'payment link not created');
    throw new AppError(
      'payment_provider_unavailable',
      502,
      'The payment link could not be created just now; please try again',
      { reason: 'razorpay_error' },
    );
  }
  const created = await PaymentLink.findOneAndUpdate(
    { _id: reserved._id, status: 'creating' },
    { $set: { status: 'created', providerLinkId: link.id, shortUrl: link.short_url } },
    { new: true },
  ).lean<PaymentLinkRecord>();
  await audit.record({
    actor,
    action: 'payment_link.created',
    entity: { type: 'payment_link', id: String(reserved._id) },
    diff: [
      { field: 'invoiceId', to: String(invoice._id) },
      { field: 'amountPaise', to: reserved.amountPaise },
      { field: 'providerLinkId', to: link.id },
      { field: 'expireBy', to: reserved.expireBy.toISOString() },
    ],
  });
  return created!;
}

/**
 * A failed attempt for the same amount is tried again under the same reference id, so a link that
 * Razorpay did create (its answer lost to a timeout) is found rather than doubled.
 */
async function retryFailed(
  newest: PaymentLinkRecord | null,
  amountPaise: number,
  expireBy: Date,
): Promise<PaymentLinkRecord | null> {
  if (newest?.status !== 'failed' || newest.amountPaise !== amountPaise) return null;
  return PaymentLink.findOneAndUpdate(
    { _id: newest._id, status: 'failed' },
    { $set: { status: 'creating', expireBy } },
    { new: true },
  ).lean<PaymentLinkRecord>();
}

/**
 * A payment link for an issued invoice: the open one if it still fits (same amount, not about to
 * expire), else a new one. 409 when the invoice cannot be paid or another request is creating a
 * link at this moment; 502 when Razorpay cannot be reached.
 */
export async function paymentLinkForInvoice(actor: Actor, request: PaymentLinkRequest): Promise<PaymentLinkView> {
  const invoice = await loadInvoiceRecord(actor.clinicId, request.invoiceId);
  assertCan(actor, 'create', 'payments', { clinicId: invoice.clinicId, patientId: invoice.patientId });
  const amountPaise = Math.min(request.amountPaise ?? invoice.duePaise, invoice.duePaise);
  assertPayable(invoice, amountPaise);
  const now = new Date();
  const expireBy = linkExpiry(now, request.holdExpiresAt);
  const newest = await PaymentLink.findOne({ clinicId: invoice.clinicId, invoiceId: invoice._id })
    .sort({ attempt: -1 })
    .lean<PaymentLinkRecord>();
  if (newest && reusable(newest, amountPaise, expireBy, now)) return toPaymentLinkView(newest);
  if (newest?.status === 'creating' && now.getTime() - newest.createdAt.getTime() < 60_000) {
    throw conflict('A payment link for this invoice is being created; try again in a moment', {
      reason: 'link_in_progress',
    });
  }
  await retire(newest);
  const reserved =
    (await retryFailed(newest, amountPaise, expireBy)) ??
    (await reserve(actor, invoice, request, amountPaise, expireBy, (newest?.attempt ?? 0) + 1));
  if (!reserved)
    throw conflict('A payment link for this invoice is being created; try again in a moment', {
      reason: 'link_in_progress',
    });
  const description = request.description ?? `Invoice ${invoice.number ?? ''}`.trim();
  return toPaymentLinkView(await createAtRazorpay(actor, invoice, reserved, description));
}

/** Our link record for Razorpay's link id, or null. */
export async function findLinkByProviderId(providerLinkId: string): Promise<PaymentLinkRecord | null> {
  return PaymentLink.findOne({ providerLinkId }).lean<PaymentLinkRecord>();
}
