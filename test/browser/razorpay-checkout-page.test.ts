/**
 * The Razorpay sandbox checkout page in Debian's chromium: a person opens a link's short_url,
 * sees the clinic, description, amount and expiry, fails once, then pays; the page says so and
 * the stand-in has stored the signed webhooks. Screenshots go to test-results/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { ensureDefaultClinic } from '../../src/modules/clinics/clinic.service.js';
import { expiresIn, razorpayClient, startWebhookCapture, storedEvents } from '../helpers/razorpay.js';
import type { WebhookCapture } from '../helpers/razorpay.js';
import { launchChromium, screenshotDir } from '../helpers/sandbox-chat.js';
import { startListeningApp } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

describe('the Razorpay checkout page in chromium', () => {
  let t: ListeningApp;
  let capture: WebhookCapture;
  let browser: Browser;

  beforeAll(async () => {
    capture = await startWebhookCapture();
    t = await startListeningApp('rzp-browser', { env: { PUBLIC_URL: capture.url } });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await capture?.close();
  });

  async function shot(page: Page, name: string): Promise<void> {
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  }

  it('fails, then pays, through the page forms', async () => {
    const clinic = await ensureDefaultClinic();
    const { sdk } = razorpayClient(t.runtime.config, t.baseUrl);
    const link = (await sdk.paymentLink.create({
      amount: 80_000,
      currency: 'INR',
      description: 'Consultation with Dr. Meera Iyer — Tue 14 Jan, 10:30',
      reference_id: `inv-browser-${Date.now()}`,
      expire_by: expiresIn(30),
      notes: { clinicId: clinic.id },
    } as never)) as unknown as { id: string; short_url: string };
    // short_url names PUBLIC_URL (the webhook capture here); the page itself is served by the app.
    const url = link.short_url.replace(capture.url, t.baseUrl);

    const context = await browser.newContext({
      viewport: { width: 412, height: 880 },
      locale: 'en-IN',
      timezoneId: 'Asia/Kolkata',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(clinic.name);
    await expect(page.locator('.amount').textContent()).resolves.toBe('₹800.00');
    await expect(page.locator('.description').textContent()).resolves.toContain('Dr. Meera Iyer');
    await shot(page, 'razorpay-checkout-open');

    await page.getByRole('button', { name: 'Fail', exact: true }).click();
    await page.getByText('Payment failed').waitFor();
    expect(page.url()).toBe(`${url}?result=failed`);
    await shot(page, 'razorpay-checkout-failed');

    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.getByText('Payment successful').waitFor();
    await expect(page.getByRole('button').count()).resolves.toBe(0);
    await expect(page.locator('.status').textContent()).resolves.toBe('Paid');
    await shot(page, 'razorpay-checkout-paid');
    expect(errors).toEqual([]);

    const events = await storedEvents(t.baseUrl, { paymentLinkId: link.id });
    expect(events.map((event) => event.event)).toEqual(['payment.failed', 'payment.captured', 'payment_link.paid']);

    await page.goto(`${t.baseUrl}/sandbox/razorpay`);
    await page.getByRole('link', { name: /Dr\. Meera Iyer/ }).waitFor();
    await shot(page, 'razorpay-sandbox-index-phone');
    await page.setViewportSize({ width: 1024, height: 640 });
    await shot(page, 'razorpay-sandbox-index');
    await context.close();
  }, 60_000);
});
