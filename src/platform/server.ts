/**
 * HTTP server lifecycle and graceful shutdown: on SIGTERM/SIGINT stop accepting, let in-flight
 * requests finish, close workers (active jobs finish) before queues, then connections — all
 * within `shutdownTimeoutMs`, after which remaining sockets are cut.
 */
import http from 'node:http';
import type { Express } from 'express';
import { log } from './logger.js';
import type { Runtime } from './runtime.js';
import { closeRuntime } from './runtime.js';

/** Starts listening and resolves with the bound server. */
export function listen(app: Express, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    // Slightly above common load-balancer idle timeouts, so the LB closes first.
    server.keepAliveTimeout = 65_000;
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** Closes the server, waiting for in-flight requests; cuts the rest when the deadline passes. */
function closeServer(server: http.Server, deadline: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), Math.max(0, deadline - Date.now()));
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Runs the shutdown sequence once; later calls return the same promise. */
export function createShutdown(runtime: Runtime, server: http.Server): () => Promise<boolean> {
  let running: Promise<boolean> | undefined;
  return () => {
    running ??= (async () => {
      const deadline = Date.now() + runtime.config.shutdownTimeoutMs;
      runtime.shuttingDown = true;
      log().info('shutting down');
      const sequence = (async () => {
        await closeServer(server, deadline - 500);
        await closeRuntime(runtime);
      })();
      const timedOut = new Promise<false>((resolve) =>
        setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())).unref(),
      );
      const finished = await Promise.race([sequence.then(() => true as const), timedOut]);
      if (finished) log().info('shutdown complete');
      else log().error({ timeoutMs: runtime.config.shutdownTimeoutMs }, 'shutdown timed out');
      return finished;
    })();
    return running;
  };
}
