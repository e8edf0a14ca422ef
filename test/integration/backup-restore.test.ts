/**
 * Issue 19.1–2: back up a seeded clinic, wipe the database, restore it with `npm run restore`'s
 * script, and the app serves the same patients, appointments and invoices with a valid audit
 * chain; a non-empty database and a corrupted archive are refused by name; the restore drill
 * passes, then fails on the corrupted archive and raises the one backup alert.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import {
  backupStatus,
  readManifest,
  restoreBackup,
  runBackup,
  runRestoreDrill,
} from '../../src/modules/operations/index.js';
import type { BackupManifest } from '../../src/modules/operations/index.js';
import { storageAnchors } from '../../src/platform/audit/anchors.js';
import { verifyAuditChain } from '../../src/platform/audit/verify-chain.js';
import { createDocumentStorage } from '../../src/platform/storage/index.js';
import type { DocumentStorage } from '../../src/platform/storage/index.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { issuedInvoice, makeExemptItem, prepareBillingClinic } from '../helpers/billing.js';
import { bookedAppointment } from '../helpers/clinical.js';
import { makeDoctor, makePatient } from '../helpers/scheduling.js';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';
import { testEnv } from '../helpers/env.js';

const run = promisify(execFile);
let t: TestApp;
let env: Record<string, string | undefined>;
let storage: DocumentStorage;
let admin: SignedInStaff;
let manifest: BackupManifest;
const seen: { patients: string[]; appointments: string[]; invoices: string[] } = {
  patients: [],
  appointments: [],
  invoices: [],
};

async function served(): Promise<unknown[]> {
  const bodies: unknown[] = [];
  for (const id of seen.patients) bodies.push((await admin.agent.get(`/api/v1/patients/${id}`).expect(200)).body);
  for (const id of seen.appointments)
    bodies.push((await admin.agent.get(`/api/v1/appointments/${id}`).expect(200)).body);
  for (const id of seen.invoices) bodies.push((await admin.agent.get(`/api/v1/invoices/${id}`).expect(200)).body);
  return bodies;
}

function restoreScript(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', ...args], {
    env: { ...process.env, ...env },
  }).catch((error: { code: number; stdout: string; stderr: string }) => error);
}

beforeAll(async () => {
  env = testEnv('backuprestore');
  t = await startTestApp('backuprestore', { env: env as Record<string, string> });
  // startTestApp builds its own env; reuse its database and data folder for the child process.
  env = { ...env, MONGODB_DB: t.runtime.config.mongo.dbName, CINIC_DATA_DIR: t.runtime.config.dataDir };
  storage = createDocumentStorage(t.runtime.config);
  const system = await testSystemActor();
  admin = await createStaffAndLogin(t, ['admin']);
  const frontdesk = await createStaffAndLogin(t, ['frontdesk']);
  await prepareBillingClinic(system);
  const item = await makeExemptItem(system);
  const doctorId = await makeDoctor(system);
  for (const name of ['Asha Verma', 'रवि शर्मा']) {
    const patient = await makePatient(system, name);
    seen.patients.push(patient.id);
    seen.appointments.push((await bookedAppointment(frontdesk, system, doctorId, patient.id)).appointmentId);
    seen.invoices.push((await issuedInvoice(system, patient.id, [[item, 1]])).id);
  }
}, 120_000);
afterAll(async () => {
  await t.close();
});

describe('backup and restore', () => {
  it('backs up, wipes, restores through the script, and the app serves the same records and a valid chain', async () => {
    const before = await served();
    manifest = await runBackup({ config: t.runtime.config, storage });
    expect(manifest.collections.patients!.count).toBe(2);
    expect(manifest.collections.invoices!.count).toBe(2);
    expect(manifest.chainHeads.length).toBeGreaterThan(0);
    expect(manifest.dataKeyIds).toEqual(['t1']);
    expect(manifest.archive).toMatchObject({ cipher: 'aes-256-gcm', keyId: 'd0' });
    // Encrypted and compressed: no patient name or phone in the stored bytes.
    const archive = (await storage.get(manifest.archive.key))!.body;
    expect(archive.includes(Buffer.from('Asha'))).toBe(false);
    expect(archive.includes(Buffer.from('patients'))).toBe(false);

    await mongoose.connection.db!.dropDatabase();
    const restored = await restoreScript(manifest.id);
    expect(restored.stdout).toContain(`Restored backup ${manifest.id}`);
    expect(restored.stdout).toContain('counts and checksums match; audit chain intact');
    expect((restored as { code?: number }).code ?? 0).toBe(0);

    expect(await served()).toEqual(before);
    expect(await verifyAuditChain({ anchors: [storageAnchors(storage)] })).toMatchObject({ ok: true });
  }, 120_000);

  it('refuses to restore over a database that holds data, unless told', async () => {
    const refused = await restoreScript(manifest.id);
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stderr).toMatch(/holds \d+ document\(s\); restore only into an empty database/);
    const forced = await restoreScript(manifest.id, '--force');
    expect(forced.stdout).toContain('counts and checksums match; audit chain intact');
  }, 120_000);

  it('drills the latest backup in a scratch database, and reports a corrupted archive by name with one alert', async () => {
    const passed = await runRestoreDrill({ config: t.runtime.config, storage });
    expect(passed).toMatchObject({ kind: 'drill', ok: true, backupId: manifest.id });
    expect((await backupStatus({ config: t.runtime.config, storage })).alert).toEqual({ firing: false, reasons: [] });
    const scratchLeft = await mongoose.connection.getClient().db().admin().listDatabases();
    expect(scratchLeft.databases.map((d) => d.name)).not.toContain(`${t.runtime.config.mongo.dbName}_drill`);

    const file = path.join(t.runtime.config.dataDir, 'documents', manifest.archive.key);
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await writeFile(file, bytes);

    const scratch = mongoose.connection.getClient().db(`${t.runtime.config.mongo.dbName}_x`);
    await expect(restoreBackup({ config: t.runtime.config, storage, db: scratch }, manifest.id)).rejects.toThrow(
      `Backup ${manifest.id} refused: archive ${manifest.archive.key} does not match its manifest checksum (corrupted)`,
    );
    await readManifest(t.runtime.config, storage, manifest.id);

    const failed = await runRestoreDrill({ config: t.runtime.config, storage });
    expect(failed).toMatchObject({ ok: false, backupId: manifest.id });
    expect(failed.error).toContain('corrupted');
    const status = (await admin.agent.get('/api/v1/operations/status').expect(200)).body;
    expect(status.alert.firing).toBe(true);
    expect(status.alert.reasons).toEqual([expect.stringContaining('the last restore drill failed')]);
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^cinic_restore_drill_last_success 0$/m);
    expect(metrics).toMatch(/^cinic_backup_alert 1$/m);
  }, 120_000);
});
