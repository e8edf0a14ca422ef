/**
 * Razorpay sandbox test helpers: the real `razorpay` SDK pointed at the stand-in (exactly as the
 * app points it: the axios baseURL swapped, refunds through that axios instance because the SDK
 * drops custom headers), a capture server standing in for our webhook endpoint so deliveries can
 * be inspected byte for byte, and the sandbox's own endpoints.
 */
import http from 'node:http';
import Razorpay from 'razorpay';
import { freePort } from '../../scripts/local-services.mjs';
import type { Config } from '../../src/config.js';
import type { SandboxEventView } from '../../src/sandbox/razorpay/index.js';

/** The part of the SDK's axios instance tests use. */
export interface AxiosLike {
  defaults: { baseURL?: string };
  post: <T = Record<string, unknown>>(
    url: string,
    data?: unknown,
    config?: { headers?: Record<string, string>; timeout?: number },
  ) => Promise<{ status: number; data: T }>;
  get: <T = Record<string, unknown>>(url: string) => Promise<{ status: number; data: T }>;
}

/** The SDK with its axios instance exposed. */
export type RazorpaySdk = InstanceType<typeof Razorpay> & { api: { rq: AxiosLike } };

/** What the SDK rejects with when Razorpay answers an error. */
export interface SdkError {
  statusCode: number;
  error: {
    code: string;
    description: string;
    field?: string;
    source?: string;
    step?: string;
    reason?: string;
    metadata?: Record<string, unknown>;
  };
}

/** The real SDK against the stand-in of the app at `baseUrl` (credentials from `config`, or others to test auth). */
export function razorpayClient(
  config: Config,
  baseUrl: string,
  credentials = { key_id: config.razorpay.keyId, key_secret: config.razorpay.keySecret },
): { sdk: RazorpaySdk; rq: AxiosLike } {
  const sdk = new Razorpay(credentials) as RazorpaySdk;
  // The SDK adds `/v1` to every path itself.
  sdk.api.rq.defaults.baseURL = `${baseUrl}/sandbox/razorpay/api`;
  return { sdk, rq: sdk.api.rq };
}

/** The SDK error a promise rejected with (fails the test if it resolved). */
export async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the Razorpay call to fail');
}

/** Unix seconds `minutes` from now: an expire_by Razorpay accepts when ≥ 15. */
export const expiresIn = (minutes: number) => Math.floor(Date.now() / 1000) + minutes * 60;

/** One webhook POST the capture server received. */
export interface CapturedDelivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A stand-in for our POST /webhooks/razorpay that records every delivery and answers `status`. */
export interface WebhookCapture {
  url: string;
  deliveries: CapturedDelivery[];
  /** What it answers next (change it to make the stand-in retry). */
  status: number;
  close(): Promise<void>;
}

/** Starts a capture server; point the app's PUBLIC_URL at `url` so the stand-in delivers to it. */
export async function startWebhookCapture(): Promise<WebhookCapture> {
  const port = await freePort();
  const capture: WebhookCapture = {
    url: `http://127.0.0.1:${port}`,
    deliveries: [],
    status: 200,
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/webhooks/razorpay') {
        capture.deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        res.writeHead(capture.status).end();
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  capture.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return capture;
}

/** What the sandbox's pay and fail endpoints answer. */
export interface CheckoutOutcome {
  paymentId: string;
  paymentLinkId: string;
  status: 'captured' | 'failed';
  events: { id: string; event: string }[];
}

async function sandboxCall<T>(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}/sandbox/razorpay${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Presses Pay (or Fail) on a link through the sandbox endpoint; `options` as the endpoint takes them. */
export function checkout(
  baseUrl: string,
  linkId: string,
  action: 'pay' | 'fail',
  options: { deliver?: boolean; late?: boolean } = {},
) {
  return sandboxCall<CheckoutOutcome & { code?: string; detail?: string }>(
    baseUrl,
    'POST',
    `/payment_links/${linkId}/${action}`,
    options,
  );
}

/** The stored events of a link, payment or refund, oldest first. */
export async function storedEvents(
  baseUrl: string,
  filter: { paymentLinkId?: string; paymentId?: string; refundId?: string },
): Promise<SandboxEventView[]> {
  const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value) as [string, string][]);
  return (await sandboxCall<{ events: SandboxEventView[] }>(baseUrl, 'GET', `/events?${query}`)).body.events;
}

/** Delivers a stored event again; answers the event with its delivery state. */
export async function resendEvent(baseUrl: string, eventId: string): Promise<SandboxEventView> {
  return (await sandboxCall<SandboxEventView>(baseUrl, 'POST', `/events/${eventId}/resend`)).body;
}

/** Expires an open link now. */
export function expireLink(baseUrl: string, linkId: string) {
  return sandboxCall<{ paymentLinkId: string; status: string }>(baseUrl, 'POST', `/payment_links/${linkId}/expire`);
}
