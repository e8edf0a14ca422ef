import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { Appointment } from '../../src/modules/appointments/appointment.model.js';
import { createStaff } from '../../src/modules/auth/staff.service.js';
import { updateSchedulingSettings } from '../../src/modules/clinics/clinic.service.js';
import { createDoctor } from '../../src/modules/doctors/doctor.service.js';
import { outboundQueueName } from '../../src/modules/messaging/outbound.queue.js';
import { registerPatient } from '../../src/modules/patients/patient.service.js';
import type { SandboxMessageView } from '../../src/sandbox/whatsapp/graph.service.js';
import type { Actor } from '../../src/platform/actor.js';
import { createStaffAndLogin, TEST_PASSWORD, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { bookedAppointment } from '../helpers/clinical.js';
import { launchChromium, screenshotDir } from '../helpers/sandbox-chat.js';
import { sendInboundVia, sleep, startListeningApp, waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

const EMAIL = `dr.nisha.${Date.now()}@test.cinic.example`;

describe('the doctor view in chromium: sign in, check in, consult, sign, prescribe on WhatsApp, complete', () => {
  let t: ListeningApp;
  let baseUrl: string;
  let browser: Browser;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let doctorId: string;

  beforeAll(async () => {
    // Workers on and a real port, so issued documents go out to the WhatsApp stand-in as in production.
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cinic-doctorviewbrowser-'));
    t = await startListeningApp('doctorviewbrowser', { env: { CINIC_DATA_DIR: dataDir, WHATSAPP_PACING_MS: '20' } });
    baseUrl = t.baseUrl;
    system = await testSystemActor();
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    const doctor = await createDoctor(system, {
      name: 'Dr Nisha Kulkarni',
      speciality: 'General Medicine',
      qualifications: 'MBBS, MD',
      registrationNumber: 'KMC-48213',
      consultationFeePaise: 50_000,
    });
    doctorId = doctor.id;
    // As the demo seed does: the doctor's first device is trusted, so the browser signs in at once.
    await createStaff(
      system,
      { name: 'Dr Nisha Kulkarni', email: EMAIL, password: TEST_PASSWORD, roles: ['doctor'], doctorId },
      { trustFirstDevice: true },
    );
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function shot(page: Page, name: string): Promise<void> {
    mkdirSync(screenshotDir, { recursive: true });
    // From the top, so the sticky bars sit where a person sees them in the full-page image.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  }

  /** What the WhatsApp stand-in received for `waId`. */
  async function received(waId: string): Promise<SandboxMessageView[]> {
    return (await t.http.get('/sandbox/whatsapp/api/messages').query({ to: waId }).expect(200)).body
      .messages as SandboxMessageView[];
  }

  /** The file names of the document messages sent to `waId`. */
  async function documentsTo(waId: string): Promise<string[]> {
    return (await received(waId))
      .filter((sent) => sent.message.type === 'document')
      .map((sent) => (sent.message.document as { filename?: string }).filename ?? '');
  }

  it('takes a patient booked for today from Expected through check-in to a completed consultation', async () => {
    const phone = `+9198${String(Date.now()).slice(-8)}`;
    const waId = phone.slice(1);
    const { patient } = await registerPatient(system, {
      phone,
      name: 'Savitri Deshpande',
      relationToContact: 'self',
      ageYears: 61,
      sex: 'female',
      source: 'frontdesk',
      medicalFlags: { allergies: ['Penicillin', 'Sulfa drugs'], conditions: ['Type 2 diabetes', 'Hypertension'] },
    });
    // She wrote to the clinic on WhatsApp today, so the 24-hour window is open: documents go as document messages.
    await sendInboundVia(t.http, t.runtime.config, { from: waId, text: 'hi' });
    await waitFor(async () => (await received(waId)).length > 0, { what: 'the bot to answer' });
    const { appointmentId } = await bookedAppointment(frontdesk, system, doctorId, patient.id);
    expect((await Appointment.findById(appointmentId).lean())!.status).toBe('confirmed');
    // Another patient's booking is held for its prepayment: expected, but not to be checked in yet.
    const { patient: held } = await registerPatient(system, {
      phone: `+9197${String(Date.now()).slice(-8)}`,
      name: 'Mohan Iyer',
      relationToContact: 'self',
      ageYears: 44,
      sex: 'male',
      source: 'frontdesk',
    });
    await updateSchedulingSettings(system, { prepaymentRequired: true, prepaymentPaise: 20_000, holdMinutes: 15 });
    try {
      const { appointmentId: heldId } = await bookedAppointment(frontdesk, system, doctorId, held.id);
      expect((await Appointment.findById(heldId).lean())!.status).toBe('tentative');
    } finally {
      await updateSchedulingSettings(system, { prepaymentRequired: false });
    }

    const context = await browser.newContext({
      viewport: { width: 1180, height: 820 },
      locale: 'en-IN',
      timezoneId: 'Asia/Kolkata',
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    // The offline step's failed saves are expected; anything else on the console is a fault.
    page.on(
      'console',
      (message) =>
        message.type() === 'error' &&
        !message.text().includes('ERR_INTERNET_DISCONNECTED') &&
        problems.push(`console: ${message.text()} (${message.location().url})`),
    );
    try {
      // Sign in (the queue sends an anonymous browser to the form).
      await page.goto(`${baseUrl}/doctor`);
      await page.waitForURL(/\/doctor\/login/);
      await shot(page, 'doctor-1-login');
      await page.getByLabel('Email').fill(EMAIL);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: "Today's queue" }).waitFor();

      // No front desk: she is expected today, and the doctor checks her in from the queue.
      const expected = page.locator('.q-group[aria-label="Expected today"] .q-row', { hasText: 'Savitri Deshpande' });
      await expected.getByText('Allergy: Penicillin, Sulfa drugs').waitFor();
      expect(await page.locator('.q-group[aria-label="Waiting"] .q-row').count()).toBe(0);
      const awaiting = page.locator('.q-group[aria-label="Expected today"] .q-row.tentative', {
        hasText: 'Mohan Iyer',
      });
      await awaiting.getByText('Awaiting payment').waitFor();
      expect(await awaiting.getByRole('button').count()).toBe(0);
      await shot(page, 'doctor-2-queue-expected');
      await expected.getByRole('button', { name: 'Check in' }).click();
      await page.getByText('Checked in. The patient is now waiting in your queue').waitFor();
      const row = page.locator('.q-group[aria-label="Waiting"] .q-row', { hasText: 'Savitri Deshpande' });
      await row.getByText('Allergy: Penicillin, Sulfa drugs').waitFor();
      expect(await row.locator('.token').innerText()).toMatch(/^\d+$/);
      expect(await page.locator('.q-group[aria-label="Expected today"] .q-row').allInnerTexts()).toEqual([
        expect.stringContaining('Mohan Iyer'),
      ]);
      await shot(page, 'doctor-3-queue-waiting');

      // Start the consult from the queue: the editor opens with the flags first.
      await row.getByRole('button', { name: 'Start consult' }).click();
      await page.locator('#note').waitFor();
      expect(await page.locator('.patient-banner').innerText()).toContain('Penicillin');

      // Vitals and a SOAP note, autosaved as typed.
      const saveState = page.locator('#save-state');
      await page.getByLabel('Temperature').fill('38.4');
      await page.getByLabel('Pulse').fill('96');
      await page.getByLabel('BP systolic').fill('132');
      await page.getByLabel('BP diastolic').fill('84');
      await page.getByLabel('SpO₂').fill('97');
      await page.getByLabel('Height').fill('158');
      await page.getByLabel('Weight').fill('64');
      await page.getByLabel('Chief complaint').fill('Fever and burning urination for two days');
      await page
        .getByLabel(/^Subjective/)
        .fill('Fever up to 101 F with chills, dysuria and frequency since two days. No flank pain.');
      await page.getByLabel(/^Objective/).fill('Febrile, suprapubic tenderness, renal angles non-tender.');
      await page.getByLabel(/^Assessment/).fill('Acute uncomplicated cystitis');
      await page.getByLabel(/^Plan/).fill('Urine routine and culture; nitrofurantoin (penicillin allergy); fluids.');
      await page.locator('input[name="diagnosis.text"]').fill('Acute cystitis');
      await page.locator('input[name="diagnosis.icd10"]').fill('N30.0');
      await saveState.filter({ hasText: /^Saved \d\d:\d\d$/ }).waitFor({ timeout: 10_000 });
      expect(await page.locator('#bmi').innerText()).toBe('25.6');
      await shot(page, 'doctor-4-editor');

      // Offline: the state says so and the save goes through once the network is back.
      await context.setOffline(true);
      await page
        .getByLabel(/^Objective/)
        .fill('Febrile, suprapubic tenderness, renal angles non-tender. Throat normal.');
      await saveState.filter({ hasText: 'Offline — retrying' }).waitFor({ timeout: 10_000 });
      await context.setOffline(false);
      await saveState.filter({ hasText: /^Saved \d\d:\d\d$/ }).waitFor({ timeout: 15_000 });

      // Completing before sign-off is refused, and says why.
      await page.getByRole('button', { name: 'Complete consult' }).click();
      await page.getByText('Sign the visit note before completing the consultation').waitFor();

      // A closed tab loses nothing: type, close at once, and the text is there in a new tab.
      const visitUrl = page.url().split('?')[0]!;
      await page.getByLabel('Follow-up advice').fill('Return at once if flank pain or vomiting');
      const second = await context.newPage();
      await page.close({ runBeforeUnload: true });
      // The keepalive save may land a moment after the tab is gone: wait for it, as a person reopening would.
      const visitApi = visitUrl.replace('/doctor/visits/', '/api/v1/visits/');
      const savedAdvice = async () =>
        ((await (await second.request.get(visitApi)).json()) as { followUp?: { advice?: string } | null }).followUp
          ?.advice;
      for (
        let waited = 0;
        waited < 5_000 && (await savedAdvice()) !== 'Return at once if flank pain or vomiting';
        waited += 100
      )
        await second.waitForTimeout(100);
      await second.goto(visitUrl);
      await expect(second.getByLabel('Follow-up advice').inputValue()).resolves.toBe(
        'Return at once if flank pain or vomiting',
      );
      second.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));

      // Sign with the keyboard shortcut and the confirmation dialog: the note locks, hash verified.
      await second.getByLabel('Chief complaint').focus();
      await second.keyboard.press('Control+Shift+Enter');
      await second.locator('#sign-dialog').getByRole('button', { name: 'Sign note' }).click();
      await second.getByText(/^Hash verified/).waitFor();
      expect(await second.locator('#note').count()).toBe(0);
      await second.getByRole('heading', { name: 'Add an addendum' }).waitFor();
      await shot(second, 'doctor-5-signed-note');

      // After sign-off the record changes only by addenda.
      const addenda = second.locator('#addenda');
      await addenda.getByLabel(/^Addendum/).fill('Urine culture sent; patient advised to collect report on Friday.');
      await addenda.getByLabel(/^Reason/).fill('Sample collected after signing');
      await addenda.getByRole('button', { name: 'Add addendum' }).click();
      await second.locator('#addenda .addenda li', { hasText: 'Urine culture sent' }).waitFor();
      await second.getByText(/^Hash verified/).waitFor();

      // Issue a prescription: version 1, current, with its PDF. The outbound queue is held for a
      // moment so the page is seen sending; once it is let go the badge turns to sent by itself.
      const outbound = t.runtime.queues.queue(outboundQueueName(t.runtime.config.whatsapp.phoneNumberId));
      await outbound.pause();
      const rx = second.locator('form.rx-form');
      const fill = async (name: string, value: string) =>
        rx.locator(`.rx-row input[name="${name}"]`).first().fill(value);
      await fill('medicine', 'Nitrofurantoin');
      await fill('strength', '100 mg');
      await fill('form', 'Cap');
      await fill('dose', '1 cap');
      await fill('frequency', '1-0-1');
      await fill('duration', '5 days');
      await fill('route', 'Oral');
      await fill('instructions', 'After food');
      await rx.getByLabel('Advice').fill('Drink 2-3 litres of water a day');
      await rx.getByRole('button', { name: 'Issue prescription' }).click();
      const issued = second.locator('#rx .rx-version', { hasText: 'Version 1' });
      await issued.getByText('Current').waitFor();
      expect(await issued.innerText()).toContain('Nitrofurantoin');
      const pdfHref = await issued.getByRole('link', { name: 'PDF' }).getAttribute('href');
      const pdf = await second.request.get(`${baseUrl}${pdfHref}`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      const badge = issued.locator('.wa-state');
      expect(await badge.innerText()).toBe('Sending on WhatsApp…');
      expect(await badge.getAttribute('data-poll')).toBe(pdfHref!.replace(/\/pdf$/, ''));
      await shot(second, 'doctor-6-prescription-sending');
      await second.evaluate(() => (document.body.dataset.sameLoad = 'yes'));
      await outbound.resume();
      await issued
        .locator('.wa-state', { hasText: /^(Sent|Delivered|Read) on WhatsApp \d\d:\d\d$/ })
        .waitFor({ timeout: 30_000 });
      expect(await second.evaluate(() => document.body.dataset.sameLoad)).toBe('yes');
      // The stand-in got exactly one document message for her number: this prescription's PDF.
      await waitFor(async () => (await documentsTo(waId)).length > 0, { what: 'the prescription on WhatsApp' });
      await sleep(500);
      expect(await documentsTo(waId)).toEqual([expect.stringMatching(/^prescription-\d{4}-\d{2}-\d{2}-v1\.pdf$/)]);

      // A diet plan, folded away until asked for.
      const diet = second.locator('#diet');
      await diet.getByText('Write a diet plan').click();
      await diet.getByLabel('Goal').fill('Diabetes control with adequate hydration');
      await diet.getByLabel('Energy (kcal)').fill('1600');
      await diet.getByLabel('Water (L)').fill('2.5');
      await diet.getByLabel('Breakfast').fill('Vegetable poha, buttermilk');
      await diet.getByLabel('Avoid').fill('Sweets, fruit juice');
      await diet.getByRole('button', { name: 'Issue diet plan' }).click();
      const plan = diet.locator('.rx-version', { hasText: 'Version 1' });
      await plan.getByText('Breakfast: Vegetable poha, buttermilk').waitFor();
      await plan
        .locator('.wa-state', { hasText: /^(Sent|Delivered|Read) on WhatsApp \d\d:\d\d$/ })
        .waitFor({ timeout: 30_000 });
      await shot(second, 'doctor-7-prescription');

      // Order a test and enter its result: the abnormal value stands out, in colour and in words.
      const labs = second.locator('#labs');
      await labs.getByLabel(/^Order tests/).fill('Haemoglobin');
      await labs.getByRole('button', { name: 'Order tests' }).click();
      const hb = labs.locator('.lab-row', { hasText: 'Haemoglobin' });
      await hb.getByLabel('Value').fill('9.1');
      await hb.getByLabel('Unit').fill('g/dL');
      await hb.getByLabel('Ref. low').fill('12');
      await hb.getByLabel('Ref. high').fill('15');
      await hb.getByRole('button', { name: 'Save result' }).click();
      await labs.locator('.lab-row.abnormal', { hasText: '9.1 g/dL LOW' }).waitFor();

      // Complete: back to the queue, the patient under "Done today".
      await second.getByRole('button', { name: 'Complete consult' }).click();
      await second.getByText('Consultation completed.').waitFor();
      await second.locator('.q-group[aria-label="Done today"] .q-row', { hasText: 'Savitri Deshpande' }).waitFor();
      // The abnormal result waits on the doctor's screen (and in the top bar) until acknowledged.
      await second.locator('#alerts .alert-row', { hasText: 'Haemoglobin' }).waitFor();
      await second.locator('#alert-badge', { hasText: '1' }).waitFor();
      await shot(second, 'doctor-8-queue-done');

      await second.goto(`${baseUrl}/doctor/patients/${patient.id}`);
      await second.getByRole('heading', { name: 'Past visits' }).waitFor();
      await shot(second, 'doctor-9-patient');
      // A tablet held upright: one column, history below the note.
      await second.setViewportSize({ width: 820, height: 1180 });
      await second.goto(visitUrl);
      await second.getByText(/^Hash verified/).waitFor();
      await shot(second, 'doctor-10-signed-note-portrait');
      // Each issued document went out once: the prescription and the diet plan.
      const documents = await documentsTo(waId);
      expect(documents.filter((name) => name.startsWith('prescription-'))).toHaveLength(1);
      expect(documents.filter((name) => name.startsWith('diet-plan-'))).toHaveLength(1);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
