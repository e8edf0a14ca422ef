/**
 * The portal's error handler: a signed-out visitor goes back to sign-in; anything that is not the
 * patient's to see — another family's record, an id from someone else's link, a role denial — is
 * the same plain 404 page as a record that does not exist, so ids cannot be probed.
 */
import type { ErrorRequestHandler } from 'express';
import { ensureDefaultClinic } from '../modules/clinics/index.js';
import { AppError } from '../platform/errors.js';
import { html } from '../platform/http/html.js';
import { log } from '../platform/logger.js';
import { t } from './i18n.js';
import type { PortalLanguage } from './i18n.js';
import { page } from './layout.js';

/** Renders portal errors as pages (mounted after the portal routes, for /portal only). */
export function portalErrors(): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error instanceof AppError ? error.status : 500;
    if (status === 401) return res.redirect(303, '/portal?n=sessionEnded');
    const lang: PortalLanguage = req.get('accept-language')?.startsWith('hi') ? 'hi' : 'en';
    const w = t(lang);
    const hidden = status === 403 || status === 404;
    if (status >= 500) log().error({ err: error }, 'portal page failed');
    void ensureDefaultClinic().then(
      (clinic) =>
        res
          .status(hidden ? 404 : status)
          .set('cache-control', 'no-store')
          .type('html')
          .send(
            page({
              lang,
              clinicName: clinic.name,
              title: hidden ? w.notFound : w.error,
              body: html`<section class="card">
                <h1>${hidden ? w.notFound : w.error}</h1>
                <p>${hidden ? w.notFoundText : status < 500 && error instanceof AppError ? error.message : w.error}</p>
                <p><a class="btn" href="/portal/home">${w.back}</a></p>
              </section>`,
            }),
          ),
      (failure: unknown) => next(failure),
    );
  };
}
