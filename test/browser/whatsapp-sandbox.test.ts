import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import type { CloudApiPayload } from '../../src/modules/messaging/whatsapp-messages.js';
import type { SandboxInboundView } from '../../src/sandbox/whatsapp/sandbox-inbound.service.js';
import { testEnv } from '../helpers/env.js';
import { SandboxChat, launchChromium, screenshotDir as SCREENSHOTS } from '../helpers/sandbox-chat.js';
import { spawnApp } from '../helpers/spawn-app.js';
import type { SpawnedApp } from '../helpers/spawn-app.js';

// The sandbox's own Graph API credentials (the spawned app runs without provider credentials).
const { whatsapp } = loadConfig(testEnv('defaults'));

/** Labels a person taps through, per language the bot speaks. */
const BOOKING = {
  en: {
    language: 'English',
    menu: 'Menu',
    book: /Book appointment/,
    choose: 'Choose',
    day: 'Choose day',
    time: 'Choose time',
    confirm: 'Confirm',
    myself: 'Myself',
    askName: /type your full name/,
    name: 'Asha Verma',
    askAge: /How old is \*?Asha Verma/,
    agree: 'I agree',
    // The demo clinic asks for a ₹200 prepayment: the booking is held until it is paid.
    booked: /holding/,
  },
  hi: {
    language: 'हिन्दी',
    menu: 'मेनू',
    book: /अपॉइंटमेंट बुक करें/,
    choose: 'चुनें',
    day: 'दिन चुनें',
    time: 'समय चुनें',
    confirm: 'पुष्टि करें',
    myself: 'मेरे लिए',
    askName: /पूरा नाम/,
    name: 'सीता देवी',
    askAge: /सीता देवी/,
    agree: 'मैं सहमत हूँ',
    booked: /रोका गया है/,
  },
} as const;

