/**
 * Cross-site request checks for the portal's forms: a POST must come from our own pages
 * (`Sec-Fetch-Site` same-origin, or an `Origin` equal to ours) and, once signed in, carry the
 * hidden `_csrf` field — an HMAC of the session id, so a page from another origin cannot know it.
 * SameSite=Lax alone does not stop another port or subdomain of the same site.
 */
import { createHmac } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Config } from '../config.js';
import { sameSecret } from '../platform/crypto/same-secret.js';
import { forbidden } from '../platform/errors.js';

/** The form token for a signed-in session. */
export function formToken(config: Pick<Config, 'security'>, sessionId: string): string {
  return createHmac('sha256', config.security.sessionSecret).update(`portal-form:${sessionId}`).digest('base64url');
}

function sameOrigin(req: Request, config: Pick<Config, 'publicUrl'>): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = req.get('origin');
  if (origin === undefined) return true;
  const ours = new Set([new URL(config.publicUrl).origin, `${req.protocol}://${req.get('host')}`]);
  return ours.has(origin);
}

/** Refuses (403) a POST from another site. */
export function sameOriginOnly(config: Pick<Config, 'publicUrl'>): RequestHandler {
  return (req, _res, next) => {
    if (req.method !== 'POST' || sameOrigin(req, config)) return next();
    next(forbidden('This form must be sent from the portal itself'));
  };
}

/** Refuses (403) a signed-in POST without the session's form token. */
export function checkFormToken(config: Pick<Config, 'security'>, req: Request, sessionId: string): void {
  const given = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof given !== 'string' || !sameSecret(given, formToken(config, sessionId)))
    throw forbidden('The form has expired; reload the page and try again');
}
