import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import type { Response } from 'supertest';
import { loadConfig } from '../../src/config.js';
import type { Actor } from '../../src/platform/actor.js';
import { createDocumentStorage } from '../../src/platform/storage/index.js';
import { LocalDocumentStorage } from '../../src/platform/storage/local-storage.js';
import { S3DocumentStorage } from '../../src/platform/storage/s3-storage.js';
import { signDocumentToken } from '../../src/platform/storage/signed-links.js';
import { createStaffAndLogin, testSystemActor } from '../helpers/auth.js';
import type { SignedInStaff } from '../helpers/auth.js';
import { issuedInvoice, makeItem, prepareBillingClinic, startBillingApp } from '../helpers/billing.js';
import { testEnv, testSecrets } from '../helpers/env.js';
import { makePatient } from '../helpers/scheduling.js';

const PATIENT_NAME = 'Zoravar Quillfeather';

/** Collects a binary body (supertest buffers only text by default). */
function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/**
 * The text a PDF shows, as `pdftotext` would find it in pdfkit's output: every Flate stream is
 * inflated and its hex and literal strings decoded. Run on raw stored bytes it finds the patient
 * in a plaintext PDF, so finding nothing in an encrypted file means something.
 */
function pdfText(bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  const parts: string[] = [raw];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) continue;
    try {
      parts.push(inflateSync(bytes.subarray(start, end)).toString('latin1'));
    } catch {
      // Not a Flate stream (an image, or not a PDF at all): its raw bytes are already in `parts`.
    }
  }
  const text = parts.join('\n');
  const hex = [...text.matchAll(/<([0-9A-Fa-f\s]+)>/g)].map((m) => Buffer.from(m[1]!.replace(/\s/g, ''), 'hex'));
  const literal = [...text.matchAll(/\(((?:[^()\\]|\\.)*)\)/g)].map((m) => m[1]!);
  return `${text}\n${hex.map((b) => b.toString('latin1')).join('')}\n${literal.join('')}`;
}

function keyIdOf(stored: Buffer): string {
  const sealedKey = stored.subarray(11, 11 + stored.readUInt16BE(9)).toString('ascii');
  return sealedKey.split(':')[2]!;
}

