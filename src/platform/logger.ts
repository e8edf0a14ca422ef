/**
 * pino logger with PHI redaction and a per-request / per-job child logger carried by
 * AsyncLocalStorage. Log what happened and ids, never what the patient said or wrote.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import type { Logger } from 'pino';

/** Keys that may carry PHI or secrets wherever they appear (up to four levels deep). */
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

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of REDACTED_KEYS) {
    const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const join = (prefix: string) => (safe.startsWith('[') ? `${prefix}${safe}` : `${prefix}.${safe}`);
    paths.push(safe.startsWith('[') ? safe.slice(2, -2) : safe);
    paths.push(join('*'), join('*.*'), join('*.*.*'));
  }
  return paths;
}

/** Creates the root logger; `destination` lets tests capture output. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'cinic' },
      redact: { paths: redactPaths(), censor: '[redacted]' },
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
