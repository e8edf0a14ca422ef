/**
 * The two auth cookies. `cinic.sid` is the session (a browser-session cookie; the server enforces
 * the idle and absolute limits). `cinic.did` identifies the device for approval and lives ~400
 * days (the most browsers keep). Both are HttpOnly and SameSite=Lax, and Secure in production.
 */
import type { CookieOptions, Request, Response } from 'express';
import type { Config } from '../../config.js';

/** Session cookie name. */
export const SESSION_COOKIE = 'cinic.sid';
/** Device cookie name. */
export const DEVICE_COOKIE = 'cinic.did';

const DEVICE_COOKIE_MAX_AGE_MS = 400 * 24 * 3_600_000;

function baseOptions(config: Config): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.isProduction, path: '/' };
}

/** Reads one cookie from the Cookie header (no cookie-parser needed for two names). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
    const raw = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Sets the session cookie. */
export function setSessionCookie(res: Response, config: Config, sessionId: string): void {
  res.cookie(SESSION_COOKIE, sessionId, baseOptions(config));
}

/** Clears the session cookie (logout, expired session). */
export function clearSessionCookie(res: Response, config: Config): void {
  res.clearCookie(SESSION_COOKIE, baseOptions(config));
}

/** Sets the long-lived device cookie. */
export function setDeviceCookie(res: Response, config: Config, deviceToken: string): void {
  res.cookie(DEVICE_COOKIE, deviceToken, { ...baseOptions(config), maxAge: DEVICE_COOKIE_MAX_AGE_MS });
}