describe('documents encrypted at rest (envelope per document, data key sealed by the keyring)', () => {
  let t: Awaited<ReturnType<typeof startBillingApp>>;
  let system: Actor;
  let frontdesk: SignedInStaff;
  let patient: { id: string; phone: string };
  let invoiceKey: string;
  let invoiceCode: string;

  beforeAll(async () => {
    t = await startBillingApp('docencrypt');
    system = await testSystemActor();
    await prepareBillingClinic(system);
    frontdesk = await createStaffAndLogin(t, ['frontdesk']);
    patient = await makePatient(system, PATIENT_NAME);
  });
  afterAll(async () => {
    await t.close();
  });

  async function viaLink(key: string): Promise<Buffer> {
    const token = signDocumentToken(
      { key, filename: 'doc.pdf', contentType: 'application/pdf' },
      t.runtime.config.documents.linkSecret,
      new Date(Date.now() + 60_000),
    );
    const res = await t.http.get(`/documents/${token}`).buffer(true).parse(binary).expect(200);
    return res.body as Buffer;
  }

  it('stores a rendered invoice with no patient text and no PDF structure in its bytes; links and staff get the PDF', async () => {
    const invoice = await issuedInvoice(system, patient.id, [[await makeItem(system), 1]]);
    invoiceKey = `clinics/${system.clinicId}/invoices/${invoice.id}.pdf`;
    const staff = await frontdesk.agent
      .get(`/api/v1/invoices/${invoice.id}/pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const served = staff.body as Buffer;
    expect(served.subarray(0, 5).toString()).toBe('%PDF-');
    invoiceCode = invoice.patient.code;
    // The scanner sees the patient in the served PDF: so it would see them in a plaintext file.
    expect(pdfText(served)).toContain(PATIENT_NAME);
    expect(pdfText(served)).toContain(invoiceCode);

    const raw = readFileSync(path.join(t.documentsDir, invoiceKey));
    const rawText = pdfText(raw);
    expect(raw.includes('%PDF')).toBe(false);
    expect(rawText).not.toContain(PATIENT_NAME);
    expect(rawText).not.toContain(invoiceCode);
    expect(rawText).not.toContain('Quillfeather');
    expect(raw.subarray(0, 8).toString()).toBe('CINICDOC');
    expect(keyIdOf(raw)).toBe('t1');

    expect(Buffer.compare(await viaLink(invoiceKey), served)).toBe(0);
  });

  it('serves documents stored before encryption as they are, and keys:rotate seals them', async () => {
    const legacyKey = `clinics/${system.clinicId}/invoices/legacy-1.pdf`;
    const plaintext = readFileSync(path.join(t.documentsDir, invoiceKey)); // sealed: make a plaintext one
    const pdf = (await createDocumentStorage(t.runtime.config).get(invoiceKey))!.body;
    expect(plaintext.equals(pdf)).toBe(false);
    const driver = new LocalDocumentStorage(t.documentsDir);
    await driver.put(legacyKey, pdf, 'application/pdf');
    expect(pdfText(readFileSync(path.join(t.documentsDir, legacyKey)))).toContain(PATIENT_NAME);
    expect(Buffer.compare(await viaLink(legacyKey), pdf)).toBe(0);

    const counts = await createDocumentStorage(t.runtime.config).rotateDocumentKeys();
    expect(counts).toMatchObject({ encrypted: 1, resealed: 0, failed: 0 });
    const raw = readFileSync(path.join(t.documentsDir, legacyKey));
    expect(raw.includes('%PDF')).toBe(false);
    expect(pdfText(raw)).not.toContain(PATIENT_NAME);
    expect(Buffer.compare(await viaLink(legacyKey), pdf)).toBe(0);
    // Nothing left to do on a second run.
    expect(await createDocumentStorage(t.runtime.config).rotateDocumentKeys()).toMatchObject({
      encrypted: 0,
      resealed: 0,
      failed: 0,
    });
  });

  it('re-seals data keys under a new current key, after which the old key can be dropped', async () => {
    const before = readFileSync(path.join(t.documentsDir, invoiceKey));
    const pdf = (await createDocumentStorage(t.runtime.config).get(invoiceKey))!.body;
    const newKey = `t2:${Buffer.alloc(32, 7).toString('base64')}`;
    const both = loadConfig(
      testEnv('docencrypt', {
        CINIC_DATA_DIR: path.dirname(t.documentsDir),
        DATA_ENCRYPTION_KEYS: `${testSecrets.DATA_ENCRYPTION_KEYS},${newKey}`,
        DATA_ENCRYPTION_KEY_ID: 't2',
      }),
    );
    const counts = await createDocumentStorage(both).rotateDocumentKeys();
    expect(counts).toMatchObject({ resealed: counts.scanned, encrypted: 0, failed: 0 });
    expect(counts.scanned).toBeGreaterThanOrEqual(2);
    const after = readFileSync(path.join(t.documentsDir, invoiceKey));
    expect(keyIdOf(after)).toBe('t2');
    // Only the sealed data key changed: the encrypted body is the same bytes.
    expect(after.subarray(after.length - 64).equals(before.subarray(before.length - 64))).toBe(true);

    const onlyNew = loadConfig(
      testEnv('docencrypt', { CINIC_DATA_DIR: path.dirname(t.documentsDir), DATA_ENCRYPTION_KEYS: newKey }),
    );
    expect(Buffer.compare((await createDocumentStorage(onlyNew).get(invoiceKey))!.body, pdf)).toBe(0);
    // The running app (keyring t1 only) can no longer open it: the rotation really re-sealed.
    await expect(createDocumentStorage(t.runtime.config).get(invoiceKey)).rejects.toMatchObject({
      code: 'field_key_unknown',
    });
  });

  it('refuses a document copied over another document’s key (bound to its storage key)', async () => {
    const storage = createDocumentStorage(t.runtime.config);
    const a = `clinics/${system.clinicId}/prescriptions/a.pdf`;
    const b = `clinics/${system.clinicId}/prescriptions/b.pdf`;
    await storage.put(a, Buffer.from('%PDF-1.7 patient A'), 'application/pdf');
    await storage.put(b, Buffer.from('%PDF-1.7 patient B'), 'application/pdf');
    copyFileSync(path.join(t.documentsDir, a), path.join(t.documentsDir, b));
    await expect(storage.get(b)).rejects.toMatchObject({ code: 'field_decrypt_failed' });
    expect((await storage.get(a))!.body.toString()).toBe('%PDF-1.7 patient A');
  });

  it('asks S3 for SSE-KMS (with the configured key) on every write, on top of the envelope', () => {
    const s3 = new S3DocumentStorage({ bucket: 'b', region: 'ap-south-1', kmsKeyId: 'alias/cinic-documents' });
    expect(s3.putRequest('clinics/c/invoices/i.pdf', Buffer.from('x'), 'application/pdf')).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'alias/cinic-documents',
    });
    const config = loadConfig(
      testEnv('docencrypt', {
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'b',
        S3_KMS_KEY_ID: 'alias/k',
        S3_ENDPOINT: 'http://127.0.0.1:9',
      }),
    );
    const storage = createDocumentStorage(config);
    expect(storage.driver).toBeInstanceOf(S3DocumentStorage);
    expect(
      (storage.driver as S3DocumentStorage).putRequest('k.pdf', Buffer.from('x'), 'application/pdf'),
    ).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/k' });
  });
});
