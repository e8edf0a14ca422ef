/**
 * Issue 19.4: every metric the alert rules and the Grafana dashboard name is exported by the app's
 * /metrics (api and worker processes serve the same registry), and the rules pass
 * `promtool check rules` where Debian's prometheus package is installed.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp } from '../helpers/test-app.js';
import type { TestApp } from '../helpers/test-app.js';

const run = promisify(execFile);
let t: TestApp;
let exported: Set<string>;

/** Metric names in a PromQL expression: identifiers followed by `{`, `[` or a space/paren, minus functions and labels. */
function metricNames(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '{}').replace(/"[^"]*"/g, '""');
  const words = withoutLabels.match(/[a-z_][a-z0-9_]*(?=\s*[{[)\s]|$)/g) ?? [];
  const promql = new Set([
    'sum',
    'max',
    'min',
    'by',
    'without',
    'rate',
    'delta',
    'increase',
    'clamp_min',
    'histogram_quantile',
    'time',
    'and',
    'or',
    'unless',
    'le',
    'route',
    'status',
    'queue',
    'state',
    'instance',
    'outcome',
  ]);
  return [...new Set(words.filter((word) => !promql.has(word)))].map((name) => name.replace(/_bucket$/, ''));
}

beforeAll(async () => {
  t = await startTestApp('opsalerts');
  const text = (await t.http.get('/metrics').expect(200)).text;
  exported = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
}, 60_000);
afterAll(async () => {
  await t.close();
});

describe('alerts and dashboard', () => {
  const rules = readFileSync('ops/prometheus/alerts.yml', 'utf8');
  const alertExprs = [...rules.matchAll(/expr: (\|\n((?: {10}.*\n)+)|.*)/g)].map((match) => match[2] ?? match[1]!);
  const dashboard = JSON.parse(readFileSync('ops/grafana/cinic-dashboard.json', 'utf8')) as {
    panels: { targets: { expr: string }[] }[];
  };

  it('alert on webhooks, queues, WhatsApp, Razorpay, backups, readiness and event-loop lag', () => {
    for (const name of [
      'WebhookServerErrors',
      'WebhookSignatureFailuresRising',
      'QueueBacklog',
      'QueueFailedJobsRising',
      'WhatsAppOutboundFailureRate',
      'RazorpayEventsFailed',
      'BackupStaleOrDrillFailed',
      'ReadinessFlapping',
      'EventLoopLag',
    ])
      expect(rules).toContain(`alert: ${name}\n`);
    expect(alertExprs).toHaveLength(9);
  });

  it('name only metrics the app exports', () => {
    const named = new Set([
      ...alertExprs.flatMap(metricNames),
      ...dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => metricNames(target.expr))),
    ]);
    expect(named).toEqual(
      new Set([
        'http_requests_total',
        'http_request_duration_seconds',
        'bullmq_queue_jobs',
        'cinic_whatsapp_outbound_messages',
        'cinic_razorpay_events',
        'cinic_backup_alert',
        'cinic_backup_last_success_timestamp_seconds',
        'cinic_restore_drill_last_success',
        'cinic_restore_drill_last_duration_seconds',
        'nodejs_eventloop_lag_p99_seconds',
      ]),
    );
    expect([...named].filter((name) => !exported.has(name))).toEqual([]);
  });

  it('pass promtool check rules (where Debian prometheus is installed)', async () => {
    if (!existsSync('/usr/bin/promtool')) return;
    const { stdout } = await run('/usr/bin/promtool', ['check', 'rules', 'ops/prometheus/alerts.yml']);
    expect(stdout).toContain('SUCCESS: 9 rules found');
  });
});