/** The app's log lines at warn level or above (the page's polling fills the rest), last ones first. */
function problemsLogged(output: string): string {
  const lines = output.split('\n').filter((line) => /^\{"level":(4|5|6)0,/.test(line));
  return lines.slice(-15).reverse().join('\n').slice(0, 6000) || '(none)';
}

describe('the WhatsApp sandbox page in chromium, against the real app process', () => {
  let app: SpawnedApp;
  let browser: Browser;

  beforeAll(async () => {
    // The first boot seeds the demo clinic (doctors, accounts, two weeks of slots): allow for a busy machine.
    app = await spawnApp('wa-browser', { DEMO_SEED: 'true' }, [], { readyTimeoutMs: 90_000 });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    app?.child.kill('SIGTERM');
    await app?.exited;
  });

  /** Records `message` at the Graph stand-in as if the bot had sent it to `to`. */
  async function botSends(
    to: string,
    message: Omit<CloudApiPayload, 'messaging_product' | 'recipient_type' | 'to'>,
  ): Promise<void> {
    const res = await fetch(
      `${app.baseUrl}/sandbox/whatsapp/graph/${whatsapp.apiVersion}/${whatsapp.phoneNumberId}/messages`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${whatsapp.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message }),
      },
    );
    expect(res.status).toBe(200);
  }

  async function sentBy(from: string): Promise<SandboxInboundView[]> {
    const res = await fetch(`${app.baseUrl}/sandbox/whatsapp/api/inbound?from=${from}`);
    return ((await res.json()) as { messages: SandboxInboundView[] }).messages;
  }

  /** Runs `steps` in a fresh tab; on failure saves a screenshot and adds the app's last output to the error. */
  async function inTab(name: string, steps: (chat: SandboxChat) => Promise<void>): Promise<void> {
    const chat = await SandboxChat.open(browser, app.baseUrl);
    try {
      await steps(chat);
    } catch (error) {
      const shot = await chat.screenshot(`${name}-failure`).catch(() => '(no screenshot)');
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(`${detail}\nscreenshot: ${shot}\napp warnings and errors:\n${problemsLogged(app.output())}`, {
        cause: error,
      });
    } finally {
      await chat.page.context().close();
    }
  }

  it('renders every message shape the bot sends, escaped, and sends taps back as replies', async () => {
    // Ends in 0204: the stand-in reports no statuses, since the app never sent these messages itself.
    const waId = '919811100204';
    await botSends(waId, {
      type: 'text',
      text: {
        preview_url: false,
        body: '*Bold* and _italic_ and ~struck~ and ```mono```, but snake_case_name stays.\nनमस्ते! *डॉ. अनन्या राव* से मिलें।\n<img src=x onerror="window.__xss=1"> https://example.com/pay?id=1',
      },
    });
    await botSends(waId, {
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'text', text: 'Confirm' },
        body: { text: 'Book *Dr. Ananya Rao* at 10:30?' },
        footer: { text: 'CINIC Demo Clinic' },
        action: {
          buttons: ['Yes', 'Another time', 'No'].map((title, i) => ({
            type: 'reply' as const,
            reply: { id: `confirm:t1:${i}`, title },
          })),
        },
      },
    });
    await botSends(waId, {
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'Which speciality or doctor would you like to see?' },
        action: {
          button: 'Choose',
          sections: [
            {
              title: 'Specialities',
              rows: [{ id: 'target:t2:gm', title: '1. General Medicine', description: 'Any available doctor' }],
            },
            {
              title: 'Doctors',
              rows: [{ id: 'target:t2:doc', title: '2. Dr. Priya Menon', description: 'Paediatrics' }],
            },
          ],
        },
      },
    });
    await botSends(waId, {
      type: 'template',
      template: {
        name: 'appointment_reminder',
        language: { code: 'hi' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: 'अपॉइंटमेंट याद है?' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Dr. Ananya Rao' },
              { type: 'text', text: 'Tue 14 Jan, 10:30 AM' },
            ],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: 'reminder:t3:ok' }],
          },
        ],
      },
    });
    await botSends(waId, {
      type: 'document',
      document: { link: 'https://example.com/invoices/INV-1.pdf', filename: 'INV-1.pdf', caption: 'Your *invoice*' },
    });
    await botSends(waId, {
      type: 'interactive',
      interactive: {
        type: 'cta_url',
        body: {
          text: 'To confirm your appointment with *Dr. Ananya Rao* on *Tue 14 Jan, 10:30 AM*, please pay *₹500* with the button below.',
        },
        footer: { text: 'Held for you until 10:15 AM' },
        action: { name: 'cta_url', parameters: { display_text: 'Pay now', url: 'https://example.com/pay/plink_1' } },
      },
    });

    await inTab('whatsapp-sandbox-shapes', async (chat) => {
      const { page } = chat;
      await chat.chatAs('+91 98111 00204', 'Shape Tester');
      await chat.botMessages.nth(5).waitFor();
      expect(await page.locator('.msg.them .tick').first().getAttribute('aria-label')).toMatch(/no status yet/);

      const text = chat.botMessages.nth(0);
      expect(await text.locator('strong').first().innerText()).toBe('Bold');
      expect(await text.locator('em').innerText()).toBe('italic');
      expect(await text.locator('s').innerText()).toBe('struck');
      expect(await text.locator('code').innerText()).toBe('mono');
      expect(await text.locator('strong').nth(1).innerText()).toBe('डॉ. अनन्या राव');
      expect(await text.innerText()).toContain('snake_case_name stays.\nनमस्ते!');
      expect(await text.innerText()).toContain('<img src=x onerror="window.__xss=1">');
      expect(await page.locator('.messages img').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await text.locator('a').getAttribute('href')).toBe('https://example.com/pay?id=1');

      const buttons = chat.botMessages.nth(1);
      expect(await buttons.locator('.head').innerText()).toBe('Confirm');
      expect(await buttons.locator('.foot').innerText()).toBe('CINIC Demo Clinic');
      expect(await buttons.locator('.actions button').allInnerTexts()).toEqual(['Yes', 'Another time', 'No']);

      const template = chat.botMessages.nth(3);
      expect(await template.locator('.label').innerText()).toMatch(/appointment_reminder · hi/i);
      expect(await template.locator('.params li').allInnerTexts()).toEqual(['Dr. Ananya Rao', 'Tue 14 Jan, 10:30 AM']);

      const doc = chat.botMessages.nth(4);
      expect(await doc.locator('.doc a').getAttribute('href')).toBe('https://example.com/invoices/INV-1.pdf');
      expect(await doc.locator('.doc-icon').innerText()).toBe('PDF');
      expect(await doc.locator('strong').innerText()).toBe('invoice');

      // A link button opens its URL in a new tab, styled like the reply buttons; the body keeps WhatsApp's markup.
      const pay = chat.botMessages.nth(5);
      const button = pay.locator('.actions a.action');
      expect(await button.innerText()).toMatch(/Pay now$/);
      expect(await button.getAttribute('href')).toBe('https://example.com/pay/plink_1');
      expect(await button.getAttribute('target')).toBe('_blank');
      expect(await button.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await pay.locator('strong').allInnerTexts()).toEqual(['Dr. Ananya Rao', 'Tue 14 Jan, 10:30 AM', '₹500']);
      expect(await pay.locator('.foot').innerText()).toBe('Held for you until 10:15 AM');

      await chat.botMessages.nth(2).locator('.actions button').click();
      const sheet = page.locator('dialog[open]');
      expect(await sheet.locator('.sheet-section').allInnerTexts()).toEqual(['Specialities', 'Doctors']);
      expect(await sheet.locator('.row-desc').allInnerTexts()).toEqual(['Any available doctor', 'Paediatrics']);
      await chat.screenshot('whatsapp-sandbox-list-sheet');
      await sheet.locator('.row', { hasText: 'Dr. Priya Menon' }).click();
      await buttons.locator('.actions button', { hasText: 'Another time' }).click();
      await template.locator('.actions button', { hasText: 'reminder:t3:ok' }).click();
      await chat.myMessages.nth(2).locator('.tick[aria-label="Delivered"]').waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('text');
      expect(await chat.myMessages.allInnerTexts()).toEqual([
        expect.stringContaining('2. Dr. Priya Menon'),
        expect.stringContaining('Another time'),
        expect.stringContaining('reminder:t3:ok'),
      ]);
      expect((await sentBy(waId)).map((message) => message.content)).toEqual([
        { type: 'list', id: 'target:t2:doc', title: '2. Dr. Priya Menon' },
        { type: 'button', id: 'confirm:t1:1', title: 'Another time' },
        { type: 'quick_reply', id: 'reminder:t3:ok', title: 'reminder:t3:ok' },
      ]);
      await page.locator('#chat-scroll').evaluate((el) => el.scrollTo(0, 0));
      await chat.screenshot('whatsapp-sandbox-shapes');
      await page.locator('#chat-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await chat.screenshot('whatsapp-sandbox-shapes-end');

      // Another number is another chat; a typo is refused without leaving the current one.
      await chat.chatAs('+91 98111 00205', 'Shape Tester');
      await page.locator('#empty').waitFor();
      expect(await chat.botMessages.count()).toBe(0);
      await chat.chatAs('98 11 1x', 'Shape Tester');
      expect(await page.getByRole('status').innerText()).toMatch(/not a phone number/);
      expect(await page.getByLabel('Your number').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#as').innerText()).toBe('+91 98111 00205');
    });
  }, 60_000);

  /** Books as a new patient through the page in `lang`, tapping like a person; returns the confirmation's text. */
  async function bookThroughThePage(
    chat: SandboxChat,
    lang: keyof typeof BOOKING,
    number: string,
    profileName: string,
  ): Promise<string> {
    const say = BOOKING[lang];
    const { button, text } = SandboxChat;
    await chat.chatAs(number, profileName);
    const language = await chat.expectReply(
      () => chat.page.getByRole('button', { name: 'hi', exact: true }).click(),
      button(say.language),
      'the language buttons',
    );
    // The stand-in reports sent, delivered and read for what the bot really sent: the ticks turn blue.
    await chat.botMessages.first().locator('.tick.read').waitFor();
    const menu = await chat.expectReply(() => language.click(), button(say.menu), 'the menu list');
    const target = await chat.expectReply(
      () => chat.pickFromList(menu, say.book, `whatsapp-sandbox-booking-${lang}-menu`),
      button(say.choose),
      'the speciality list',
    );
    const day = await chat.expectReply(
      () => chat.pickFromList(target, /General Medicine/),
      button(say.day),
      'the day list',
    );
    // The second day: today's first free time may pass (and be refused) while the test taps along.
    const time = await chat.expectReply(() => chat.pickFromList(day, /^2\. /), button(say.time), 'the time list');
    const confirm = await chat.expectReply(
      () => chat.pickFromList(time, /^1\. /),
      button(say.confirm),
      'the confirm buttons',
    );
    const myself = await chat.expectReply(() => confirm.click(), button(say.myself), 'who the visit is for');
    await chat.expectReply(() => myself.click(), text(say.askName), 'the name question');
    await chat.expectReply(() => chat.type(say.name), text(say.askAge), 'the age question');
    const agree = await chat.expectReply(() => chat.type('34'), button(say.agree), 'the consent notice');
    const booked = await chat.expectReply(() => agree.click(), text(say.booked), 'the booking confirmation');
    return booked.innerText();
  }

  it('books in English, pays on the Razorpay sandbox checkout from the Pay now button, and gets the receipt in the chat', async () => {
    await inTab('whatsapp-sandbox-booking-en', async (chat) => {
      const held = await bookThroughThePage(chat, 'en', '+91 98111 00002', 'Asha');
      expect(held).toMatch(/with Dr\. /);
      expect(held).toMatch(/₹200/);
      // The link may already be in by now: wait on the page itself, not for a reply newer than this line.
      const pay = chat.botMessages
        .locator('.actions')
        .getByRole('link', { name: /Pay now/ })
        .first();
      await pay.waitFor({ timeout: 30_000 });
      await chat.screenshot('whatsapp-sandbox-booking-en');

      // The button opens Razorpay's checkout (the sandbox stand-in) in a new tab, as a phone opens the browser.
      const [checkout] = await Promise.all([chat.page.context().waitForEvent('page'), pay.click()]);
      await checkout.waitForLoadState();
      expect(await checkout.locator('body').innerText()).toMatch(/₹200\.00/);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await checkout.screenshot({ path: path.join(SCREENSHOTS, 'razorpay-checkout-from-chat.png') });
      await checkout.getByRole('button', { name: 'Pay', exact: true }).click();
      await checkout.getByText(/Payment successful/i).waitFor();
      await checkout.screenshot({ path: path.join(SCREENSHOTS, 'razorpay-checkout-paid-from-chat.png') });
      await checkout.close();

      // Back in the chat (both may have arrived while the checkout tab was open): the confirmation, then the receipt.
      await chat.botMessages
        .filter({ hasText: /Payment received/ })
        .first()
        .waitFor({ timeout: 30_000 });
      const receipt = chat.botMessages.filter({ hasText: /Receipt RCT\// }).first();
      await receipt.waitFor({ timeout: 30_000 });
      expect(await receipt.getByRole('link').first().getAttribute('href')).toMatch(/\/documents\//);
      await chat.screenshot('whatsapp-sandbox-paid-en');
    });
  }, 150_000);

  it('books an appointment in Hindi (हिन्दी), held for the prepayment', async () => {
    await inTab('whatsapp-sandbox-booking-hi', async (chat) => {
      const held = await bookThroughThePage(chat, 'hi', '98111 00003', 'सीता');
      expect(held).toContain('रोका गया है');
      await chat.botMessages
        .locator('.actions')
        .getByRole('link', { name: /अभी भुगतान करें/ })
        .first()
        .waitFor({ timeout: 30_000 });
      await chat.screenshot('whatsapp-sandbox-booking-hi');
    });
  }, 120_000);
});
