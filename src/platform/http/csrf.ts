/**
 * Cross-site request forgery defences, in three layers (SameSite=Lax alone does not stop a page on
 * another port or subdomain of the same site, which browsers count as "same site"):
 *
 * 1. `sameOriginGuard` — every state-changing request that comes from a browser must come from an
 *    allowed origin: `Origin` must be PUBLIC_URL's origin, one of CORS_ORIGINS, or the origin the
 *    request itself was addressed to; without `Origin` (or with `null`), `Sec-Fetch-Site` must be
 *    `same-origin` ("same-site" is not enough: another port of this host is the same site).
 *    A request with neither header is not from a browser (every current browser sends `Origin` on
 *    a POST), so it cannot carry a victim's cookies by forgery; scripts with a cookie jar go on.
 * 2. `jsonBodiesOnly` — the JSON API takes only `application/json` bodies (415 otherwise): a form
 *    or `text/plain` body is what a cross-site page can send without a CORS preflight.
 * 3. `csrfTokens` — HTML forms (doctor view, staff panel, portal) carry a synchronizer token tied
 *    to the session: HMAC(secret, cookie name + session id). Nothing is stored; a new session (new
 *    id at every sign-in) gets a new token. Pages render it with `csrfHiddenInput()`.
 *
 * Adopting it for a server-rendered area with its own session cookie:
 *
 *   router.use(csrfTokens({ secret: config.security.sessionSecret, sessionCookie: 'my.sid' }));
 *   // in every <form method="post">:  ${csrfField()}  (platform html), csrfHiddenInput() (a string),
 *   // or the X-CSRF-Token header with csrfToken() for a script's fetch
 */
import { createHmac } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { sameSecret } from '../crypto/same-secret.js';
import { AppError } from '../errors.js';
import { currentScope } from '../request-scope.js';
import { html } from './html.js';
import type { SafeHtml } from './html.js';

/** Methods that change nothing; everything else is state-changing. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The form field and the header that carry the token. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** True for methods that may change state. */
export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

const crossOrigin = () =>
  new AppError('cross_origin_request', 403, 'This request came from another site and was refused');

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The origins a browser may send state-changing requests from: PUBLIC_URL and CORS_ORIGINS. */
export function allowedOrigins(publicUrl: string, corsOrigins: readonly string[]): Set<string> {
  return new Set([publicUrl, ...corsOrigins].map(originOf).filter((origin): origin is string => Boolean(origin)));
}

/** The origin `req` was addressed to, as a browser on the same origin would name it. */
function ownOrigin(req: Request): string | undefined {
  const host = req.get('host');
  return host ? originOf(`${req.protocol}://${host}`) : undefined;
}

/** Refuses (403 `cross_origin_request`) a state-changing browser request from an origin not allowed. */
export function sameOriginGuard(allowed: ReadonlySet<string>): RequestHandler {
  return (req, _res, next) => {
    if (!isStateChanging(req.method)) return next();
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    // "null" comes from sandboxed frames and privacy-sensitive redirects, and from form posts under
    // Referrer-Policy: no-referrer; only the browser's own Sec-Fetch-Site can then vouch for it.
    if (origin !== undefined && origin !== 'null') {
      if (allowed.has(origin) || origin === ownOrigin(req)) return next();
      return next(crossOrigin());
    }
    if (origin === 'null' && site === undefined) return next(crossOrigin());
    // "none": the person typed the address or used a bookmark, which no other site can make happen.
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return next(crossOrigin());
    next();
  };
}

/** True when the request has a body (any length header above zero, or a chunked one). */
function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  if (length !== undefined) return Number(length) > 0;
  return req.get('transfer-encoding') !== undefined;
}

/** Answers 415 to a state-changing request whose body is not JSON (`application/json` or `+json`). */
export function jsonBodiesOnly(): RequestHandler {
  return (req, _res, next) => {
    if (!isStateChanging(req.method) || !hasBody(req)) return next();
    if (req.is(['application/json', 'application/*+json'])) return next();
    next(new AppError('unsupported_media_type', 415, 'The API accepts only application/json bodies'));
  };
}

/** The token for session `sessionId` held in cookie `sessionCookie`. */
export function csrfTokenFor(secret: string, sessionCookie: string, sessionId: string): string {
  return createHmac('sha256', secret).update(`cinic:csrf:${sessionCookie}:${sessionId}`).digest('base64url');
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(separator + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Options of `csrfTokens`. */
export interface CsrfOptions {
  /** A server secret (the session secret); tokens are HMACs under it. */
  secret: string;
  /** The cookie holding the session id the tokens are tied to. */
  sessionCookie: string;
  /** Paths (exact, as `req.path` sees them) whose posts need no token: sign-in forms, which have no session yet. */
  exempt?: readonly string[];
}

/**
 * For a server-rendered area: makes the session's token available to the pages rendered for this
 * request (`csrfToken()`, `csrfHiddenInput()`), and refuses (403 `csrf_token_invalid`) a
 * state-changing request that carries the session cookie without the matching token in the
 * `_csrf` form field or the X-CSRF-Token header. Mount after the body parsers.
 */
export function csrfTokens(options: CsrfOptions): RequestHandler {
  const exempt = new Set(options.exempt ?? []);
  return (req, _res, next) => {
    const sessionId = cookieValue(req, options.sessionCookie);
    if (!sessionId) return next();
    const expected = csrfTokenFor(options.secret, options.sessionCookie, sessionId);
    const scope = currentScope();
    if (scope) scope.csrfToken = expected;
    if (!isStateChanging(req.method) || exempt.has(req.path)) return next();
    const body = req.body as Record<string, unknown> | undefined;
    const given = (typeof body?.[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : undefined) ?? req.get(CSRF_HEADER);
    if (typeof given === 'string' && sameSecret(given, expected)) return next();
    next(
      new AppError(
        'csrf_token_invalid',
        403,
        'This form has expired or did not come from this site; reload the page and try again',
      ),
    );
  };
}

/** The CSRF token of the session being served, if `csrfTokens` ran for this request. */
export function csrfToken(): string | undefined {
  return currentScope()?.csrfToken;
}

/** The hidden form field carrying the token, for pages written with platform/http/html.ts (empty without a session). */
export function csrfField(): SafeHtml {
  const token = csrfToken();
  return token ? html`<input type="hidden" name="${CSRF_FIELD}" value="${token}" />` : html``;
}

/** The same field as a plain string, for pages rendered another way (AdminJS components, templates). */
export function csrfHiddenInput(): string {
  return csrfField().toString();
}
