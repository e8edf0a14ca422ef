/**
 * The runtime without the HTTP app, for tests that exercise the model layer only: real MongoDB
 * and Redis, a database of its own, the configured keyring, and whatever models the test file
 * defined (createRuntime creates every registered model's collection and indexes).
 */
import mongoose from 'mongoose';
import { loadConfig } from '../../src/config.js';
import type { Config } from '../../src/config.js';
import { createLogger, setRootLogger } from '../../src/platform/logger.js';
import { closeRuntime, createRuntime } from '../../src/platform/runtime.js';
import type { Runtime } from '../../src/platform/runtime.js';
import { testEnv } from './env.js';

/** A running runtime, the env it was built from (for child processes) and a close() that drops its database. */
export interface TestRuntime {
  runtime: Runtime;
  config: Config;
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

/** Starts a runtime for `label` with no domain modules registered. */
export async function startTestRuntime(label: string, overrides: Record<string, string> = {}): Promise<TestRuntime> {
  const env = testEnv(label, overrides);
  const config = loadConfig(env);
  setRootLogger(createLogger(config.logLevel));
  const runtime = await createRuntime(config, () => undefined);
  return {
    runtime,
    config,
    env,
    async close() {
      await mongoose.connection.db?.dropDatabase().catch(() => undefined);
      await closeRuntime(runtime);
    },
  };
}
