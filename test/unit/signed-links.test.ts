import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import {
  safeFilename,
  signDocumentToken,
  signedDocumentLink,
  verifyDocumentToken,
} from '../../src/platform/storage/signed-links.js';
import type { DocumentLinkTarget } from '../../src/platform/storage/signed-links.js';
import { testSecrets } from '../helpers/env.js';

const SECRET = 'document-link-secret-for-tests-0123456789';
const target: DocumentLinkTarget = {
  key: 'clinics/65a1/prescriptions/65b2-v2.pdf',
  filename: 'prescription-2026-11-25-v2.pdf',
  contentType: 'application/pdf',
};
const now = new Date('2026-11-25T10:00:00Z');
const inAnHour = new Date(now.getTime() + 60 * 60_000);

/** `token` with one character of `part` (0: payload, 1: signature) changed. */
function flipped(token: string, part: 0 | 1, at = 5): string {
  const parts = token.split('.');
  const chars = [...parts[part]!];
  chars[at] = chars[at] === 'A' ? 'B' : 'A';
  parts[part] = chars.join('');
  return parts.join('.');
}

describe('signed document links', () => {
  it('verify to their target until they expire', () => {
    const token = signDocumentToken(target, SECRET, inAnHour);
    expect(verifyDocumentToken(token, SECRET, now)).toEqual(target);
    expect(verifyDocumentToken(token, SECRET, new Date(inAnHour.getTime() - 1000))).toEqual(target);
    expect(verifyDocumentToken(token, SECRET, inAnHour)).toBeNull();
    expect(verifyDocumentToken(token, SECRET, new Date(inAnHour.getTime() + 1000))).toBeNull();
  });

  it('are refused when tampered with, signed with another key or malformed', () => {
    const token = signDocumentToken(target, SECRET, inAnHour);
    expect(verifyDocumentToken(flipped(token, 0), SECRET, now)).toBeNull();
    expect(verifyDocumentToken(flipped(token, 1), SECRET, now)).toBeNull();
    expect(verifyDocumentToken(token, `${SECRET}x`, now)).toBeNull();
    // A payload re-signed by someone without the key: another file, a later expiry.
    const [, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        v: 1,
        k: 'clinics/65a1/invoices/x.pdf',
        f: 'x.pdf',
        t: 'application/pdf',
        e: 4_102_444_800,
        n: 'nnnnnnnnnnnnnnnn',
      }),
    ).toString('base64url');
    expect(verifyDocumentToken(`${forged}.${signature}`, SECRET, now)).toBeNull();
    for (const junk of ['', '.', 'abc', `${token}.x`, token.replace('.', ''), `${token}=`, 'a'.repeat(5000)])
      expect(verifyDocumentToken(junk, SECRET, now)).toBeNull();
  });

  it('are unguessable and distinct for the same file', () => {
    const first = signDocumentToken(target, SECRET, inAnHour);
    const second = signDocumentToken(target, SECRET, inAnHour);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('carry only a plain filename and refuse unsafe keys and content types', () => {
    expect(safeFilename('Asha Verma (रिपोर्ट).pdf')).toBe('Asha_Verma_.pdf');
    expect(safeFilename('../../etc/passwd')).toBe('etc_passwd');
    expect(safeFilename('')).toBe('document');
    const token = signDocumentToken({ ...target, filename: 'invoice "2".pdf' }, SECRET, inAnHour);
    expect(verifyDocumentToken(token, SECRET, now)?.filename).toBe('invoice_2_.pdf');
    expect(() => signDocumentToken({ ...target, key: '../secrets.json' }, SECRET, inAnHour)).toThrow();
    expect(() => signDocumentToken({ ...target, contentType: 'text/html; charset=utf-8' }, SECRET, inAnHour)).toThrow(
      TypeError,
    );
  });

  it('are built under PUBLIC_URL with the configured lifetime and secret', () => {
    const config = loadConfig({
      MONGODB_URI: 'mongodb://h',
      REDIS_URL: 'redis://h',
      ...testSecrets,
      PUBLIC_URL: 'https://clinic.example/',
      DOCUMENT_LINK_TTL_HOURS: '2',
    });
    const link = signedDocumentLink(config, target, now);
    expect(link.expiresAt).toEqual(new Date(now.getTime() + 2 * 60 * 60_000));
    expect(link.url).toMatch(/^https:\/\/clinic\.example\/documents\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const token = link.url.split('/').pop()!;
    expect(verifyDocumentToken(token, config.documents.linkSecret, now)).toEqual(target);
    expect(verifyDocumentToken(token, config.documents.linkSecret, link.expiresAt)).toBeNull();
  });
});

describe('DOCUMENT_LINK_SECRET', () => {
  const base = { MONGODB_URI: 'mongodb://h', REDIS_URL: 'redis://h', ...testSecrets };

  it('is derived from the session secret outside production, honoured when set, and required in production', () => {
    const derived = loadConfig(base).documents;
    expect(derived.linkSecret).toHaveLength(43);
    expect(derived.linkSecret).not.toContain(testSecrets.SESSION_SECRET.slice(0, 8));
    expect(loadConfig({ ...base, SESSION_SECRET: `${testSecrets.SESSION_SECRET}x` }).documents.linkSecret).not.toBe(
      derived.linkSecret,
    );
    expect(derived.linkTtlMs).toBe(72 * 60 * 60_000);
    expect(loadConfig({ ...base, DOCUMENT_LINK_SECRET: SECRET }).documents.linkSecret).toBe(SECRET);
    expect(() => loadConfig({ ...base, DOCUMENT_LINK_SECRET: 'short' })).toThrow(
      /DOCUMENT_LINK_SECRET: must be at least 32 characters/,
    );
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(
      /DOCUMENT_LINK_SECRET is required in production/,
    );
  });
});
