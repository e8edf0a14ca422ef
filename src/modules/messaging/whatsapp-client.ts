/**
 * The Cloud API client: whatsapp-api-js with a fetch that (1) swaps the library's hard-coded
 * https://graph.facebook.com for WHATSAPP_API_URL — the sandbox stand-in locally, Graph in
 * production, same code path — and (2) turns a non-2xx answer into a GraphApiError carrying the
 * HTTP status. The library parses every answer as a success body and would lose the status, which
 * is what decides between retrying (429, 5xx) and giving up (other 4xx).
 */
import { WhatsAppAPI } from 'whatsapp-api-js';
import type { Config } from '../../config.js';
import { toClientMessage } from './whatsapp-builders.js';
import { toCloudApiPayload } from './whatsapp-messages.js';
import type { OutboundMessage } from './whatsapp-messages.js';

/** Bound for one Graph request; a hung connection is retried like a network error. */
const REQUEST_TIMEOUT_MS = 15_000;

/** A failed Graph request: `httpStatus` is undefined for network errors and timeouts. */
export class GraphApiError extends Error {
  constructor(
    readonly httpStatus: number | undefined,
    readonly graphCode: number | undefined,
  ) {
    super(
      httpStatus === undefined
        ? 'Graph API unreachable'
        : `Graph API answered ${httpStatus}${graphCode === undefined ? '' : ` (code ${graphCode})`}`,
    );
    this.name = 'GraphApiError';
  }

  /** Throttling, server trouble and network errors pass; other 4xx will fail the same way again. */
  get retryable(): boolean {
    return this.httpStatus === undefined || this.httpStatus === 429 || this.httpStatus >= 500;
  }

  /** A short code for records and logs, e.g. `graph_400_131026`, `graph_network`. */
  get code(): string {
    if (this.httpStatus === undefined) return 'graph_network';
    return `graph_${this.httpStatus}${this.graphCode === undefined ? '' : `_${this.graphCode}`}`;
  }
}

/** `fetch` with the origin (and base path) of `apiUrl` in place of the library's Graph origin. */
export function originSwappingFetch(apiUrl: string): typeof fetch {
  const base = new URL(apiUrl);
  const basePath = base.pathname.replace(/\/$/, '');
  return async (input, init) => {
    const original = new URL(input instanceof Request ? input.url : String(input));
    const target = new URL(`${basePath}${original.pathname}${original.search}`, base.origin);
    let response: Response;
    try {
      response = await fetch(target, { ...init, signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch {
      throw new GraphApiError(undefined, undefined);
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown } } | undefined;
      const code = body?.error?.code;
      throw new GraphApiError(response.status, typeof code === 'number' ? code : undefined);
    }
    return response;
  };
}

/** Sends messages from the configured business number. */
export interface WhatsAppSender {
  /** Sends `message` to `to` (a WhatsApp id) and returns Meta's wamid; throws GraphApiError. */
  send(to: string, message: OutboundMessage): Promise<string>;
}

/** The sender for `config.whatsapp`, through whatsapp-api-js. */
export function createWhatsAppSender(config: Pick<Config, 'whatsapp'>): WhatsAppSender {
  const { accessToken, appSecret, apiVersion, apiUrl, phoneNumberId } = config.whatsapp;
  const api = new WhatsAppAPI({
    token: accessToken,
    appSecret,
    v: apiVersion,
    ponyfill: { fetch: originSwappingFetch(apiUrl) },
  });
  return {
    async send(to, message) {
      // Validates and normalises the recipient the same way the exact payload would.
      const recipient = toCloudApiPayload(to, message).to;
      const response = await api.sendMessage(phoneNumberId, recipient, toClientMessage(message));
      const wamid = 'messages' in response ? response.messages[0]?.id : undefined;
      // A 2xx without a wamid is not a send we can track; treat it like a server fault and retry.
      if (!wamid) throw new GraphApiError(502, undefined);
      return wamid;
    },
  };
}
