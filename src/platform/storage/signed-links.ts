/**
 * Expiring, signed links to stored documents, for a fetcher that cannot sign in: Meta downloading
 * a PDF to deliver it on WhatsApp. A token names a storage key, the filename and content type to
 * serve it with, and an expiry; HMAC-SHA256 under DOCUMENT_LINK_SECRET makes it unforgeable, and a
 * random nonce makes each link distinct (two links to one file cannot be correlated or replayed as
 * one another). The payload is readable base64url JSON, so it carries ids only: storage keys are
 * built from ids, and filenames are cut to a plain charset here.
 *
 * Verification answers null for every failure alike (malformed, tampered, other key, expired) so
 * a caller cannot tell a guessed token from an expired one.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { sameSecret } from '../crypto/same-secret.js';
import { assertSafeKey } from './storage.js';

/** What a link serves: the stored object and how to present it. */
export interface DocumentLinkTarget {
  key: string;
  filename: string;
  contentType: string;
}

/** A signed link and when it stops working. */
export interface SignedDocumentLink {
  url: string;
  expiresAt: Date;
}

const TOKEN = /^[A-Za-z0-9_-]{16,1500}\.[A-Za-z0-9_-]{43}$/;
const CONTENT_TYPE = /^[a-z]+\/[a-z0-9.+-]{1,80}$/;

const payloadSchema = z.object({
  v: z.literal(1),
  k: z.string().min(1).max(300),
  f: z.string().min(1).max(100),
  t: z.string().regex(CONTENT_TYPE),
  /** Expiry, Unix seconds. */
  e: z.number().int().positive(),
  n: z.string().min(16).max(32),
});

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`cinic-document-link.${payload}`).digest();
}

/** `filename` in a charset every client and header handles: letters, digits, `.`, `-`, `_`; ≤ 100. */
export function safeFilename(filename: string): string {
  const cleaned = filename
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-100);
  return cleaned || 'document';
}

/** A token for `target` valid until `expiresAt`; throws for an unsafe key or a malformed content type. */
export function signDocumentToken(target: DocumentLinkTarget, secret: string, expiresAt: Date): string {
  assertSafeKey(target.key);
  if (!CONTENT_TYPE.test(target.contentType))
    throw new TypeError('A document link needs a content type such as application/pdf');
  const payload = {
    v: 1,
    k: target.key,
    f: safeFilename(target.filename),
    t: target.contentType,
    e: Math.floor(expiresAt.getTime() / 1000),
    n: randomBytes(12).toString('base64url'),
  };
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${encoded}.${mac(secret, encoded).toString('base64url')}`;
}

/** The target of a token signed with `secret` and unexpired at `now`, or null for any other token. */
export function verifyDocumentToken(token: string, secret: string, now = new Date()): DocumentLinkTarget | null {
  if (!TOKEN.test(token)) return null;
  const [encoded = '', signature = ''] = token.split('.');
  if (!sameSecret(Buffer.from(signature, 'base64url'), mac(secret, encoded))) return null;
  let parsed: z.infer<typeof payloadSchema>;
  try {
    parsed = payloadSchema.parse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
  if (parsed.e * 1000 <= now.getTime()) return null;
  return { key: parsed.k, filename: parsed.f, contentType: parsed.t };
}

/** A link under PUBLIC_URL to `target`, valid for DOCUMENT_LINK_TTL_HOURS from `now`. */
export function signedDocumentLink(
  config: Pick<Config, 'publicUrl' | 'documents'>,
  target: DocumentLinkTarget,
  now = new Date(),
): SignedDocumentLink {
  const expiresAt = new Date(now.getTime() + config.documents.linkTtlMs);
  return {
    url: `${config.publicUrl}/documents/${signDocumentToken(target, config.documents.linkSecret, expiresAt)}`,
    expiresAt,
  };
}
