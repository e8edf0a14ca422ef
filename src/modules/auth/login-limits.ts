/**
 * Brute-force limits for staff sign-in and TOTP checks, counted in Redis so every API process
 * shares them; every counter is one atomic Lua call (INCR + expiry), so a burst of parallel
 * guesses cannot check more passwords than the limit. Attempts are charged before the password
 * is checked and refunded on success, so the counters measure failures.
 *
 * The answers never depend on whether the email belongs to staff: the counters are keyed by the
 * email as typed (HMAC, so Redis holds no emails), known or not.
 *
 * - Lockout per account AND source (the IP): 5 wrong passwords lock that pair, answering 429
 *   `account_locked`; the lock lasts 15 min, doubling with each further lock of the pair within a
 *   day (30 min, 1 h, … up to 24 h). Another source — the staff member at their desk — is not
 *   locked out by someone guessing elsewhere, so nobody can lock a colleague out at will.
 * - Per IP: 20 failed sign-ins per 15 min, whatever the accounts (`too_many_attempts`).
 * - Per account, from sources that are not an approved device of that account: 10 per 15 min
 *   (`too_many_attempts`), which bounds guessing spread over many IPs; the staff member's own
 *   approved device is not held by it.
 * - TOTP: 5 wrong codes per 5 min per staff member.
 */
import { createHmac } from 'node:crypto';
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

/** Wrong passwords from one source before that account+source pair locks; the first lock's length, and the cap. */
export const LOCKOUT = { maxFailures: 5, durationMs: 15 * 60_000, maxDurationMs: 24 * 3_600_000 } as const;
/** How long a pair remembers its locks, for the doubling. */
const LOCK_MEMORY_MS = 24 * 3_600_000;

/** Charges one attempt on the pair: refused (0) once the pair has used its `maxFailures` checks. */
const chargePairScript = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local ttl = redis.call('PTTL', KEYS[1])
if count > tonumber(ARGV[1]) then return {0, count, ttl} end
return {1, count, ttl}
`;

/** Locks the pair: the failure counter lives on for the lock's length, doubling per lock in a day. */
const lockPairScript = `
local level = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local ms = math.min(tonumber(ARGV[1]) * 2 ^ (level - 1), tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], ms)
redis.call('SADD', KEYS[3], ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return {ms, level}
`;

/** Clears every locked pair of an account (an admin unlocked it). */
const clearPairsScript = `
local sources = redis.call('SMEMBERS', KEYS[1])
for _, source in ipairs(sources) do
  redis.call('DEL', ARGV[1] .. source, ARGV[2] .. source)
end
redis.call('DEL', KEYS[1])
return #sources
`;

/** The outcome of charging an account+source pair. */
export interface PairCharge {
  /** The attempt may check the password. */
  allowed: boolean;
  /** This attempt's number among the pair's failures (the one at `maxFailures` locks on failure). */
  count: number;
  retryAfterSeconds: number;
}

function accountSubject(clinicId: string, email: string): string {
  return `${clinicId}:${email.trim().toLowerCase()}`;
}

function refuse(results: RateLimitResult[]): void {
  const refused = results.filter((result) => !result.allowed);
  if (refused.length === 0) return;
  const retryAfter = Math.max(...refused.map((result) => result.retryAfterSeconds));
  throw tooManyRequests('Too many attempts; try again later', retryAfter, 'too_many_attempts');
}

/** The answer for a locked account+source pair, the same for any email. */
export const accountLocked = (retryAfterSeconds: number) =>
  tooManyRequests(
    'Too many wrong passwords; sign-in from here is locked for a while',
    retryAfterSeconds,
    'account_locked',
  );

/** The sign-in and TOTP limiters for `runtime`. */
export function loginLimits(runtime: Runtime) {
  const prefix = `${runtime.config.redis.queuePrefix}:auth`;
  const secret = runtime.config.security.sessionSecret;
  const limiter = new RateLimiter(runtime.redis, prefix, secret);
  const digest = (value: string) => createHmac('sha256', secret).update(value).digest('base64url');
  const pairKeys = (clinicId: string, email: string, source: string) => {
    const account = digest(accountSubject(clinicId, email));
    const from = digest(`source:${source}`);
    return {
      failures: `${prefix}:lock:${account}:f:${from}`,
      level: `${prefix}:lock:${account}:l:${from}`,
      sources: `${prefix}:lock:${account}:sources`,
      failuresPrefix: `${prefix}:lock:${account}:f:`,
      levelPrefix: `${prefix}:lock:${account}:l:`,
      from,
    };
  };
  return {
    /** Counts a sign-in attempt from `ip`; throws 429 `too_many_attempts` when the IP is over its limit. */
    async chargeIp(ip: string): Promise<void> {
      refuse([await limiter.hit(LOGIN_LIMITS.perIp, ip)]);
    },
    /** Counts an attempt on the account from a source that is not one of its approved devices. */
    async chargeAccountWide(clinicId: string, email: string): Promise<void> {
      refuse([await limiter.hit(LOGIN_LIMITS.perAccount, accountSubject(clinicId, email))]);
    },
    /** Charges the account+source pair; throws 429 `account_locked` while the pair is locked. */
    async chargePair(clinicId: string, email: string, source: string): Promise<PairCharge> {
      const keys = pairKeys(clinicId, email, source);
      const [allowed, count, ttlMs] = (await runtime.redis.eval(
        chargePairScript,
        1,
        keys.failures,
        String(LOCKOUT.maxFailures),
        String(LOCKOUT.durationMs),
      )) as [number, number, number];
      const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
      if (!allowed) throw accountLocked(retryAfterSeconds);
      return { allowed: true, count, retryAfterSeconds };
    },
    /** Locks the pair after its last allowed failure; answers the lock's length and its number within a day. */
    async lockPair(clinicId: string, email: string, source: string): Promise<{ durationMs: number; level: number }> {
      const keys = pairKeys(clinicId, email, source);
      const [durationMs, level] = (await runtime.redis.eval(
        lockPairScript,
        3,
        keys.failures,
        keys.level,
        keys.sources,
        String(LOCKOUT.durationMs),
        String(LOCKOUT.maxDurationMs),
        String(LOCK_MEMORY_MS),
        keys.from,
      )) as [number, number];
      return { durationMs, level };
    },
    /** A successful sign-in: the pair's failures and lock history, and the IP's and account's charges, are forgotten. */
    async refundSignIn(clinicId: string, email: string, ip: string, chargedAccountWide: boolean): Promise<void> {
      const keys = pairKeys(clinicId, email, ip);
      await Promise.all([
        runtime.redis.del(keys.failures, keys.level),
        limiter.refund(LOGIN_LIMITS.perIp, ip),
        chargedAccountWide ? limiter.refund(LOGIN_LIMITS.perAccount, accountSubject(clinicId, email)) : undefined,
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
    /** Forgets an account's failures and every locked source (an admin unlocked it). */
    async clearAccount(clinicId: string, email: string): Promise<void> {
      const keys = pairKeys(clinicId, email, '');
      await limiter.reset(LOGIN_LIMITS.perAccount, accountSubject(clinicId, email));
      await runtime.redis.eval(clearPairsScript, 1, keys.sources, keys.failuresPrefix, keys.levelPrefix);
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
