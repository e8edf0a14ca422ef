/**
 * The sandbox's pages (mounted only in sandbox mode):
 * - `GET /sandbox/razorpay` — the newest payment links, each opening its checkout page.
 * - `GET /sandbox/razorpay/l/:id` — a link's checkout page (its `short_url`) with Pay and Fail.
 * - `GET /sandbox/razorpay/assets/checkout.css` — their styles, as a file like the chat page's.
 */
import { Router } from 'express';
import { asyncHandler } from '../../platform/http/async-handler.js';
import { addHomeLink } from '../../platform/http/home.routes.js';
import type { Runtime } from '../../platform/runtime.js';
import { checkoutPageHtml, linksIndexHtml, missingLinkHtml } from './checkout-page.html.js';
import { checkoutPageModel, recentLinks } from './checkout-page.service.js';
import { CHECKOUT_PAGE_CSS } from './checkout-page.styles.js';
import { checkoutPageQuery } from './razorpay.schemas.js';

addHomeLink({
  href: '/sandbox/razorpay',
  title: 'Razorpay sandbox',
  description: 'Pay or fail the payment links the app created',
  sandboxOnly: true,
});

/** The checkout page, the index of links and their stylesheet. */
export function checkoutPageRoutes(runtime: Runtime): Router {
  const router = Router();
  // The pages show live state (a link is paid in another tab); never serve them from a cache.
  const fresh = { 'cache-control': 'no-store' };

  router.get(
    '/sandbox/razorpay',
    asyncHandler(async (_req, res) => {
      res
        .set(fresh)
        .type('html')
        .send(linksIndexHtml(await recentLinks(runtime)));
    }),
  );
  router.get('/sandbox/razorpay/assets/checkout.css', (_req, res) => {
    res.set({ 'cache-control': 'no-cache' }).type('css').send(CHECKOUT_PAGE_CSS);
  });
  router.get(
    '/sandbox/razorpay/l/:id',
    asyncHandler(async (req, res) => {
      const model = await checkoutPageModel(runtime, req.params.id ?? '');
      if (!model) {
        res.status(404).set(fresh).type('html').send(missingLinkHtml());
        return;
      }
      const { result } = checkoutPageQuery.catch({}).parse(req.query);
      res.set(fresh).type('html').send(checkoutPageHtml(model, result));
    }),
  );
  return router;
}
