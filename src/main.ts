/**
 * Process entry point. `PROCESS_ROLE` (or `--role=`) picks what runs here: `all` (the embedded
 * default: HTTP + workers), `api` or `worker`. Any number of each may run against the same
 * MongoDB and Redis.
 */
import type http from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { createApp, createOpsApp } from './app.js';
import { ensureFirstAdmin } from './modules/auth/first-admin.js';
import { seedDemoClinic } from './modules/doctors/demo-seed.js';
import { scheduleSlotRefresh } from './modules/doctors/slot-refresh.queue.js';
import { registerModules } from './modules/index.js';
import { scheduleReports } from './modules/reporting/index.js';
import { scheduleMessagingSweep } from './modules/messaging/index.js';
import { scheduleOperations } from './modules/operations/index.js';
import { homeLinks } from './platform/http/home.routes.js';
import { createLogger, log, setRootLogger } from './platform/logger.js';
import { createRuntime } from './platform/runtime.js';
import { createShutdown, listen } from './platform/server.js';

function roleFromArgs(): string | undefined {
  return process.argv.find((arg) => arg.startsWith('--role='))?.slice('--role='.length);
}

function printUrls(publicUrl: string, sandbox: boolean): void {
  const lines = ['', 'CINIC is running:', `  ${'app'.padEnd(22)} ${publicUrl}/`];
  for (const link of homeLinks(sandbox)) lines.push(`  ${link.title.padEnd(22)} ${publicUrl}${link.href}`);
  if (sandbox) lines.push('', '  Sandbox mode: WhatsApp and Razorpay are local stand-ins (no credentials configured).');
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function main(): Promise<void> {
  let config;
  try {
    const role = roleFromArgs();
    config = loadConfig(role ? { ...process.env, PROCESS_ROLE: role } : process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  setRootLogger(createLogger(config.logLevel));

  // Handlers go in before the (slow) boot: a signal during boot is honoured once boot is done,
  // instead of killing the process half-started. `on`, not `once`: Ctrl-C reaches us both from
  // the terminal and forwarded by the bootstrap, and a repeat must not cut the shutdown short.
  let shutdown: (() => Promise<boolean>) | undefined = undefined;
  let stopRequested = false;
  const stop = () => void shutdown!().then((clean) => process.exit(clean ? 0 : 1));
  const onSignal = (signal: NodeJS.Signals) => {
    log().info({ signal }, 'signal received');
    stopRequested = true;
    if (shutdown) stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const runtime = await createRuntime(config, registerModules);
  // Idempotent: creates the default clinic and, on a fresh installation, the first admin.
  if (config.role !== 'worker') {
    await ensureFirstAdmin(runtime);
    // Sandbox only, and only while the clinic has no doctors: a demo clinic a person can book in at once.
    await seedDemoClinic(runtime);
  }
  // Worker-only processes still serve /healthz, /readyz and /metrics for probes and scrapes.
  const app = config.role === 'worker' ? createOpsApp(runtime) : createApp(runtime);
  const server: http.Server = await listen(app, config.port, config.host);
  log().info({ port: config.port, role: config.role, sandbox: config.sandbox }, 'http server listening');
  if (config.role !== 'api') {
    runtime.queues.startWorkers();
    await scheduleSlotRefresh(runtime);
    // Not awaited: the sweep is a safety net, and boot should not wait on (or die of) scheduling it.
    scheduleMessagingSweep(runtime).catch((error: unknown) =>
      log().warn({ err: error }, 'messaging sweep not scheduled'),
    );
    scheduleReports(runtime).catch((error: unknown) => log().warn({ err: error }, 'reports not scheduled'));
    scheduleOperations(runtime).catch((error: unknown) => log().warn({ err: error }, 'operations jobs not scheduled'));
  }

  shutdown = createShutdown(runtime, server);
  if (stopRequested) stop();
  else if (config.printUrls && config.role !== 'worker') printUrls(config.publicUrl, config.sandbox);
}

main().catch((error: unknown) => {
  log().fatal({ err: error }, 'failed to start');
  process.exit(1);
});
