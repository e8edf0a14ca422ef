/**
 * Webhook acknowledgement throughput, measured side by side in one run (issue 14, point 8):
 * - the database's own ceiling: single `insertOne`s from 32 concurrent clients, and documents/s
 *   in `insertMany` batches of 20, straight through the driver;
 * - a bare express handler doing the same work as the webhook before any storage: raw body,
 *   HMAC-SHA256 signature check and JSON parse;
 * - the project's webhook (api role only: no workers, as an API process runs), single-message
 *   POSTs with 32 in flight (throughput and p99), and p99 at an offered 1,000 requests/s;
 * - a 100-message batch POST, acknowledged after all 100 are stored.
 * Goals: a 100-message batch acknowledged in < 300 ms (median of 10); single-message webhook
 * throughput ≥ 50 % of the database's single-insert ceiling.
 */
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import express from 'express';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { freePort } from '../../scripts/local-services.mjs';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { registerModules } from '../../src/modules/index.js';
import { createLogger, setRootLogger } from '../../src/platform/logger.js';
import { closeRuntime, createRuntime } from '../../src/platform/runtime.js';
import { listen } from '../../src/platform/server.js';
import { buildInboundPayload, newWamid, signWebhook } from '../../src/sandbox/whatsapp/inbound-payload.js';
import type { BenchResult } from './run.js';

const CLIENTS = 32;
const SINGLE_REQUESTS = 3000;
const OFFERED_RATE = 1000;
const OFFERED_REQUESTS = 2000;
const BATCHES = 10;
const BATCH_SIZE = 100;
const BATCH_GOAL_MS = 300;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS * 2 });

/** POSTs `body` and resolves with the status once the answer is read (Node's http, kept-alive sockets). */
function post(url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `count` calls of `once` with `clients` in flight; returns calls/s and the latencies. */
async function closedLoop(count: number, clients: number, once: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        await once(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: count / seconds, latencies: latencies.sort((a, b) => a - b) };
}

/** Starts `count` calls at `rate`/s regardless of answers (an open loop); returns the latencies. */
async function openLoop(count: number, rate: number, once: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  const started = performance.now();
  const calls: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    calls.push(
      once(i).then(() => {
        // Latency from when the request was due, so a late start counts against the server.
        latencies.push(performance.now() - due);
      }),
    );
  }
  await Promise.all(calls);
  return latencies.sort((a, b) => a - b);
}

async function databaseCeiling(uri: string, name: string) {
  const client = await MongoClient.connect(uri, { maxPoolSize: CLIENTS, minPoolSize: CLIENTS });
  try {
    const collection = client.db(name).collection('ceiling');
    await collection.insertOne({ warm: true });
    const singles = await closedLoop(SINGLE_REQUESTS, CLIENTS, async (i) => {
      await collection.insertOne({ i, text: `message ${i}`, at: new Date() });
    });
    const batches = await closedLoop(200, CLIENTS, async (i) => {
      await collection.insertMany(
        Array.from({ length: 20 }, (_, j) => ({ i, j, text: `message ${i}/${j}`, at: new Date() })),
      );
    });
    const stats = await client
      .db('admin')
      .command({ cinicGroupCommitStats: 1 })
      .catch(() => null);
    await client.db(name).dropDatabase();
    return { singles: singles.perSecond, batchDocs: batches.perSecond * 20, stats };
  } finally {
    await client.close();
  }
}

