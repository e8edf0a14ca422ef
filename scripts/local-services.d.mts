// Types for scripts/local-services.mjs, which stays plain JavaScript so it runs before `npm ci`.
import type { ChildProcess } from 'node:child_process';

export const projectRoot: string;
export class SetupError extends Error {}
export function progress(message: string): void;
export function freePort(): Promise<number>;
export function stopChild(child: ChildProcess | undefined, graceMs?: number): Promise<void>;
export function killGroup(child: ChildProcess): void;
export function ensureMongoLauncher(): string;
export function ensureRedisBinary(): void;
export function startJavaMongo(options: {
  port: number;
  file: string;
  logFile?: string;
  /** Netty worker threads: how many writes one group commit can cover (default 64). */
  workers?: number;
}): Promise<ChildProcess>;
export function startRedis(options: {
  port: number;
  dir: string;
  persistent?: boolean;
  logFile?: string;
}): Promise<ChildProcess>;
export interface LocalServices {
  mongoUri: string;
  redisUrl: string;
  children: { mongo?: ChildProcess; redis?: ChildProcess };
  stop(): Promise<void>;
}
export function startLocalServices(options: {
  dataDir: string;
  persistent?: boolean;
  env?: Record<string, string | undefined>;
}): Promise<LocalServices>;
