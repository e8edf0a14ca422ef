/**
 * Staff sessions in Redis, never in process memory, so any API process can serve any request and
 * a restart signs nobody out. The cookie carries a random 256-bit id; Redis keys hold only its
 * HMAC, so a Redis dump cannot be replayed as cookies.
 *
 * Each session is a hash whose TTL is the idle timeout, slid forward on every use but never past
 * the absolute deadline fixed at sign-in (one Lua call, so concurrent requests cannot extend it).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';

/** What a session remembers; everything else is re-read from MongoDB per request. */
export interface SessionRecord {
  staffId: string;
  clinicId: string;
  deviceId: string;
  /** Epoch ms of sign-in. */
  createdAt: number;
  /** Epoch ms after which the session is dead however active it is. */
  deadline: number;
  /** Epoch ms of the TOTP check in this session, if one happened. */
  mfaVerifiedAt?: number;
}

const touchScript = `
local deadline = tonumber(redis.call('HGET', KEYS[1], 'deadline'))
if not deadline then return nil end
local ttl = math.floor(math.min(tonumber(ARGV[2]), deadline - tonumber(ARGV[1])))
if ttl <= 0 then
  redis.call('DEL', KEYS[1])
  return nil
end
redis.call('PEXPIRE', KEYS[1], ttl)
return redis.call('HGETALL', KEYS[1])
`;

// HSET only on a live session: a late write must not resurrect a logged-out one.
const updateScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`;

const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

function fromHash(fields: string[]): SessionRecord | null {
  const map = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) map.set(fields[index]!, fields[index + 1]!);
  const staffId = map.get('staffId');
  const clinicId = map.get('clinicId');
  const deviceId = map.get('deviceId');
  if (!staffId || !clinicId || !deviceId) return null;
  const verified = map.get('mfaVerifiedAt');
  return {
    staffId,
    clinicId,
    deviceId,
    createdAt: Number(map.get('createdAt')),
    deadline: Number(map.get('deadline')),
    ...(verified ? { mfaVerifiedAt: Number(verified) } : {}),
  };
}

/** Creates, reads (sliding the idle timeout), updates and destroys sessions. */
export class SessionStore {
  readonly idleMs: number;
  readonly absoluteMs: number;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly config: Config,
  ) {
    this.idleMs = Math.round(config.security.sessionIdleMinutes * 60_000);
    this.absoluteMs = Math.round(config.security.sessionAbsoluteHours * 3_600_000);
    this.prefix = `${config.redis.queuePrefix}:auth`;
  }

  private key(sessionId: string): string {
    return `${this.prefix}:sess:${createHmac('sha256', this.config.security.sessionSecret).update(sessionId).digest('base64url')}`;
  }

  private staffKey(staffId: string): string {
    return `${this.prefix}:staff-sessions:${staffId}`;
  }

  /** True when `value` looks like an id we issued (cheap reject before touching Redis). */
  static isSessionId(value: string | undefined): value is string {
    return value !== undefined && sessionIdPattern.test(value);
  }

  /** Starts a session and returns its id (for the cookie) and record. */
  async create(
    fields: Pick<SessionRecord, 'staffId' | 'clinicId' | 'deviceId'>,
    now = Date.now(),
  ): Promise<{ id: string; record: SessionRecord }> {
    const id = randomBytes(32).toString('base64url');
    const record: SessionRecord = { ...fields, createdAt: now, deadline: now + this.absoluteMs };
    const key = this.key(id);
    await this.redis
      .multi()
      .hset(key, {
        staffId: record.staffId,
        clinicId: record.clinicId,
        deviceId: record.deviceId,
        createdAt: record.createdAt,
        deadline: record.deadline,
      })
      .pexpire(key, Math.min(this.idleMs, this.absoluteMs))
      // The per-staff index lets a password change, deactivation or MFA reset end every session.
      .sadd(this.staffKey(record.staffId), key)
      .pexpire(this.staffKey(record.staffId), this.absoluteMs)
      .exec();
    return { id, record };
  }

  /** Reads a live session and slides its idle timeout; null when missing, idle-expired or past its deadline. */
  async touch(sessionId: string, now = Date.now()): Promise<SessionRecord | null> {
    const fields = (await this.redis.eval(touchScript, 1, this.key(sessionId), String(now), String(this.idleMs))) as
      | string[]
      | null;
    return fields ? fromHash(fields) : null;
  }

  /** Records a successful TOTP check on a live session. */
  async markMfaVerified(sessionId: string, now = Date.now()): Promise<boolean> {
    return (await this.redis.eval(updateScript, 1, this.key(sessionId), 'mfaVerifiedAt', String(now))) === 1;
  }

  /** Ends one session. */
  async destroy(sessionId: string, staffId?: string): Promise<void> {
    const key = this.key(sessionId);
    const pipeline = this.redis.multi().del(key);
    if (staffId) pipeline.srem(this.staffKey(staffId), key);
    await pipeline.exec();
  }

  /** Ends every session of `staffId`, except `keepSessionId` when given. */
  async destroyAllFor(staffId: string, keepSessionId?: string): Promise<void> {
    const keep = keepSessionId ? this.key(keepSessionId) : undefined;
    const keys = (await this.redis.smembers(this.staffKey(staffId))).filter((key) => key !== keep);
    if (keys.length === 0) return;
    await this.redis
      .multi()
      .del(...keys)
      .srem(this.staffKey(staffId), ...keys)
      .exec();
  }
}
