/**
 * Billing fixtures for tests, built through the real services: a clinic with a GST profile,
 * price items, issued invoices, and a check that the books balance.
 */
import { expect } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Actor } from '../../src/platform/actor.js';
import { updateClinicProfile } from '../../src/modules/clinics/clinic.service.js';
import type { ClinicProfilePatch } from '../../src/modules/clinics/clinic.service.js';
import { issueInvoice } from '../../src/modules/billing/invoice-issue.service.js';
import { createDraftInvoice } from '../../src/modules/billing/invoice.service.js';
import type { InvoiceView } from '../../src/modules/billing/invoice.view.js';
import type { CreatePriceItemInput } from '../../src/modules/billing/price-item.schemas.js';
import { createPriceItem } from '../../src/modules/billing/price-item.service.js';
import type { PriceItemView } from '../../src/modules/billing/price-item.view.js';
import { trialBalance } from '../../src/modules/ledger/ledger.service.js';
import { startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';
import type { TrialBalance } from '../../src/modules/ledger/ledger.service.js';

/** The test app with its documents in a temporary folder (removed on close), not the project's `.data/`. */
export async function startBillingApp(label: string): Promise<TestApp & { documentsDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cinic-billing-'));
  const t = await startTestApp(label, { env: { CINIC_DATA_DIR: dataDir } });
  return {
    ...t,
    documentsDir: path.join(dataDir, 'documents'),
    async close() {
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A GST-registered clinic in Karnataka (state code 29). */
export const CLINIC_PROFILE: ClinicProfilePatch = {
  name: 'Sunrise Family Clinic',
  gstin: '29ABCDE1234F1Z5',
  stateCode: '29',
  phone: '+91 80 4000 1234',
  address: { line1: '12, 4th Cross, Indiranagar', city: 'Bengaluru', state: 'Karnataka', pincode: '560038' },
};

/** Gives the default clinic its GST profile. */
export async function prepareBillingClinic(system: Actor, patch: ClinicProfilePatch = {}): Promise<void> {
  await updateClinicProfile(system, { ...CLINIC_PROFILE, ...patch });
}

let codes = 0;

/** A price item; defaults to a taxable pharmacy item at 12 % from 2020. */
export async function makeItem(system: Actor, input: Partial<CreatePriceItemInput> = {}): Promise<PriceItemView> {
  codes += 1;
  return createPriceItem(system, {
    code: `ITEM-${codes}`,
    name: `Item ${codes}`,
    kind: 'pharmacy',
    taxCode: { scheme: 'HSN', code: '3004' },
    unitPricePaise: 10_000,
    rate: { effectiveFrom: '2020-04-01', ratePercent: 12 },
    ...input,
  });
}

/** An exempt procedure (SAC 9993 health care). */
export async function makeExemptItem(system: Actor, unitPricePaise = 50_000): Promise<PriceItemView> {
  return makeItem(system, {
    kind: 'procedure',
    taxCode: { scheme: 'SAC', code: '9993' },
    unitPricePaise,
    rate: { effectiveFrom: '2020-04-01', exempt: true },
  });
}

/** A draft for `patientId` from `(item, quantity)` pairs, issued at once. */
export async function issuedInvoice(
  system: Actor,
  patientId: string,
  lines: [PriceItemView, number][],
  options: { at?: Date; patientStateCode?: string } = {},
): Promise<InvoiceView> {
  const draft = await createDraftInvoice(system, {
    patientId,
    lines: lines.map(([item, quantity]) => ({ priceItemId: item.id, quantity })),
    ...(options.patientStateCode ? { patientStateCode: options.patientStateCode } : {}),
  });
  return issueInvoice(system, draft.id, options.at ? { at: options.at } : {});
}

/** The trial balance, asserted to balance (debits = credits, balances summing to zero). */
export async function expectBooksBalanced(system: Actor): Promise<TrialBalance> {
  const trial = await trialBalance(system);
  expect(trial.balanced).toBe(true);
  expect(trial.totals.balancePaise).toBe(0);
  expect(trial.accounts.reduce((sum, row) => sum + row.balancePaise, 0)).toBe(0);
  return trial;
}

/** One account's balance (debits − credits) in a trial balance. */
export function balanceOf(trial: TrialBalance, account: string): number {
  return trial.accounts.find((row) => row.account === account)?.balancePaise ?? 0;
}
