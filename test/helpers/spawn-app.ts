/**
 * Runs the real entry point (src/main.ts) as a child process for tests that need a whole
 * process: graceful shutdown, api/worker split, start-up output.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { freePort, projectRoot } from '../../scripts/local-services.mjs';
import { testEnv } from './env.js';

/** A spawned app process with its captured output. */
export interface SpawnedApp {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Spawns src/main.ts and resolves once /readyz answers 200 (or rejects with its output). The demo
 * seed is off unless `env` turns it on (DEMO_SEED=true), so boots stay quick.
 * `readyTimeoutMs` is for boots that do more, such as seeding the sandbox demo clinic on a busy machine.
 */
export async function spawnApp(
  label: string,
  env: Record<string, string> = {},
  args: string[] = [],
  { readyTimeoutMs = 30_000 } = {},
): Promise<SpawnedApp> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...testEnv(label, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', DEMO_SEED: 'false', ...env }),
      NODE_OPTIONS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited early (${child.exitCode}):\n${output}`);
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return { child, baseUrl, output: () => output, exited };
}