async function bareExpress(appSecret: string, body: string, signature: string) {
  const app = express();
  app.use(
    express.json({
      limit: '8mb',
      verify: (req, _res, buffer) => {
        (req as unknown as { rawBody: Buffer }).rawBody = buffer;
      },
    }),
  );
  app.post('/webhooks/whatsapp', (req, res) => {
    const raw = (req as unknown as { rawBody: Buffer }).rawBody;
    const expected = `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
    if (req.get('x-hub-signature-256') !== expected) return void res.status(401).end();
    res.status(200).json({ received: true });
  });
  const port = await freePort();
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  const url = new URL(`http://127.0.0.1:${port}/webhooks/whatsapp`);
  const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signature };
  try {
    const run = await closedLoop(SINGLE_REQUESTS, CLIENTS, async () => {
      if ((await post(url, body, headers)) !== 200) throw new Error('bare handler refused');
    });
    return run;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Runs the comparison against fresh databases and queue prefixes, then drops them. */
export default async function webhookThroughputBench(): Promise<BenchResult> {
  const name = `bench_wt_${randomBytes(3).toString('hex')}`;
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
  const { appSecret, phoneNumberId } = config.whatsapp;
  const sample = signWebhook(buildInboundPayload(phoneNumberId, { from: '919844400001', text: 'hello' }), appSecret);

  const ceiling = await databaseCeiling(config.mongo.uri, `${name}_ceiling`);
  const bare = await bareExpress(appSecret, sample.body, sample.signature);

  // The project's webhook as an API process runs it: no workers in this process.
  const runtime = await createRuntime(config, registerModules);
  const server = await listen(createApp(runtime), port, '127.0.0.1');
  const url = new URL(`${config.publicUrl}/webhooks/whatsapp`);
  const single = (i: number) => {
    const payload = buildInboundPayload(phoneNumberId, {
      from: `9198444${String(i % 500).padStart(5, '0')}`,
      text: `message ${i}`,
      wamid: newWamid(),
    });
    const { body, signature } = signWebhook(payload, appSecret);
    return async () => {
      const status = await post(url, body, { 'content-type': 'application/json', 'x-hub-signature-256': signature });
      if (status !== 200) throw new Error(`webhook answered ${status}`);
    };
  };
  try {
    // Warm up: indexes, the clinic, connection pools.
    for (let i = 0; i < 50; i++) await single(1_000_000 + i)();
    const singles = Array.from({ length: SINGLE_REQUESTS }, (_, i) => single(i));
    const webhook = await closedLoop(SINGLE_REQUESTS, CLIENTS, (i) => singles[i]!());
    const offered = Array.from({ length: OFFERED_REQUESTS }, (_, i) => single(100_000 + i));
    const offeredLatencies = await openLoop(OFFERED_REQUESTS, OFFERED_RATE, (i) => offered[i]!());

    const batchTimes: number[] = [];
    for (let b = 0; b < BATCHES; b++) {
      const payload = buildInboundPayload(
        phoneNumberId,
        Array.from({ length: BATCH_SIZE }, (_, i) => ({
          from: `9198555${String(i % 50).padStart(5, '0')}`,
          text: `batch ${b} message ${i}`,
          wamid: newWamid(),
        })),
      );
      const { body, signature } = signWebhook(payload, appSecret);
      const t0 = performance.now();
      const status = await post(url, body, { 'content-type': 'application/json', 'x-hub-signature-256': signature });
      if (status !== 200) throw new Error(`batch answered ${status}`);
      batchTimes.push(performance.now() - t0);
    }
    batchTimes.sort((a, b) => a - b);

    const rate = (value: number) => `${Math.round(value)}/s`;
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    const share = webhook.perSecond / ceiling.singles;
    return {
      name: `Webhook throughput vs bare express and the database (${CLIENTS} in flight, ${SINGLE_REQUESTS} requests each)`,
      metrics: {
        'db single inserts': rate(ceiling.singles),
        'db docs in batches of 20': rate(ceiling.batchDocs),
        ...(ceiling.stats
          ? { 'db writes per commit': (Number(ceiling.stats.writes) / Number(ceiling.stats.commits)).toFixed(1) }
          : {}),
        'bare express (HMAC+JSON)': rate(bare.perSecond),
        'bare express p99': ms(percentile(bare.latencies, 99)),
        'webhook single-message': rate(webhook.perSecond),
        'webhook p99 (32 in flight)': ms(percentile(webhook.latencies, 99)),
        [`webhook p99 @ ${OFFERED_RATE}/s offered`]: ms(percentile(offeredLatencies, 99)),
        'webhook / db ceiling': `${Math.round(share * 100)} %`,
        [`${BATCH_SIZE}-message batch p50`]: ms(percentile(batchTimes, 50)),
        [`${BATCH_SIZE}-message batch max`]: ms(batchTimes.at(-1)!),
      },
      goals: [
        {
          goal: `${BATCH_SIZE}-message batch acknowledged < ${BATCH_GOAL_MS} ms (median of ${BATCHES})`,
          met: percentile(batchTimes, 50) < BATCH_GOAL_MS,
        },
        { goal: 'single-message webhook throughput ≥ 50 % of the db single-insert ceiling', met: share >= 0.5 },
      ],
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await closeRuntime(runtime);
    agent.destroy();
  }
}
