/**
 * Rate limits on the portal's sign-in codes, counted in Redis (every API process shares them)
 * under HMAC'd subjects, so Redis never holds a phone number. Limits apply whether or not the
 * number belongs to a patient, so a 429 reveals nothing about who is registered.
 *
 * Requests: 5 codes per number per 15 minutes, 20 per IP per 15 minutes.
 * Verification: 10 tries per number and 30 per IP per 15 minutes (on top of 5 wrong tries per code).
 */
import { tooManyRequests } from '../../platform/errors.js';
import { RateLimiter } from '../../platform/rate-limit.js';
import type { RateLimit, RateLimitResult } from '../../platform/rate-limit.js';
import type { Runtime } from '../../platform/runtime.js';

/** The limits, exported so tests and the README read the same numbers. */
export const OTP_LIMITS = {
  requestPerPhone: { name: 'otp-request-phone', limit: 5, windowSeconds: 15 * 60 },
  requestPerIp: { name: 'otp-request-ip', limit: 20, windowSeconds: 15 * 60 },
  verifyPerPhone: { name: 'otp-verify-phone', limit: 10, windowSeconds: 15 * 60 },
  verifyPerIp: { name: 'otp-verify-ip', limit: 30, windowSeconds: 15 * 60 },
} as const satisfies Record<string, RateLimit>;

function refuse(results: RateLimitResult[]): void {
  const refused = results.filter((result) => !result.allowed);
  if (refused.length === 0) return;
  const retryAfter = Math.max(...refused.map((result) => result.retryAfterSeconds));
  throw tooManyRequests('Too many attempts; try again later', retryAfter, 'too_many_attempts');
}

/** The request and verify limiters for `runtime`. */
export function otpLimits(runtime: Runtime) {
  const limiter = new RateLimiter(
    runtime.redis,
    `${runtime.config.redis.queuePrefix}:portal`,
    runtime.config.security.sessionSecret,
  );
  return {
    /** Counts a code request; 429 with Retry-After when the number or the IP is over its limit. */
    async chargeRequest(clinicId: string, phone: string, ip: string): Promise<void> {
      refuse(
        await Promise.all([
          limiter.hit(OTP_LIMITS.requestPerPhone, `${clinicId}:${phone}`),
          limiter.hit(OTP_LIMITS.requestPerIp, ip),
        ]),
      );
    },
    /** Counts a verification try; 429 with Retry-After when the number or the IP is over its limit. */
    async chargeVerify(clinicId: string, phone: string, ip: string): Promise<void> {
      refuse(
        await Promise.all([
          limiter.hit(OTP_LIMITS.verifyPerPhone, `${clinicId}:${phone}`),
          limiter.hit(OTP_LIMITS.verifyPerIp, ip),
        ]),
      );
    },
  };
}
