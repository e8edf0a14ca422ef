/**
 * Helmet's headers and a closed-by-default CORS policy: only origins listed in CORS_ORIGINS get
 * CORS headers; everyone else is same-origin only.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Helmet with a CSP that allows our own inline-free pages and the sandbox's data: images. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Not helmet's no-referrer: under it Chromium sends `Origin: null` on our own form posts, which
    // the CSRF guard must then refuse or trust less. same-origin still leaks nothing to other sites.
    referrerPolicy: { policy: 'same-origin' },
  });
}

/** Adds CORS headers for allow-listed origins and answers their preflight requests. */
export function cors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET,POST,PUT,PATCH,DELETE');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type,X-Request-Id');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
