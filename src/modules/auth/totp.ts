/**
 * TOTP (RFC 6238, 30 s steps, 6 digits, SHA-1 — what every authenticator app supports) through
 * `otpauth`, QR codes through `qrcode`. Codes are matched to their time step so the caller can
 * refuse a step it has already accepted (replay).
 */
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/** Seconds per TOTP step. */
export const TOTP_PERIOD_SECONDS = 30;
/** Steps either side of now that still count (clock drift on phones). */
const WINDOW = 1;
const ISSUER = 'CINIC';

function totp(secretBase32: string, label = 'staff'): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A fresh 160-bit secret, base32 (the form authenticator apps take). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` URI an authenticator app scans; `label` is what the app shows (the staff email). */
export function otpauthUri(secretBase32: string, label: string): string {
  return totp(secretBase32, label).toString();
}

/** The URI as a PNG QR code in a `data:` URL. */
export function qrCodeDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { type: 'image/png', errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/** The time step `code` is valid for (within the drift window), or null when it is wrong. */
export function totpStepOf(secretBase32: string, code: string, now = Date.now()): number | null {
  const delta = totp(secretBase32).validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
}
