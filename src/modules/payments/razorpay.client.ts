/**
 * The one door to Razorpay: the official SDK, pointed at `config.razorpay.apiUrl` (Razorpay in
 * production, the local stand-in in sandbox mode — the code path is the same). The SDK hard-codes
 * `https://api.razorpay.com`, so the base URL of its axios instance is swapped after construction,
 * and refunds go through that same instance because the SDK drops custom headers such as
 * `X-Refund-Idempotency`. Every failure becomes a RazorpayError that says whether a retry may help.
 */
import Razorpay from 'razorpay';
import type { Config } from '../../config.js';

/** A failed Razorpay call: `retryable` for timeouts, network errors, 429 and 5xx. */
export class RazorpayError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly code: string | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'RazorpayError';
  }
}

/** The parts of a payment link entity we read. */
export interface RazorpayLink {
  id: string;
  short_url: string;
  status: 'created' | 'partially_paid' | 'paid' | 'cancelled' | 'expired';
  amount: number;
  amount_paid: number;
  reference_id?: string;
  expire_by?: number;
}

/** The parts of a refund entity we read. */
export interface RazorpayRefund {
  id: string;
  payment_id: string;
  amount: number;
  status: 'pending' | 'processed' | 'failed';
}

/** What a payment link is created with (amounts in paise, `expireBy` in unix seconds). */
export interface NewRazorpayLink {
  amountPaise: number;
  referenceId: string;
  description: string;
  expireBy: number;
  notes: Record<string, string>;
}

interface AxiosLike {
  defaults: { baseURL?: string; timeout?: number };
  post: (url: string, data: unknown, options?: { headers?: Record<string, string> }) => Promise<{ data: unknown }>;
}

type Sdk = InstanceType<typeof Razorpay> & { api: { rq: AxiosLike } };

let client: { sdk: Sdk; rq: AxiosLike } | undefined;

/** Builds the SDK client for `config` (called once at boot; tests build one per app). */
export function configureRazorpay(config: Config): void {
  const sdk = new Razorpay({ key_id: config.razorpay.keyId, key_secret: config.razorpay.keySecret }) as Sdk;
  const rq = sdk.api.rq;
  // apiUrl names the versioned root (…/v1); the SDK adds `/v1` to every path itself.
  rq.defaults.baseURL = config.razorpay.apiUrl.replace(/\/v1$/, '');
  // Long enough for Razorpay on a slow day, short enough that a stuck call is retried by its job.
  rq.defaults.timeout = config.razorpay.timeoutMs;
  client = { sdk, rq };
}

function current(): { sdk: Sdk; rq: AxiosLike } {
  if (!client) throw new Error('Razorpay is not configured');
  return client;
}

/** Maps what the SDK or axios threw to a RazorpayError. */
export function toRazorpayError(error: unknown): RazorpayError {
  if (error instanceof RazorpayError) return error;
  const sdkError = error as {
    statusCode?: number;
    error?: { code?: string; description?: string };
    response?: { status?: number; data?: { error?: { code?: string; description?: string } } };
  };
  const status = sdkError.statusCode ?? sdkError.response?.status;
  const detail = sdkError.error ?? sdkError.response?.data?.error;
  if (status === undefined) return new RazorpayError('Razorpay could not be reached', undefined, 'network', true);
  return new RazorpayError(
    detail?.description ?? `Razorpay answered ${status}`,
    status,
    detail?.code,
    status === 429 || status >= 500,
  );
}

async function call<T>(run: () => Promise<unknown>): Promise<T> {
  try {
    return (await run()) as T;
  } catch (error) {
    // The SDK's own error mapper throws a TypeError when there is no response (timeouts).
    throw toRazorpayError(error);
  }
}

/** Creates a payment link; Razorpay's SMS, e-mail and reminders are off because we message on WhatsApp. */
export function createRazorpayLink(link: NewRazorpayLink): Promise<RazorpayLink> {
  const body = {
    amount: link.amountPaise,
    currency: 'INR',
    accept_partial: false,
    reference_id: link.referenceId,
    description: link.description,
    expire_by: link.expireBy,
    notify: { sms: false, email: false },
    reminder_enable: false,
    notes: link.notes,
  };
  // No customer block: Razorpay does not need the patient's name or number to take the payment.
  return call(() => current().sdk.paymentLink.create(body as unknown as Parameters<Sdk['paymentLink']['create']>[0]));
}

/** Fetches a payment link. */
export function fetchRazorpayLink(linkId: string): Promise<RazorpayLink> {
  return call(() => current().sdk.paymentLink.fetch(linkId));
}

/** The links Razorpay holds under `referenceId` (at most one, as it refuses duplicates). */
export async function findRazorpayLinksByReference(referenceId: string): Promise<RazorpayLink[]> {
  const page = await call<{ payment_links?: RazorpayLink[] }>(() =>
    current().sdk.paymentLink.all({ reference_id: referenceId } as never),
  );
  return page.payment_links ?? [];
}

/** Cancels a payment link that is still open. */
export function cancelRazorpayLink(linkId: string): Promise<RazorpayLink> {
  return call(() => current().sdk.paymentLink.cancel(linkId));
}

/** Refunds `amountPaise` of a payment; the same `idempotencyKey` never refunds twice. */
export function createRazorpayRefund(
  paymentId: string,
  amountPaise: number,
  idempotencyKey: string,
  notes: Record<string, string>,
): Promise<RazorpayRefund> {
  return call(async () => {
    const response = await current().rq.post(
      `/v1/payments/${encodeURIComponent(paymentId)}/refund`,
      { amount: amountPaise, speed: 'normal', notes },
      { headers: { 'X-Refund-Idempotency': idempotencyKey } },
    );
    return response.data;
  });
}
