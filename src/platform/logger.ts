/**
 * pino logger with PHI redaction and a per-request / per-job child logger carried by
 * AsyncLocalStorage. Log what happened and ids, never what the patient said or wrote.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import type { Logger } from 'pino';

/** Keys that may carry PHI or secrets wherever they appear, compared case-insensitively. */
export const REDACTED_KEYS = [
  'phone',
  'phoneNumber',
  'mobile',
  'wa_id',
  'waId',
  'from',
  'to',
  'name',
  'firstName',
  'lastName',
  'fullName',
  'profileName',
  'email',
  'address',
  'emergencyContact',
  'medicalFlags',
  'allergies',
  'body',
  'text',
  'caption',
  'messages',
  'note',
  'notes',
  'subjective',
  'objective',
  'assessment',
  'plan',
  'diagnosis',
  'diagnoses',
  'instructions',
  'password',
  'otp',
  'token',
  'secret',
  'authorization',
  'cookie',
  'set-cookie',
  'x-hub-signature-256',
  'x-razorpay-signature',
];

const redactedKeys = new Set(REDACTED_KEYS.map((key) => key.toLowerCase()));

/**
 * Replaces the value of every PHI-bearing key at any depth (webhook payloads nest deeply, so
 * fixed-depth path wildcards are not enough). Errors are kept for the `err` serializer.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Error || depth > 12) return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    result[key] = redactedKeys.has(key.toLowerCase()) ? '[redacted]' : redactDeep(inner, depth + 1);
  }
  return result;
}

/** Creates the root logger; `destination` lets tests capture output. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'cinic' },
      formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
      serializers: { err: pino.stdSerializers.err },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

const context = new AsyncLocalStorage<Logger>();
let root: Logger = createLogger('info');

/** Replaces the process-wide root logger (called once at boot, or by tests). */
export function setRootLogger(logger: Logger): void {
  root = logger;
}

/** The logger for the current request, job or conversation, else the root logger. */
export function log(): Logger {
  return context.getStore() ?? root;
}

/** Runs `fn` with a child logger bound to `bindings` (ids only) for everything it awaits. */
export function withLogContext<T>(bindings: Record<string, unknown>, fn: () => T): T {
  return context.run(log().child(bindings), fn);
}
