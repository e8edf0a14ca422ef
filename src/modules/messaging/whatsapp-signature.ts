/**
 * Meta signs every webhook POST with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
 * body, keyed with the app secret>`. The check runs over the exact bytes received (Meta escapes
 * non-ASCII as \uXXXX before signing, so re-serialising the parsed JSON would not match).
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from '../../platform/crypto/same-secret.js';

/** The `X-Hub-Signature-256` value for `rawBody` under `appSecret`. */
export function webhookSignature(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** True when `header` is the signature of `rawBody`; compared in constant time. */
export function isValidWebhookSignature(
  rawBody: Buffer | undefined,
  header: string | undefined,
  appSecret: string,
): boolean {
  if (!rawBody || !header) return false;
  return sameSecret(header.trim().toLowerCase(), webhookSignature(rawBody, appSecret));
}
