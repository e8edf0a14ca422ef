#!/usr/bin/env node
// One entry point for a fresh clone (plain Node, runs before `npm ci`):
//   node scripts/bootstrap.mjs start        install what is missing, start MongoDB + Redis, run the platform
//   node scripts/bootstrap.mjs test [args]  install what is missing, run the whole Jest suite
//   node scripts/bootstrap.mjs run -- cmd   run a command with MONGODB_URI / REDIS_URL pointing at local services
//   node scripts/bootstrap.mjs reset        wipe .data/ (local database, Redis AOF, generated secrets)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  SetupError,
  ensureMongoLauncher,
  ensureRedisBinary,
  progress,
  projectRoot,
  startLocalServices,
} from './local-services.mjs';

const dataDir = path.resolve(projectRoot, process.env.CINIC_DATA_DIR ?? '.data');
const servicesFile = path.join(dataDir, 'services.json');
const secretsFile = path.join(dataDir, 'secrets.json');

/** Runs `npm ci` when node_modules is missing or older than package-lock.json. */
function ensureNodeModules() {
  const marker = path.join(projectRoot, 'node_modules', '.package-lock.json');
  const lock = path.join(projectRoot, 'package-lock.json');
  const fresh = () => existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh()) return;
  // Two bootstraps started together (two terminals, parallel test runs) must not run `npm ci`
  // over each other: one installs under a lock directory (mkdir is atomic), the other waits.
  const installLock = path.join(projectRoot, '.npm-ci.lock');
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(installLock);
      break;
    } catch {
      // A lock left by a killed install is stale after ten minutes.
      if (existsSync(installLock) && Date.now() - statSync(installLock).mtimeMs > 10 * 60_000)
        rmSync(installLock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      if (fresh()) return;
      if (Date.now() - started > 15 * 60_000)
        throw new SetupError('another npm ci has been running for 15 minutes; remove .npm-ci.lock if it died');
    }
  }
  try {
    if (fresh()) return;
    progress('installing node modules (npm ci)…');
    const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: projectRoot, stdio: 'inherit' });
    if (result.status !== 0) throw new SetupError('npm ci failed (see the output above)');
  } finally {
    rmSync(installLock, { recursive: true, force: true });
  }
}

/**
 * Secrets for the embedded default, generated once and kept beside the data they protect
 * (`npm run reset` wipes both together). Production passes them in the environment instead.
 */
function localSecrets() {
  const generators = {
    SESSION_SECRET: () => randomBytes(32).toString('base64url'),
    DATA_ENCRYPTION_KEYS: () => `k1:${randomBytes(32).toString('base64')}`,
    BLIND_INDEX_KEY: () => randomBytes(32).toString('base64'),
    // Keys the audit chain (HMAC); the database never holds it.
    AUDIT_HMAC_KEYS: () => `a1:${randomBytes(32).toString('base64')}`,
    // Encrypts backups; separate from the data keys, so a leaked backup key opens no live field.
    BACKUP_ENCRYPTION_KEYS: () => `b1:${randomBytes(32).toString('base64')}`,
    WHATSAPP_APP_SECRET: () => randomBytes(16).toString('hex'),
    WHATSAPP_VERIFY_TOKEN: () => randomBytes(12).toString('hex'),
    RAZORPAY_WEBHOOK_SECRET: () => randomBytes(16).toString('hex'),
  };
  const existing = existsSync(secretsFile) ? JSON.parse(readFileSync(secretsFile, 'utf8')) : {};
  const missing = Object.keys(generators).filter((name) => !existing[name]);
  if (missing.length === 0) return existing;
  // A data folder from an older version gets the secrets added since, keeping the ones it has.
  const secrets = { ...existing };
  for (const name of missing) secrets[name] = generators[name]();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(secretsFile, JSON.stringify(secrets, null, 2));
  chmodSync(secretsFile, 0o600);
  progress(`generated local secrets (${missing.join(', ')}) in ${path.relative(projectRoot, secretsFile)}`);
  return secrets;
}

