import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createDocumentStorage } from '../../src/platform/storage/index.js';
import { LocalDocumentStorage } from '../../src/platform/storage/local-storage.js';
import { S3DocumentStorage } from '../../src/platform/storage/s3-storage.js';
import { testEnv } from '../helpers/env.js';

describe('document storage', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cinic-docs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores, reads and overwrites documents in a local folder without leaving temporary files', async () => {
    const storage = new LocalDocumentStorage(root);
    const pdf = Buffer.from('%PDF-1.7 fake but bytes are bytes');
    await storage.put('clinics/c1/invoices/i1.pdf', pdf, 'application/pdf');
    expect(await storage.get('clinics/c1/invoices/i1.pdf')).toEqual({ body: pdf, contentType: 'application/pdf' });
    await storage.put('clinics/c1/invoices/i1.pdf', Buffer.from('v2'), 'application/pdf');
    expect((await storage.get('clinics/c1/invoices/i1.pdf'))!.body.toString()).toBe('v2');
    expect(await storage.exists('clinics/c1/invoices/missing.pdf')).toBe(false);
    expect(await storage.get('clinics/c1/invoices/missing.pdf')).toBeNull();
    expect(readdirSync(path.join(root, 'clinics/c1/invoices')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses keys that could escape the folder', async () => {
    const storage = new LocalDocumentStorage(root);
    for (const key of ['../etc/passwd', '/abs/path.pdf', 'a//b.pdf', 'a/./b.pdf', 'a/../../b.pdf']) {
      await expect(storage.put(key, Buffer.from('x'), 'text/plain')).rejects.toThrow(/unsafe storage key/);
    }
  });

  it('is chosen by configuration: local by default, S3 when STORAGE_DRIVER=s3 with a bucket', () => {
    expect(createDocumentStorage(loadConfig(testEnv('storage'))).driver).toBeInstanceOf(LocalDocumentStorage);
    const s3 = loadConfig(
      testEnv('storage', { STORAGE_DRIVER: 's3', S3_BUCKET: 'cinic-docs', S3_ENDPOINT: 'http://127.0.0.1:9' }),
    );
    expect(createDocumentStorage(s3).driver).toBeInstanceOf(S3DocumentStorage);
    expect(() => loadConfig(testEnv('storage', { STORAGE_DRIVER: 's3' }))).toThrow(/S3_BUCKET is required/);
  });
});
