/**
 * Payment links at the stand-in: create (with Razorpay's validation and the `link_500` fault),
 * fetch (a link past its expire_by reads as `expired`), list by reference_id, cancel, and the
 * sandbox's own "expire now" so tests need not wait 15 minutes.
 */
import { AppError, notFound } from '../../platform/errors.js';
import { log } from '../../platform/logger.js';
import type { Runtime } from '../../platform/runtime.js';
import { linkEntity, linkStatusNow } from './entities.js';
import { firstAttempt, linkFault } from './faults.js';
import { isRazorpayId, newRazorpayId, unixSeconds } from './ids.js';
import { RazorpayError, badRequestError, idDoesNotExist } from './razorpay-error.js';
import { MIN_EXPIRY_SECONDS } from './razorpay.schemas.js';
import type { CreateLinkBody } from './razorpay.schemas.js';
import { sandboxLinks } from './sandbox-link.model.js';
import type { SandboxLinkRecord } from './sandbox-link.model.js';

const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;

/** The link `linkId` of this account, or undefined. */
export async function findLink(runtime: Runtime, linkId: string): Promise<SandboxLinkRecord | undefined> {
  if (!isRazorpayId('plink', linkId)) return undefined;
  return (
    (await sandboxLinks().findOne({ keyId: runtime.config.razorpay.keyId, linkId }).lean<SandboxLinkRecord>()) ??
    undefined
  );
}

async function linkOrRazorpayError(runtime: Runtime, linkId: string): Promise<SandboxLinkRecord> {
  const link = await findLink(runtime, linkId);
  if (!link) throw idDoesNotExist();
  return link;
}

/** `POST /v1/payment_links`: validates as Razorpay does, stores the link and answers its entity. */
export async function createLink(runtime: Runtime, body: CreateLinkBody): Promise<Record<string, unknown>> {
  const now = unixSeconds();
  if (body.expire_by !== undefined && body.expire_by < now + MIN_EXPIRY_SECONDS) {
    throw badRequestError('expire_by: timestamp must be atleast 15 minutes in future', 'expire_by');
  }
  // Keyed by reference_id (not the whole body) so a retry that recomputes expire_by is still "the retry".
  const { expire_by: _expireBy, ...stable } = body;
  if (linkFault(body.amount, body.notes) && firstAttempt(`link|${body.reference_id ?? JSON.stringify(stable)}`)) {
    throw new RazorpayError(
      500,
      'SERVER_ERROR',
      'The server encountered an error. The incident has been reported to admins.',
    );
  }
  const linkId = newRazorpayId('plink');
  try {
    const created = await sandboxLinks().create({
      keyId: runtime.config.razorpay.keyId,
      linkId,
      referenceKey: body.reference_id ?? linkId,
      referenceId: body.reference_id ?? null,
      orderId: newRazorpayId('order'),
      amount: body.amount,
      currency: body.currency,
      description: body.description,
      customer: body.customer,
      notify: body.notify,
      reminderEnable: body.reminder_enable,
      notes: body.notes ?? null,
      acceptPartial: body.accept_partial,
      firstMinPartialAmount: body.first_min_partial_amount,
      callbackUrl: body.callback_url,
      callbackMethod: body.callback_method,
      upiLink: body.upi_link,
      expireBy: body.expire_by ?? null,
      status: 'created',
      createdAt: now,
      updatedAt: now,
    });
    log().info({ paymentLinkId: linkId }, 'sandbox razorpay link created');
    return linkEntity(created.toObject() as SandboxLinkRecord, runtime.config.publicUrl);
  } catch (error) {
    if (isDuplicateKey(error)) throw badRequestError('reference_id already exists', 'reference_id');
    throw error;
  }
}

/** `GET /v1/payment_links/:id`. */
export async function fetchLink(runtime: Runtime, linkId: string): Promise<Record<string, unknown>> {
  return linkEntity(await linkOrRazorpayError(runtime, linkId), runtime.config.publicUrl);
}

/** `GET /v1/payment_links?reference_id=&payment_id=`: newest first, at most 100, as `{ payment_links }`. */
export async function listLinks(
  runtime: Runtime,
  query: { reference_id?: string | undefined; payment_id?: string | undefined },
): Promise<{ payment_links: Record<string, unknown>[] }> {
  const filter: Record<string, unknown> = { keyId: runtime.config.razorpay.keyId };
  if (query.reference_id) filter.referenceKey = query.reference_id;
  if (query.payment_id) filter['payments.paymentId'] = query.payment_id;
  const links = await sandboxLinks()
    .find(filter)
    .sort({ createdAt: -1, _id: -1 })
    .limit(100)
    .lean<SandboxLinkRecord[]>();
  return { payment_links: links.map((link) => linkEntity(link, runtime.config.publicUrl)) };
}

/** Why a link that is not `created` cannot be cancelled, in Razorpay's manner. */
const cannotCancel: Record<string, string> = {
  paid: 'Payment Link cannot be cancelled as it has already been paid',
  cancelled: 'Payment Link has already been cancelled',
  expired: 'Payment Link cannot be cancelled as it has expired',
};

/** `POST /v1/payment_links/:id/cancel`: only a `created`, unexpired link; the winner of a race with Pay decides. */
export async function cancelLink(runtime: Runtime, linkId: string): Promise<Record<string, unknown>> {
  const link = await linkOrRazorpayError(runtime, linkId);
  const now = unixSeconds();
  const cancelled = await sandboxLinks()
    .findOneAndUpdate(
      { keyId: link.keyId, linkId, status: 'created', $or: [{ expireBy: null }, { expireBy: { $gt: now } }] },
      { $set: { status: 'cancelled', cancelledAt: now, updatedAt: now } },
      { new: true },
    )
    .lean<SandboxLinkRecord>();
  if (cancelled) {
    log().info({ paymentLinkId: linkId }, 'sandbox razorpay link cancelled');
    return linkEntity(cancelled, runtime.config.publicUrl);
  }
  const current = await linkOrRazorpayError(runtime, linkId);
  throw badRequestError(cannotCancel[linkStatusNow(current)] ?? 'Payment Link cannot be cancelled');
}

/** Sandbox only: expires a `created` link now, as if its expire_by had passed. */
export async function expireLinkNow(
  runtime: Runtime,
  linkId: string,
): Promise<{ paymentLinkId: string; status: string }> {
  if (!(await findLink(runtime, linkId))) throw notFound('Payment link');
  const now = unixSeconds();
  const expired = await sandboxLinks().findOneAndUpdate(
    { keyId: runtime.config.razorpay.keyId, linkId, status: 'created' },
    { $set: { status: 'expired', expiredAt: now, updatedAt: now } },
    { new: true },
  );
  if (!expired) throw new AppError('link_not_open', 400, 'Only a link that is still open (created) can be expired');
  return { paymentLinkId: linkId, status: 'expired' };
}
