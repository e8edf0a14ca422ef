/**
 * Patient portal sessions in Redis (shared by every API process, surviving restarts). The cookie
 * (or bearer token) is a random 256-bit id; Redis keys hold only its HMAC. A session dies after
 * 15 minutes unused or 12 hours after sign-in, whichever comes first: both are checked against
 * the stored times on every use (one Lua call), and the key's TTL follows so Redis forgets it.
 * A per-number set lets "sign out everywhere" end every session of the number at once.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';

/** Patient sessions are shorter than staff ones: idle 15 min, absolute 12 h. */
export const PATIENT_SESSION_LIMITS = { idleMs: 15 * 60_000, absoluteMs: 12 * 3_600_000 } as const;

/** What a patient session remembers; the profiles are re-read from MongoDB per request. */
export interface PatientSessionRecord {
  clinicId: string;
  /** The phone number (contact) that signed in: its holder acts for the profiles on it. */
  contactId: string;
  /** The profile the family switcher has chosen; the account holder's until switched. */
  patientId?: string;
  createdAt: number;
  deadline: number;
  lastSeenAt: number;
}

// Checks both limits against the caller's clock, slides lastSeenAt, and sets the TTL to the
// nearer of the two ends, so an unused session disappears from Redis on its own.
const touchScript = `
local deadline = tonumber(redis.call('HGET', KEYS[1], 'deadline'))
local seen = tonumber(redis.call('HGET', KEYS[1], 'lastSeenAt'))
if not deadline or not seen then return nil end
local now = tonumber(ARGV[1])
local idle = tonumber(ARGV[2])
if now >= deadline or now - seen >= idle then
  redis.call('DEL', KEYS[1])
  return nil
end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.floor(math.min(idle, deadline - now)))
return redis.call('HGETALL', KEYS[1])
`;

const updateScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`;

const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

function fromHash(fields: string[]): PatientSessionRecord | null {
  const map = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) map.set(fields[index]!, fields[index + 1]!);
  const clinicId = map.get('clinicId');
  const contactId = map.get('contactId');
  if (!clinicId || !contactId) return null;
  const patientId = map.get('patientId');
  return {
    clinicId,
    contactId,
    ...(patientId ? { patientId } : {}),
    createdAt: Number(map.get('createdAt')),
    deadline: Number(map.get('deadline')),
    lastSeenAt: Number(map.get('lastSeenAt')),
  };
}

/** Creates, reads (sliding the idle limit), updates and ends patient sessions. */
export class PatientSessionStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly config: Pick<Config, 'redis' | 'security'>,
  ) {
    this.prefix = `${config.redis.queuePrefix}:portal`;
  }

  private key(sessionId: string): string {
    const digest = createHmac('sha256', this.config.security.sessionSecret)
      .update(`patient:${sessionId}`)
      .digest('base64url');
    return `${this.prefix}:sess:${digest}`;
  }

  private contactKey(contactId: string): string {
    return `${this.prefix}:contact-sessions:${contactId}`;
  }

  /** True when `value` looks like an id we issued (cheap reject before touching Redis). */
  static isSessionId(value: string | undefined): value is string {
    return value !== undefined && sessionIdPattern.test(value);
  }

  /** Starts a session for the number `contactId` and returns its id and record. */
  async create(
    fields: Pick<PatientSessionRecord, 'clinicId' | 'contactId'>,
    now = Date.now(),
  ): Promise<{ id: string; record: PatientSessionRecord }> {
    const id = randomBytes(32).toString('base64url');
    const { idleMs, absoluteMs } = PATIENT_SESSION_LIMITS;
    const record: PatientSessionRecord = { ...fields, createdAt: now, deadline: now + absoluteMs, lastSeenAt: now };
    const key = this.key(id);
    await this.redis
      .multi()
      .hset(key, { ...fields, createdAt: now, deadline: record.deadline, lastSeenAt: now })
      .pexpire(key, idleMs)
      .sadd(this.contactKey(fields.contactId), key)
      .pexpire(this.contactKey(fields.contactId), absoluteMs)
      .exec();
    return { id, record };
  }

  /** Reads a live session and slides its idle limit; null when unknown, idle too long or past its deadline. */
  async touch(sessionId: string, now = Date.now()): Promise<PatientSessionRecord | null> {
    const fields = (await this.redis.eval(
      touchScript,
      1,
      this.key(sessionId),
      String(now),
      String(PATIENT_SESSION_LIMITS.idleMs),
    )) as string[] | null;
    return fields ? fromHash(fields) : null;
  }

  /** Remembers the profile chosen in the family switcher (on a live session only). */
  async choosePatient(sessionId: string, patientId: string): Promise<boolean> {
    return (await this.redis.eval(updateScript, 1, this.key(sessionId), 'patientId', patientId)) === 1;
  }

  /** Ends one session. */
  async destroy(sessionId: string, contactId?: string): Promise<void> {
    const key = this.key(sessionId);
    const pipeline = this.redis.multi().del(key);
    if (contactId) pipeline.srem(this.contactKey(contactId), key);
    await pipeline.exec();
  }

  /** Ends every session of the number `contactId` (sign out everywhere, erasure). */
  async destroyAllFor(contactId: string): Promise<number> {
    const keys = await this.redis.smembers(this.contactKey(contactId));
    await this.redis
      .multi()
      .del(...keys, this.contactKey(contactId))
      .exec();
    return keys.length;
  }
}
