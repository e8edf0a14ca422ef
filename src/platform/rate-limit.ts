/**
 * Fixed-window rate limiting in Redis (shared by every API process). Each `hit` counts one
 * attempt atomically (INCR and the window's expiry in one Lua call) and says whether the limit is
 * exceeded and when the window ends. Callers that only want to count failures `refund` the
 * attempt once it succeeded; charging first keeps a burst of parallel requests bounded.
 */
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';

/** One limit: at most `limit` attempts per `windowSeconds`. */
export interface RateLimit {
  /** Names the counter in Redis keys, e.g. `login-ip`. */
  name: string;
  limit: number;
  windowSeconds: number;
}

/** The outcome of one counted attempt. */
export interface RateLimitResult {
  allowed: boolean;
  count: number;
  /** Seconds until the window resets (the Retry-After value when refused). */
  retryAfterSeconds: number;
}

const hitScript = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

const refundScript = `
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('DECR', KEYS[1]) <= 0 then
  redis.call('DEL', KEYS[1])
end
return 0
`;

/** Counts attempts per subject (IP, account, phone) in Redis under `<prefix>:rl:`. */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** Keys subjects with an HMAC so Redis never holds emails or phone numbers. */
    private readonly keySecret: string,
  ) {}

  private key(limit: RateLimit, subject: string): string {
    const digest = createHmac('sha256', this.keySecret).update(subject).digest('base64url');
    return `${this.prefix}:rl:${limit.name}:${digest}`;
  }

  /** Counts one attempt by `subject` against `limit`. */
  async hit(limit: RateLimit, subject: string): Promise<RateLimitResult> {
    const [count, ttlMs] = (await this.redis.eval(
      hitScript,
      1,
      this.key(limit, subject),
      String(limit.windowSeconds * 1000),
    )) as [number, number];
    return { allowed: count <= limit.limit, count, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }

  /** Takes back one attempt (e.g. after a successful login) so only failures accumulate. */
  async refund(limit: RateLimit, subject: string): Promise<void> {
    await this.redis.eval(refundScript, 1, this.key(limit, subject));
  }

  /** Clears the counter (e.g. an admin unlocking an account). */
  async reset(limit: RateLimit, subject: string): Promise<void> {
    await this.redis.del(this.key(limit, subject));
  }
}
