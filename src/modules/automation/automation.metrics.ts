/**
 * Prometheus metrics per rule: jobs done, skipped, retried and failed, and lateness (when the job
 * started minus when it was due) as a histogram. Defined once per process.
 */
import { Counter, Histogram } from 'prom-client';
import { domainMetricsRegistry } from '../../platform/metrics.js';

const registers = [domainMetricsRegistry];

/** Jobs by rule and outcome: done, skipped, retried, failed. */
export const ruleJobs = new Counter({
  name: 'automation_rule_jobs_total',
  help: 'Automation rule jobs by rule and outcome (done, skipped, retried, failed)',
  labelNames: ['rule', 'outcome'] as const,
  registers,
});

/** Seconds between a job's due time and its first start, by rule. */
export const ruleLateness = new Histogram({
  name: 'automation_rule_lateness_seconds',
  help: 'Actual minus scheduled start of automation rule jobs',
  labelNames: ['rule'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
  registers,
});
