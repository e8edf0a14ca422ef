/**
 * One place that creates and closes every BullMQ queue and worker. Queues share one producer
 * connection; workers share one connection with `maxRetriesPerRequest: null` (BullMQ duplicates
 * it for its blocking reads). Shutdown closes workers (letting active jobs finish) before queues,
 * then the connections.
 */
import { Queue, Worker } from 'bullmq';
import type { Job, JobsOptions, WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { log, withLogContext } from '../logger.js';
import { createRedis } from '../redis.js';

/** What a module declares for one queue: its name, processor and options. */
export interface QueueDefinition<Data = unknown> {
  name: string;
  process: (job: Job<Data>) => Promise<unknown>;
  concurrency?: number;
  limiter?: WorkerOptions['limiter'];
  defaultJobOptions?: JobsOptions;
}

/** Creates queues on demand and workers on `startWorkers()`; closes everything in order. */
export class QueueRegistry {
  readonly producerConnection: Redis;
  private workerConnection: Redis | undefined;
  private readonly definitions = new Map<string, QueueDefinition<never>>();
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private closing: Promise<void> | undefined;

  constructor(
    private readonly redisUrl: string,
    readonly prefix: string,
  ) {
    this.producerConnection = createRedis(redisUrl, { name: `${prefix}-producer` });
  }

  /** Registers a queue definition; its Queue is created at once so producers can add jobs. */
  define<Data>(definition: QueueDefinition<Data>): Queue<Data> {
    if (this.definitions.has(definition.name)) throw new Error(`queue ${definition.name} is defined twice`);
    this.definitions.set(definition.name, definition as QueueDefinition<never>);
    return this.queue<Data>(definition.name);
  }

  /** The Queue for `name` (created once, on the shared producer connection). */
  queue<Data = unknown>(name: string): Queue<Data> {
    let queue = this.queues.get(name);
    if (!queue) {
      const definition = this.definitions.get(name);
      queue = new Queue(name, {
        connection: this.producerConnection,
        prefix: this.prefix,
        defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000, ...definition?.defaultJobOptions },
      });
      queue.on('error', (error) => log().warn({ err: error, queue: name }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue as unknown as Queue<Data>;
  }

  /** Starts one worker per defined queue (call in worker processes only). */
  startWorkers(): void {
    this.workerConnection ??= createRedis(this.redisUrl, { forWorkers: true, name: `${this.prefix}-worker` });
    for (const definition of this.definitions.values()) {
      const worker = new Worker(
        definition.name,
        (job) => withLogContext({ queue: definition.name, jobId: job.id }, () => definition.process(job as never)),
        {
          connection: this.workerConnection,
          prefix: this.prefix,
          concurrency: definition.concurrency ?? 1,
          ...(definition.limiter ? { limiter: definition.limiter } : {}),
        },
      );
      worker.on('failed', (job, error) =>
        log().warn({ queue: definition.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'),
      );
      worker.on('error', (error) => log().warn({ err: error, queue: definition.name }, 'worker error'));
      this.workers.push(worker);
    }
  }

  /** Names of all known queues. */
  names(): string[] {
    return [...new Set([...this.definitions.keys(), ...this.queues.keys()])];
  }

  /** Waiting, active, delayed and failed counts per queue (for /metrics). */
  async depths(): Promise<Record<string, Record<string, number>>> {
    const result: Record<string, Record<string, number>> = {};
    for (const name of this.names()) {
      result[name] = await this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed');
    }
    return result;
  }

  /** Closes workers first (active jobs finish), then queues, then the shared connections. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all(this.workers.map((worker) => worker.close()));
      await Promise.all([...this.queues.values()].map((queue) => queue.close()));
      await Promise.all(
        [this.workerConnection, this.producerConnection].map((connection) =>
          connection?.quit().catch(() => connection.disconnect()),
        ),
      );
    })();
    return this.closing;
  }
}
