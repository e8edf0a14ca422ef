/**
 * Shared ioredis connections. BullMQ workers need `maxRetriesPerRequest: null` (blocking
 * commands must wait through reconnects); commands issued by the API fail fast instead.
 */
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

/** Creates a connection; `forWorkers` selects BullMQ's blocking-safe settings. */
export function createRedis(url: string, { forWorkers = false, name = 'cinic' } = {}): Redis {
  const options: RedisOptions = {
    connectionName: name,
    lazyConnect: false,
    enableOfflineQueue: forWorkers,
    maxRetriesPerRequest: forWorkers ? null : 1,
    // Reconnect forever with capped backoff: Redis restarts should heal without a redeploy.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
  return new Redis(url, options);
}

/** True when Redis answers PING within `timeoutMs`. */
export async function pingRedis(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return answer === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
