/**
 * CSRF in a real browser (issue 14 point 2): an attack page served from ANOTHER local port (the
 * same site to the browser, so SameSite=Lax cookies go along) makes a signed-in admin's browser
 * post an urlencoded and a text/plain body to cancel two appointments and a no-body POST to
 * approve the attacker's device. All three must fail, while the real UI (a doctor's form posts in
 * the doctor view, a same-origin JSON call) keeps working.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { freePort } from '../../scripts/local-services.mjs';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { DEVICE_COOKIE, SESSION_COOKIE } from '../../src/modules/auth/auth.cookies.js';
import { Device } from '../../src/modules/auth/device.model.js';
import { createStaff } from '../../src/modules/auth/staff.service.js';
import type { Actor } from '../../src/platform/actor.js';
import { agentCookie, createStaffAndLogin, TEST_PASSWORD, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { bookedAppointment, makeSignedInDoctor } from '../helpers/clinical.js';
import { launchChromium, screenshotDir } from '../helpers/sandbox-chat.js';
import { startListeningApp } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

/** The attacker's page: two auto-submitted forms into hidden frames and a credentialed no-cors fetch. */
function attackPage(app: string, cancelForm: string, cancelText: string, deviceId: string): string {
  return `<!doctype html><html><head><title>Win a prize</title></head><body>
<h1>Congratulations!</h1>
<iframe name="one" width="300" height="80"></iframe><iframe name="two" width="300" height="80"></iframe>
<form id="urlencoded" target="one" method="post" action="${app}/api/v1/appointments/${cancelForm}/cancel">
  <input name="reason" value="forged">
</form>
<form id="plain" target="two" method="post" enctype="text/plain" action="${app}/api/v1/appointments/${cancelText}/cancel">
  <input name='{"reason":"forged","x":"' value='"}'>
</form>
<script>
document.getElementById('urlencoded').submit();
document.getElementById('plain').submit();
fetch('${app}/api/v1/auth/devices/${deviceId}/approve', { method: 'POST', credentials: 'include', mode: 'no-cors' })
  .finally(() => { document.body.dataset.fetched = 'yes'; });
</script></body></html>`;
}

describe('CSRF in chromium: an attack page on another local port', () => {
  let t: ListeningApp;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl: string;
  let system: Actor;
  let admin: SignedInStaff;
  let frontdesk: SignedInStaff;
  let doctorId: string;

  beforeAll(async () => {
    t = await startListeningApp('csrfbrowser', { workers: false });
    system = await testSystemActor();
    admin = await createStaffAndLogin(t, ['admin']);
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    doctorId = (await makeSignedInDoctor(t, system)).doctorId;
    const port = await freePort();
    attackerUrl = `http://127.0.0.1:${port}`;
    let html = '';
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    });
    await new Promise<void>((resolve) => attacker.listen(port, '127.0.0.1', resolve));
    (attacker as Server & { setPage?: (page: string) => void }).setPage = (page) => {
      html = page;
    };
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
    await t?.close();
  });

  it("refuses all three forged requests from a signed-in admin's browser; the real UI still works", async () => {
    const urlencoded = await bookedAppointment(frontdesk, system, doctorId);
    const plain = await bookedAppointment(frontdesk, system, doctorId);
    const victimDevice = await createStaffAndLogin(t, ['frontdesk'], { approveDevice: false });
    const deviceId = victimDevice.login.device.id;
    (attacker as Server & { setPage: (page: string) => void }).setPage(
      attackPage(t.baseUrl, urlencoded.appointmentId, plain.appointmentId, deviceId),
    );

    // The admin's browser holds a live session for the app (127.0.0.1 on the app's port).
    const context = await browser.newContext();
    await context.addCookies(
      [SESSION_COOKIE, DEVICE_COOKIE].map((name) => ({
        name,
        value: agentCookie(admin.agent, name)!,
        url: t.baseUrl,
        httpOnly: true,
        sameSite: 'Lax' as const,
      })),
    );
    const page = await context.newPage();
    const statuses = new Map<string, number>();
    page.on('response', (response) => {
      const url = response.url();
      if (url.startsWith(t.baseUrl)) statuses.set(new URL(url).pathname, response.status());
    });
    // An opaque (no-cors) answer may be withheld from the page by the browser: count it as answered.
    page.on('requestfailed', (request) => {
      const pathname = new URL(request.url()).pathname;
      if (request.url().startsWith(t.baseUrl) && !statuses.has(pathname)) statuses.set(pathname, 0);
    });
    await page.goto(attackerUrl);
    await page.waitForFunction(() => document.body.dataset.fetched === 'yes');
    await page.waitForFunction(() => {
      const frames = Array.from(document.querySelectorAll('iframe'));
      return frames.every((frame) => {
        try {
          return frame.contentWindow && frame.contentWindow.location.href !== 'about:blank';
        } catch {
          return true; // cross-origin: the navigation happened
        }
      });
    });
    const cancelPaths = [urlencoded, plain].map(({ appointmentId }) => `/api/v1/appointments/${appointmentId}/cancel`);
    const approvePath = `/api/v1/auth/devices/${deviceId}/approve`;
    // Waits for the browser to have seen all three answers (a condition, not a fixed sleep).
    for (let tries = 0; tries < 100 && [...cancelPaths, approvePath].some((p) => !statuses.has(p)); tries++)
      await page.waitForTimeout(100);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, 'csrf-attack-page.png'), fullPage: true });

    const outcome = {
      urlencodedCancel: statuses.get(cancelPaths[0]!),
      textPlainCancel: statuses.get(cancelPaths[1]!),
      // 403, or 0 when chromium withholds the opaque answer from the page; 200 before the fix.
      deviceApproveRefused: statuses.get(approvePath) !== 200,
      cancelled: await Appointment.countDocuments({
        _id: { $in: [urlencoded.appointmentId, plain.appointmentId] },
        status: 'cancelled',
      }),
      deviceStatus: (await Device.findById(deviceId).lean())?.status,
    };
    expect(outcome).toEqual({
      urlencodedCancel: 403,
      textPlainCancel: 403,
      deviceApproveRefused: true,
      cancelled: 0,
      deviceStatus: 'pending',
    });

    // The same admin, on the app's own origin, approves the device through the JSON API.
    await page.goto(`${t.baseUrl}/healthz`);
    const approved = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/auth/devices/${id}/approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return res.status;
    }, deviceId);
    expect(approved).toBe(200);
    expect((await Device.findById(deviceId).lean())?.status).toBe('approved');
    await context.close();
  }, 90_000);

  it("keeps the doctor view's own forms working (sign in, check in, sign out)", async () => {
    const email = `dr.csrf.${Date.now()}@test.cinic.example`;
    await createStaff(
      system,
      { name: 'Dr Meera Iyer', email, password: TEST_PASSWORD, roles: ['doctor'], doctorId },
      { trustFirstDevice: true },
    );
    await bookedAppointment(frontdesk, system, doctorId);
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/doctor`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    await page.screenshot({ path: path.join(screenshotDir, 'csrf-doctor-view-signed-in.png'), fullPage: true });
    await page.getByRole('heading', { name: "Today's queue" }).waitFor();
    await page.getByRole('button', { name: 'Check in' }).first().click();
    await page.getByText('Checked in. The patient is now waiting in your queue').waitFor();
    expect(await Appointment.countDocuments({ doctorId, status: 'checked_in' })).toBe(1);
    await page.screenshot({ path: path.join(screenshotDir, 'csrf-doctor-view-checked-in.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    await context.close();
  }, 90_000);
});
