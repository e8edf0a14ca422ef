import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../scripts/local-services.mjs';

/** Processes whose command line mentions `dir` (every service we start names its data dir). */
function processesUsing(dir: string): string[] {
  const result = spawnSync('pgrep', ['-f', dir], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean);
}

async function waitUntilGone(dir: string, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let left = processesUsing(dir);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesUsing(dir);
  }
  return left;
}

/** Runs `bootstrap.mjs run -- <script>` with its own data dir and no inherited service URLs. */
function bootstrapRun(dataDir: string, script: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, CINIC_DATA_DIR: dataDir, NODE_OPTIONS: '' };
  delete env.MONGODB_URI;
  delete env.REDIS_URL;
  const child = spawn(process.execPath, ['scripts/bootstrap.mjs', 'run', '--', process.execPath, '-e', script], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitFor(check: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('scripts/bootstrap.mjs leaves no process behind', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cinic-boot-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('starts MongoDB and Redis for the command, and stops both when it ends', async () => {
    const dir = newDir();
    const run = bootstrapRun(
      dir,
      `console.log('services', process.env.MONGODB_URI, process.env.REDIS_URL, process.env.CINIC_SERVICE_PIDS)`,
    );
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/services mongodb:\/\/127\.0\.0\.1:\d+ redis:\/\/127\.0\.0\.1:\d+ \d+,\d+/);
    expect(await waitUntilGone(dir)).toEqual([]);
  });

  it('stops the services after Ctrl-C', async () => {
    const dir = newDir();
    const run = bootstrapRun(dir, `console.log('up'); setInterval(() => {}, 1000)`);
    await waitFor(() => run.output().includes('up'));
    expect(processesUsing(dir).length).toBeGreaterThanOrEqual(2);
    run.child.kill('SIGINT');
    await run.exited;
    expect(await waitUntilGone(dir)).toEqual([]);
  });

  it('stops the services even when the bootstrap itself is killed with SIGKILL', async () => {
    const dir = newDir();
    // The command exits by itself once orphaned, so the test leaves nothing behind either.
    const run = bootstrapRun(
      dir,
      `const p = process.ppid; console.log('up'); setInterval(() => process.ppid !== p && process.exit(), 100)`,
    );
    await waitFor(() => run.output().includes('up'));
    run.child.kill('SIGKILL');
    await run.exited;
    const left = await waitUntilGone(dir);
    expect(left).toEqual([]);
  });
});
