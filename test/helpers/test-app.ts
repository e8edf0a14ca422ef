/**
 * Builds the real runtime and express app for one test file against the local services, with
 * its own database and queue prefix; `close()` drops the database and closes everything.
 */
import type { Express } from 'express';
import mongoose from 'mongoose';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { registerModules } from '../../src/modules/index.js';
import { createLogger, setRootLogger } from '../../src/platform/logger.js';
import { closeRuntime, createRuntime } from '../../src/platform/runtime.js';
import type { Runtime } from '../../src/platform/runtime.js';
import { testEnv } from './env.js';

/** A running test app and a supertest agent bound to it. */
export interface TestApp {
  runtime: Runtime;
  app: Express;
  http: TestAgent;
  close(): Promise<void>;
}

/** Starts the app for `label` (used in the database name); `workers` also starts queue workers. */
export async function startTestApp(
  label: string,
  {
    env = {},
    workers = false,
    panel = false,
  }: { env?: Record<string, string>; workers?: boolean; panel?: boolean } = {},
): Promise<TestApp> {
  const config = loadConfig(testEnv(label, env));
  setRootLogger(createLogger(config.logLevel));
  const runtime = await createRuntime(config, registerModules);
  if (workers) runtime.queues.startWorkers();
  // The staff panel is loaded only by the files that test it (AdminJS is heavy to import).
  const screens = panel ? [(await import('../../admin/index.js')).mountAdmin] : [];
  const app = createApp(runtime, screens);
  return {
    runtime,
    app,
    http: supertest(app),
    async close() {
      // Workers first, so no job touches the database while it is dropped.
      await runtime.queues.close();
      await mongoose.connection.db?.dropDatabase().catch(() => undefined);
      await closeRuntime(runtime);
    },
  };
}
