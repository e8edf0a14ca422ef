/**
 * The process-wide pieces every module needs: config, the queue registry and its Redis
 * connection. Built once in main (or once per test file) and passed down explicitly.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
// Registers the AuditEvent model, so its collection and chain index are created at boot.
import './audit/audit-event.model.js';
import { configureFieldEncryption } from './crypto/keyring.js';
import { connectMongo, disconnectMongo, initModels } from './db.js';
import { log } from './logger.js';
import type { MetricSource } from './metrics.js';
import { QueueRegistry } from './queues/registry.js';

/** Shared dependencies for the app, services and workers. */
export interface Runtime {
  config: Config;
  queues: QueueRegistry;
  /** Fail-fast Redis connection for API-side commands (rate limits, sessions, readiness). */
  redis: Redis;
  /** Set when shutdown begins; readiness answers 503 from then on. */
  shuttingDown: boolean;
  /** Gauges modules add to /metrics (registered in `register`). */
  metricSources: MetricSource[];
}

/** Waits until Redis answers, so fail-fast commands do not race the first connect. */
async function waitForRedis(redis: Redis, timeoutMs = 15_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis is unreachable after ${timeoutMs / 1000}s`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Connects MongoDB and Redis, lets each module register its models and queues, and creates
 * every collection and index before anything serves.
 */
export async function createRuntime(config: Config, registerModules: (runtime: Runtime) => void): Promise<Runtime> {
  configureFieldEncryption(config);
  await connectMongo({ uri: config.mongo.uri, dbName: config.mongo.dbName });
  const queues = new QueueRegistry(config.redis.url, config.redis.queuePrefix);
  const runtime: Runtime = { config, queues, redis: queues.producerConnection, shuttingDown: false, metricSources: [] };
  try {
    await waitForRedis(runtime.redis);
    registerModules(runtime);
    await initModels();
  } catch (error) {
    await closeRuntime(runtime);
    throw error;
  }
  log().info({ queues: queues.names().length }, 'runtime ready');
  return runtime;
}

/** Closes workers, then queues and Redis, then MongoDB. */
export async function closeRuntime(runtime: Runtime): Promise<void> {
  runtime.shuttingDown = true;
  await runtime.queues.close();
  await disconnectMongo();
}
