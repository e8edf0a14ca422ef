/**
 * The sandbox's HTML: the checkout page at a link's short_url, its "not found" page and the index of
 * recent links. Server-rendered with every value escaped; no script at all (the CSP allows none
 * inline), so Pay and Fail are plain forms that post and are redirected back (post-redirect-get).
 */
import type { CheckoutPageModel } from './checkout-page.service.js';
import type { LinkStatus } from './sandbox-link.model.js';

/** What the page says after its form posted (`?result=`). */
export type CheckoutResult = 'paid' | 'failed' | 'refused';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const money = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });
const dateTime = new Intl.DateTimeFormat('en-IN', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Asia/Kolkata',
});

/** Paise as the payer reads them, e.g. `₹1,250.00`. */
export const rupees = (paise: number) => money.format(paise / 100);
const when = (unixSeconds: number) => `${dateTime.format(new Date(unixSeconds * 1000))} IST`;

const STATUS_LABELS: Record<LinkStatus, string> = {
  created: 'Awaiting payment',
  paid: 'Paid',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · Razorpay sandbox</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/sandbox/razorpay/assets/checkout.css">
</head>
<body>
${body}
</body>
</html>`;
}

function outcome(model: CheckoutPageModel, result: CheckoutResult | undefined): string {
  if (model.status === 'paid') {
    const payment = model.paymentId
      ? `<span class="fine">Payment id <code>${escapeHtml(model.paymentId)}</code></span>`
      : '';
    return `<div class="outcome success" role="status"><strong>Payment successful</strong> — you can return to WhatsApp.${payment}</div>`;
  }
  if (model.status === 'cancelled')
    return '<div class="outcome neutral" role="status"><strong>This payment link was cancelled.</strong> No payment can be made with it.</div>';
  if (model.status === 'expired')
    return '<div class="outcome neutral" role="status"><strong>This payment link has expired.</strong> Ask the clinic on WhatsApp for a new one.</div>';
  if (result === 'failed')
    return '<div class="outcome failure" role="alert"><strong>Payment failed</strong> — no money was taken. You can try again.</div>';
  return '';
}

function actions(model: CheckoutPageModel): string {
  if (model.status !== 'created') return '';
  const base = `/sandbox/razorpay/payment_links/${encodeURIComponent(model.linkId)}`;
  return `<div class="actions">
      <form method="post" action="${base}/pay"><input type="hidden" name="deliver" value="true"><button type="submit" class="pay">Pay</button></form>
      <form method="post" action="${base}/fail"><input type="hidden" name="deliver" value="true"><button type="submit" class="fail">Fail</button></form>
    </div>
    <p class="hint">Pay captures ${escapeHtml(rupees(model.amount))} by UPI and sends Razorpay's signed webhooks to the clinic. Fail declines the payment; the link stays open.</p>`;
}

/** The checkout page at GET /sandbox/razorpay/l/:id. */
export function checkoutPageHtml(model: CheckoutPageModel, result?: CheckoutResult): string {
  const initial = escapeHtml(model.merchant.trim().charAt(0).toUpperCase() || 'C');
  const facts = [
    ['Status', `<span class="status status-${model.status}">${STATUS_LABELS[model.status]}</span>`],
    ['Expires', model.expireBy ? escapeHtml(when(model.expireBy)) : 'Never'],
    ...(model.referenceId ? [['Reference', `<code>${escapeHtml(model.referenceId)}</code>`]] : []),
    ['Link', `<code>${escapeHtml(model.linkId)}</code>`],
  ];
  return layout(
    `Pay ${model.merchant}`,
    `<main class="checkout">
  <header class="merchant">
    <span class="logo" aria-hidden="true">${initial}</span>
    <div class="who"><h1>${escapeHtml(model.merchant)}</h1><p>Payment request</p></div>
    <span class="badge">Sandbox</span>
  </header>
  <section class="summary" aria-label="What you are paying for">
    ${model.description ? `<p class="description">${escapeHtml(model.description)}</p>` : ''}
    <p class="amount" data-amount="${model.amount}">${escapeHtml(rupees(model.amount))}</p>
    <dl class="facts">${facts.map(([term, value]) => `<div><dt>${term}</dt><dd>${value}</dd></div>`).join('')}</dl>
  </section>
  ${outcome(model, result)}
  ${actions(model)}
  <footer><a href="/sandbox/razorpay">All sandbox payment links</a> · a local stand-in for Razorpay Checkout</footer>
</main>`,
  );
}

/** The page for a link id the stand-in does not know. */
export function missingLinkHtml(): string {
  return layout(
    'Link not found',
    `<main class="checkout">
  <div class="outcome neutral" role="alert"><strong>This payment link does not exist.</strong> Check the link the clinic sent on WhatsApp.</div>
  <footer><a href="/sandbox/razorpay">All sandbox payment links</a></footer>
</main>`,
  );
}

/** The sandbox index at GET /sandbox/razorpay: the newest links, each opening its checkout page. */
export function linksIndexHtml(links: CheckoutPageModel[]): string {
  const rows = links
    .map(
      (link) => `<tr>
        <td class="wide">${escapeHtml(when(link.createdAt))}</td>
        <td class="wide">${escapeHtml(link.merchant)}</td>
        <td><a href="/sandbox/razorpay/l/${encodeURIComponent(link.linkId)}">${escapeHtml(link.description || link.linkId)}</a></td>
        <td class="num">${escapeHtml(rupees(link.amount))}</td>
        <td><span class="status status-${link.status}">${STATUS_LABELS[link.status]}</span></td>
      </tr>`,
    )
    .join('');
  const table = rows
    ? `<div class="table-wrap"><table><thead><tr><th class="wide">Created</th><th class="wide">Clinic</th><th>Description</th><th class="num">Amount</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : '<p class="empty">No payment links yet. Book with prepayment in the WhatsApp sandbox, or create one with the Razorpay SDK.</p>';
  return layout(
    'Payment links',
    `<main class="index">
  <h1>Razorpay sandbox</h1>
  <p class="lede">Payment links the app created through the Razorpay SDK, newest first. Open one to pay it or to fail it.</p>
  ${table}
</main>`,
  );
}
