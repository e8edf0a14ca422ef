/**
 * The doctor's notes view at /doctor: server-rendered pages over the clinical, appointment and
 * auth services, plain CSS and a few small browser modules (autosave, shortcuts, queue refresh,
 * following a just-issued document out on WhatsApp).
 *
 * It lives beside `sandbox/` rather than inside `modules/clinical/` because it is a screen, not a
 * domain: it owns no models and no rules, and it composes several modules (auth for sign-in,
 * appointments for the queue, patients for names, clinical for the record). Registered in
 * modules/index.ts like the sandbox pages.
 */
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { DomainModule } from '../modules/index.js';
import { csrfTokens } from '../platform/http/csrf.js';
import { addHomeLink } from '../platform/http/home.routes.js';
import { SESSION_COOKIE } from '../modules/auth/auth.cookies.js';
import { actionRoutes } from './actions.routes.js';
import { ASSETS } from './layout.js';
import { loginRoutes } from './login.routes.js';
import { pageRoutes } from './pages.routes.js';
import { PAGE_PARTS_CSS } from './page-styles.js';
import { DOCTOR_VIEW_CSS } from './styles.js';

// Plain browser modules next to this file; the build (allowJs) copies them into dist/ too.
const assetsDir = fileURLToPath(new URL('./assets', import.meta.url));

addHomeLink({
  href: '/doctor',
  title: 'Doctor notes view',
  description: "Doctors sign in to today's queue, visit notes and prescriptions",
});

/** Mounts the doctor view's assets, sign-in, pages and form posts. */
export const doctorViewModule: DomainModule = {
  name: 'doctor-view',
  mount(app, runtime) {
    const css = DOCTOR_VIEW_CSS + PAGE_PARTS_CSS;
    // Assets change with the code; revalidating on each load keeps a deployed tablet current.
    const revalidate = { 'cache-control': 'no-cache' };
    app.get(`${ASSETS}/doctor.css`, (_req, res) => {
      res.set(revalidate).type('css').send(css);
    });
    app.use(
      ASSETS,
      express.static(assetsDir, { index: false, fallthrough: true, setHeaders: (res) => res.set(revalidate) }),
    );
    // Every form post of the view carries the session's CSRF token (sign-in has no session yet).
    app.use(
      '/doctor',
      csrfTokens({ secret: runtime.config.security.sessionSecret, sessionCookie: SESSION_COOKIE, exempt: ['/login'] }),
    );
    app.use(loginRoutes(runtime));
    app.use(pageRoutes(runtime));
    app.use(actionRoutes(runtime));
  },
};
