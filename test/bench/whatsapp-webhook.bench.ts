/**
 * WhatsApp webhook acknowledgement latency: signed POSTs with one text message each (20 patients
 * taking turns) against the real app listening on a port, workers running and a no-op inbound
 * handler, as in production. Measures the time to the 200, which includes the signature check,
 * validation, the inbox insert (unique wamid) and queueing the drain. Goal: p99 well under 1 s.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { freePort } from '../../scripts/local-services.mjs';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { registerModules } from '../../src/modules/index.js';
import { setInboundHandler } from '../../src/modules/messaging/index.js';
import { createLogger, setRootLogger } from '../../src/platform/logger.js';
import { closeRuntime, createRuntime } from '../../src/platform/runtime.js';
import { listen } from '../../src/platform/server.js';
import { buildInboundPayload, signWebhook } from '../../src/sandbox/whatsapp/inbound-payload.js';
import type { BenchResult } from './run.js';

const REQUESTS = 200;
const WARM_UP = 20;
const CONCURRENCY = 4;
const P99_GOAL_MS = 500;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Runs the benchmark against a fresh database and queue prefix, then drops them. */
export default async function webhookAckBench(): Promise<BenchResult> {
  const name = `bench_wa_${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_DB: name,
    QUEUE_PREFIX: name,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SANDBOX: 'true',
  });
  setRootLogger(createLogger(config.logLevel));
  const runtime = await createRuntime(config, registerModules);
  runtime.queues.startWorkers();
  setInboundHandler(async () => undefined);
  const server = await listen(createApp(runtime), port, '127.0.0.1');
  const url = `${config.publicUrl}/webhooks/whatsapp`;

  let sent = 0;
  async function post(): Promise<number> {
    const n = sent++;
    const payload = buildInboundPayload(config.whatsapp.phoneNumberId, {
      from: `9198444${String(n % 20).padStart(5, '0')}`,
      text: `message ${n}`,
    });
    const { body, signature } = signWebhook(payload, config.whatsapp.appSecret);
    const started = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    return performance.now() - started;
  }

  try {
    for (let i = 0; i < WARM_UP; i += 1) await post();
    const sequential: number[] = [];
    for (let i = 0; i < REQUESTS; i += 1) sequential.push(await post());
    const concurrent: number[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = 0; i < REQUESTS / CONCURRENCY; i += 1) concurrent.push(await post());
      }),
    );
    const s = sequential.sort((a, b) => a - b);
    const c = concurrent.sort((a, b) => a - b);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    return {
      name: `WhatsApp webhook acknowledgement (${REQUESTS} sequential, then ${REQUESTS} at concurrency ${CONCURRENCY})`,
      metrics: {
        'sequential p50': ms(percentile(s, 50)),
        'sequential p95': ms(percentile(s, 95)),
        'sequential p99': ms(percentile(s, 99)),
        'sequential max': ms(s.at(-1)!),
        [`concurrent(${CONCURRENCY}) p50`]: ms(percentile(c, 50)),
        [`concurrent(${CONCURRENCY}) p99`]: ms(percentile(c, 99)),
      },
      goals: [
        { goal: `sequential p99 < ${P99_GOAL_MS} ms`, met: percentile(s, 99) < P99_GOAL_MS },
        { goal: `concurrent p99 < ${P99_GOAL_MS * 2} ms`, met: percentile(c, 99) < P99_GOAL_MS * 2 },
      ],
    };
  } finally {
    setInboundHandler(undefined);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await closeRuntime(runtime);
  }
}
