/**
 * The patient portal at /portal: server-rendered pages over the module APIs (no models, no rules
 * of its own), mobile first, English and Hindi, no client script. Sign-in is the patient-auth
 * module's one-time code; every page acts as the patient actor of the signed-in number.
 */
import type { DomainModule } from '../modules/index.js';
import { notFound } from '../platform/errors.js';
import { addHomeLink } from '../platform/http/home.routes.js';
import { sameOriginOnly } from './csrf.js';
import { portalErrors } from './errors.js';
import { homeRoutes } from './home.routes.js';
import { signInRoutes } from './sign-in.routes.js';

addHomeLink({
  href: '/portal',
  title: 'Patient portal',
  description: 'Patients sign in with a code sent on WhatsApp',
});

/** Mounts the portal's pages and form posts. */
export const portalModule: DomainModule = {
  name: 'portal',
  mount(app, runtime) {
    app.use('/portal', sameOriginOnly(runtime.config));
    app.use(signInRoutes(runtime));
    app.use(homeRoutes(runtime));
    // Any other /portal address is the portal's own 404 page, not the API's JSON one.
    app.use('/portal', (_req, _res, next) => next(notFound('Page')));
    app.use('/portal', portalErrors());
  },
};
