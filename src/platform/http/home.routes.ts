/**
 * The landing page at `/`: where a person who just ran `npm start` finds every page. Modules add
 * their pages with `addHomeLink` so the list grows with the product.
 */
import { Router } from 'express';
import type { Runtime } from '../runtime.js';

interface HomeLink {
  href: string;
  title: string;
  description: string;
  sandboxOnly?: boolean;
}

const links = new Map<string, HomeLink>([
  [
    '/api/docs',
    { href: '/api/docs', title: 'API documentation', description: 'OpenAPI, generated from the request schemas' },
  ],
  ['/readyz', { href: '/readyz', title: 'Readiness', description: 'MongoDB and Redis status' }],
  ['/metrics', { href: '/metrics', title: 'Metrics', description: 'Prometheus metrics' }],
]);

/** Lists a page on the landing page (idempotent per href). */
export function addHomeLink(link: HomeLink): void {
  links.set(link.href, link);
}

/** Every listed page, for the start-up banner. */
export function homeLinks(sandbox: boolean): HomeLink[] {
  return [...links.values()].filter((link) => sandbox || !link.sandboxOnly);
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** GET / — a plain page of links; no PHI, no session needed. */
export function homeRoutes(runtime: Runtime): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const items = homeLinks(runtime.config.sandbox)
      .map(
        (link) =>
          `<li><a href="${escape(link.href)}">${escape(link.title)}</a><span>${escape(link.description)}</span></li>`,
      )
      .join('');
    const banner = runtime.config.sandbox
      ? '<p class="sandbox">Sandbox mode: WhatsApp and Razorpay are local stand-ins.</p>'
      : '';
    res.type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>CINIC</title><style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
h1{color:#0b7a75;margin-bottom:.2rem}ul{list-style:none;padding:0}li{padding:.7rem 0;border-bottom:1px solid #e4e7eb}
a{font-weight:600;color:#0b7a75;text-decoration:none;margin-right:.8rem}span{color:#52606d}.sandbox{background:#fff3c4;padding:.5rem .8rem;border-radius:6px}
</style></head><body><h1>CINIC</h1><p>WhatsApp-first clinic platform</p>${banner}<ul>${items}</ul></body></html>`);
  });
  return router;
}
