/**
 * Prometheus metrics: request count and latency by route template (never the raw path, which
 * would carry ids), default process metrics, and BullMQ queue depths collected at scrape time.
 */
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueRegistry } from './queues/registry.js';

/** Adds gauges a module owns to an app's registry (modules push these onto `runtime.metricSources`). */
export type MetricSource = (registry: Registry) => void;

/**
 * Metrics that domain modules define once per process (automation rules' counters and lateness):
 * /metrics serves them beside the app's own. Workers in a process share them, as they share work.
 */
export const domainMetricsRegistry = new Registry();

/** Metrics for one app instance; a fresh registry keeps tests that build many apps apart. */
export function createMetrics(queues: QueueRegistry, sources: readonly MetricSource[] = []) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const source of sources) source(registry);
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'bullmq_queue_jobs',
    help: 'BullMQ jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const depths = await queues.depths().catch(() => ({}));
      for (const [queue, counts] of Object.entries(depths)) {
        for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
      }
    },
  });

  /** Records each finished request under its route template (e.g. /api/v1/patients/:id). */
  const middleware: RequestHandler = (req, res, next) => {
    const stop = latency.startTimer();
    res.on('finish', () => {
      const template = req.route?.path as string | undefined;
      const route = template ? `${req.baseUrl}${template}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      stop(labels);
    });
    next();
  };

  /** The text /metrics serves: the app's metrics, then the domain modules'. */
  const render = async () => `${await registry.metrics()}\n${await domainMetricsRegistry.metrics()}`;

  return { registry, middleware, render };
}

/** The metrics bundle an app carries. */
export type Metrics = ReturnType<typeof createMetrics>;

/**
 * A gauge of documents per value of `field` (outbound messages by status, Razorpay events by
 * outcome), counted at scrape time with one `$group`: exact across any number of processes,
 * and `increase()` over it in Prometheus gives the rate of new ones.
 */
export function countsByField(
  spec: { name: string; help: string; label: string; field: string; values: readonly string[] },
  model: { aggregate(pipeline: object[]): { exec(): Promise<{ _id: unknown; n: number }[]> } },
): MetricSource {
  return (registry) =>
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: [spec.label],
      registers: [registry],
      async collect() {
        const rows = await model
          .aggregate([{ $group: { _id: `$${spec.field}`, n: { $sum: 1 } } }])
          .exec()
          .catch(() => null);
        if (!rows) return;
        for (const value of spec.values) this.set({ [spec.label]: value }, 0);
        for (const row of rows) if (typeof row._id === 'string') this.set({ [spec.label]: row._id }, row.n);
      },
    });
}
