/**
 * Brute-force limits for staff sign-in and TOTP checks, counted in Redis so every API process
 * shares them. Attempts are charged up front and refunded on success, so the counters measure
 * failures while a burst of parallel guesses is still bounded.
 *
 * Per IP: 20 failed sign-ins per 15 min. Per account (clinic + email, whether or not the account
 * exists, so the answer does not reveal which emails are staff): 10 per 15 min. TOTP: 5 wrong
 * codes per 5 min per staff member. Separately, 5 consecutive wrong passwords lock an existing
 * account for 15 min (stored on the account, see auth.service.ts).
 */
import { tooManyRequests } from '../../platform/errors.js';
import { RateLimiter } from '../../platform/rate-limit.js';
import type { RateLimit, RateLimitResult } from '../../platform/rate-limit.js';
import type { Runtime } from '../../platform/runtime.js';

/** The limits, exported so tests and docs read the same numbers. */
export const LOGIN_LIMITS = {
  perIp: { name: 'login-ip', limit: 20, windowSeconds: 15 * 60 },
  perAccount: { name: 'login-account', limit: 10, windowSeconds: 15 * 60 },
  mfa: { name: 'mfa-code', limit: 5, windowSeconds: 5 * 60 },
} as const satisfies Record<string, RateLimit>;

/** Consecutive wrong passwords before an account locks, and for how long. */
export const LOCKOUT = { maxFailures: 5, durationMs: 15 * 60_000 } as const;

function accountSubject(clinicId: string, email: string): string {
  return `${clinicId}:${email.trim().toLowerCase()}`;
}

function refuse(results: RateLimitResult[]): void {
  const refused = results.filter((result) => !result.allowed);
  if (refused.length === 0) return;
  const retryAfter = Math.max(...refused.map((result) => result.retryAfterSeconds));
  throw tooManyRequests('Too many attempts; try again later', retryAfter, 'too_many_attempts');
}

/** The sign-in and TOTP limiters for `runtime`. */
export function loginLimits(runtime: Runtime) {
  const limiter = new RateLimiter(
    runtime.redis,
    `${runtime.config.redis.queuePrefix}:auth`,
    runtime.config.security.sessionSecret,
  );
  return {
    /** Counts a sign-in attempt from `ip` for the account; throws 429 with Retry-After when over either limit. */
    async chargeSignIn(clinicId: string, email: string, ip: string): Promise<void> {
      refuse(
        await Promise.all([
          limiter.hit(LOGIN_LIMITS.perIp, ip),
          limiter.hit(LOGIN_LIMITS.perAccount, accountSubject(clinicId, email)),
        ]),
      );
    },
    /** Takes a successful sign-in back off both counters. */
    async refundSignIn(clinicId: string, email: string, ip: string): Promise<void> {
      await Promise.all([
        limiter.refund(LOGIN_LIMITS.perIp, ip),
        limiter.refund(LOGIN_LIMITS.perAccount, accountSubject(clinicId, email)),
      ]);
    },
    /** Counts a password check for the account alone (password change from a live session). */
    async chargeAccount(clinicId: string, email: string): Promise<void> {
      refuse([await limiter.hit(LOGIN_LIMITS.perAccount, accountSubject(clinicId, email))]);
    },
    /** Takes a successful account-only check back off the counter. */
    async refundAccount(clinicId: string, email: string): Promise<void> {
      await limiter.refund(LOGIN_LIMITS.perAccount, accountSubject(clinicId, email));
    },
    /** Forgets an account's failures (an admin unlocked it). */
    async clearAccount(clinicId: string, email: string): Promise<void> {
      await limiter.reset(LOGIN_LIMITS.perAccount, accountSubject(clinicId, email));
    },
    /** Counts a TOTP attempt by `staffId`; throws 429 when over the limit. */
    async chargeCode(staffId: string): Promise<void> {
      refuse([await limiter.hit(LOGIN_LIMITS.mfa, staffId)]);
    },
    /** Takes an accepted TOTP code back off the counter. */
    async refundCode(staffId: string): Promise<void> {
      await limiter.refund(LOGIN_LIMITS.mfa, staffId);
    },
  };
}
