/**
 * Drives the WhatsApp sandbox chat page in Debian's chromium the way a person does: types a number,
 * taps the bot's buttons and list rows, types answers. Every step waits for the bot's next message
 * and pins the element it found, because older messages keep their (stale) buttons on screen.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, ElementHandle, Locator, Page } from 'playwright-core';
import { projectRoot } from '../../scripts/local-services.mjs';

/** Where screenshots go (git-ignored). */
export const screenshotDir = path.join(projectRoot, 'test-results');

const STEP_TIMEOUT_MS = 20_000;

/** Headless Debian chromium; `--no-sandbox` because tests run as root. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** The chat page of one browser tab, with the steps a person takes. */
export class SandboxChat {
  constructor(readonly page: Page) {}

  /** Opens the page at `baseUrl` in a phone-sized tab. */
  static async open(browser: Browser, baseUrl: string): Promise<SandboxChat> {
    const context = await browser.newContext({
      viewport: { width: 412, height: 880 },
      locale: 'en-IN',
      timezoneId: 'Asia/Kolkata',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}/sandbox/whatsapp`);
    await page.locator('#as').filter({ hasText: /^\+\d/ }).waitFor();
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
    return new SandboxChat(page);
  }

  /** The bot's messages, oldest first. */
  get botMessages(): Locator {
    return this.page.locator('.msg.them');
  }

  /** The patient's messages, oldest first. */
  get myMessages(): Locator {
    return this.page.locator('.msg.me');
  }

  /** Types `number` and a profile name into the identity form and opens that chat. */
  async chatAs(number: string, profileName: string): Promise<void> {
    const numberField = this.page.getByLabel('Your number');
    await numberField.fill(number);
    // The field offers recent numbers in a datalist; its popup can swallow the next click.
    await numberField.press('Escape');
    await this.page.getByLabel('Profile name').fill(profileName);
    await this.page.getByRole('button', { name: 'Open chat' }).click();
  }

  /** Types `text` into the message box and presses Enter. */
  async type(text: string): Promise<void> {
    const box = this.page.getByLabel('Message', { exact: true });
    await box.fill(text);
    await box.press('Enter');
  }

  /**
   * Runs `action`, then waits for a bot message newer than those shown before it that holds
   * `find(message)`, and returns that element (pinned, so later messages cannot move it).
   */
  async expectReply(
    action: () => Promise<void>,
    find: (message: Locator) => Locator,
    what: string,
  ): Promise<ElementHandle> {
    const before = await this.botMessages.count();
    await action();
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
      const count = await this.botMessages.count();
      for (let index = count - 1; index >= before; index -= 1) {
        const target = find(this.botMessages.nth(index));
        if ((await target.count()) > 0) {
          const handle = await target.first().elementHandle();
          if (handle) return handle;
        }
      }
      if (Date.now() > deadline) {
        const last = count > 0 ? await this.botMessages.last().innerText() : '(no bot messages)';
        throw new Error(
          `no bot reply with ${what} within ${STEP_TIMEOUT_MS / 1000}s; the last bot message reads:\n${last}`,
        );
      }
      await this.page.waitForTimeout(150);
    }
  }

  /** The button named exactly `title` under a message (a reply button or a list's opener). */
  static button(title: string): (message: Locator) => Locator {
    return (message) => message.locator('.actions').getByRole('button', { name: title, exact: true });
  }

  /** A message whose text contains `text`. */
  static text(text: string | RegExp): (message: Locator) => Locator {
    return (message) => message.locator('.bubble', { hasText: text });
  }

  /** Opens a list message's sheet with `opener` and taps the row whose title matches `row`; `screenshot` names a shot of the open sheet. */
  async pickFromList(opener: ElementHandle, row: string | RegExp, screenshot?: string): Promise<void> {
    await opener.click();
    const sheet = this.page.locator('dialog[open]');
    await sheet.waitFor();
    if (screenshot) await this.screenshot(screenshot);
    await sheet
      .locator('.row', { has: this.page.locator('.row-title', { hasText: row }) })
      .first()
      .click();
    await sheet.waitFor({ state: 'hidden' });
  }

  /** Saves a screenshot of the tab to test-results/`name`.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