/** Reuses the services of a running `npm start` (so `run` can talk to the same data). */
function runningServices() {
  if (!existsSync(servicesFile)) return null;
  const saved = JSON.parse(readFileSync(servicesFile, 'utf8'));
  try {
    process.kill(saved.pid, 0);
    return saved;
  } catch {
    return null;
  }
}

/** Pids of the service processes we started, for diagnostics and the no-orphan test. */
function servicePids(services) {
  return Object.values(services.children ?? {})
    .map((child) => child.pid)
    .join(',');
}

/** Spawns the target with inherited stdio and forwards Ctrl-C / SIGTERM to it. */
function runChild(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, stdio: 'inherit', env });
    const forward = (signal) => () => child.kill(signal);
    const handlers = { SIGINT: forward('SIGINT'), SIGTERM: forward('SIGTERM'), SIGHUP: forward('SIGHUP') };
    for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
    child.on('exit', (code, signal) => {
      for (const [name, handler] of Object.entries(handlers)) process.off(name, handler);
      resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
    });
  });
}

async function withServices({ persistent, dir }, body) {
  const reuse = persistent ? null : runningServices();
  if (reuse) return body({ mongoUri: reuse.mongoUri, redisUrl: reuse.redisUrl });
  // Signals that arrive while services start would otherwise kill us before cleanup.
  const services = await startLocalServices({ dataDir: dir, persistent });
  if (persistent) {
    writeFileSync(
      servicesFile,
      JSON.stringify({ pid: process.pid, mongoUri: services.mongoUri, redisUrl: services.redisUrl }),
    );
  }
  try {
    return await body(services);
  } finally {
    if (persistent) rmSync(servicesFile, { force: true });
    await services.stop();
  }
}

async function start() {
  ensureNodeModules();
  const secrets = localSecrets();
  return withServices({ persistent: true, dir: dataDir }, ({ mongoUri, redisUrl, ...services }) =>
    runChild(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      ...secrets,
      ...process.env,
      MONGODB_URI: mongoUri,
      REDIS_URL: redisUrl,
      CINIC_DATA_DIR: dataDir,
      CINIC_PRINT_URLS: 'true',
      CINIC_SERVICE_PIDS: servicePids(services),
    }),
  );
}

async function test(args) {
  ensureNodeModules();
  // Install and compile up front, with progress on screen, rather than inside Jest's global setup.
  if (!process.env.MONGODB_URI) ensureMongoLauncher();
  if (!process.env.REDIS_URL) ensureRedisBinary();
  const jest = path.join(projectRoot, 'node_modules', 'jest', 'bin', 'jest.js');
  const nodeOptions =
    `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim();
  return runChild(process.execPath, [jest, ...args], { ...process.env, NODE_OPTIONS: nodeOptions, NODE_ENV: 'test' });
}

async function run(args) {
  ensureNodeModules();
  const [command, ...rest] = args[0] === '--' ? args.slice(1) : args;
  if (!command) throw new SetupError('usage: node scripts/bootstrap.mjs run -- <command> [args…]');
  const secrets = localSecrets();
  return withServices({ persistent: false, dir: dataDir }, ({ mongoUri, redisUrl, ...services }) =>
    runChild(command, rest, {
      ...secrets,
      ...process.env,
      MONGODB_URI: mongoUri,
      REDIS_URL: redisUrl,
      CINIC_DATA_DIR: dataDir,
      CINIC_SERVICE_PIDS: servicePids(services),
    }),
  );
}

function reset() {
  if (runningServices()) throw new SetupError('npm start is running; stop it before npm run reset');
  rmSync(dataDir, { recursive: true, force: true });
  progress('wiped .data/ (local database, Redis data, generated secrets)');
  return 0;
}

const [mode, ...args] = process.argv.slice(2);
const modes = { start: () => start(), test: () => test(args), run: () => run(args), reset: () => reset() };

try {
  if (!modes[mode]) throw new SetupError(`usage: node scripts/bootstrap.mjs ${Object.keys(modes).join('|')}`);
  process.exitCode = await modes[mode]();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  progress(`setup failed: ${error.message}`);
  process.exitCode = 1;
}
