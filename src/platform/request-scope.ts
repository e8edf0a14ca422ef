/**
 * Per-request (or per-job) scope carried by AsyncLocalStorage: the request id, so services can
 * stamp audit events without threading it through every call.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface Scope {
  requestId?: string;
  /** The CSRF token of the request's session, for forms rendered while serving it (see http/csrf.ts). */
  csrfToken?: string;
}

const storage = new AsyncLocalStorage<Scope>();

/** Runs `fn` with `scope` visible to everything it awaits. */
export function runInScope<T>(scope: Scope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The current request id (or job id), if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** The scope of the current request or job, if any (mutable: middleware may add to it). */
export function currentScope(): Scope | undefined {
  return storage.getStore();
}
