/**
 * The patient portal at /portal: server-rendered pages over the module APIs (no models, no rules
 * of its own), mobile first, English and Hindi, no client script. Sign-in is the patient-auth
 * module's one-time code; every page acts as the patient actor of the signed-in number.
 */
import type { DomainModule } from '../modules/index.js';
import { notFound } from '../platform/errors.js';
import { addHomeLink } from '../platform/http/home.routes.js';
import { csrfTokens } from '../platform/http/csrf.js';
import { PATIENT_SESSION_COOKIE } from '../modules/patient-auth/index.js';
import { portalErrors } from './errors.js';
import { appointmentRoutes } from './appointments.routes.js';
import { documentRoutes } from './documents.routes.js';
import { homeRoutes } from './home.routes.js';
import { privacyRoutes } from './privacy.routes.js';
import { profileRoutes } from './profile.routes.js';
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
    // Origin checks run app-wide (platform/http/csrf.ts); signed-in forms also carry the session's
    // token. Sign-in posts have no session yet.
    app.use(
      '/portal',
      csrfTokens({
        secret: runtime.config.security.sessionSecret,
        sessionCookie: PATIENT_SESSION_COOKIE,
        exempt: ['/code', '/verify'],
      }),
    );
    app.use(signInRoutes(runtime));
    app.use(homeRoutes(runtime));
    app.use(appointmentRoutes(runtime));
    app.use(documentRoutes(runtime));
    app.use(profileRoutes(runtime));
    app.use(privacyRoutes(runtime));
    // Any other /portal address is the portal's own 404 page, not the API's JSON one.
    app.use('/portal', (_req, _res, next) => next(notFound('Page')));
    app.use('/portal', portalErrors());
  },
};
