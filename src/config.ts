/**
 * The one place that reads the environment. `loadConfig(env)` validates everything with zod and
 * returns a frozen, typed config, or throws a ConfigError that lists every problem at once.
 */
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** `kid:base64key,kid:base64key` — 32-byte AES keys by key id; old ids stay for decryption. */
const keyring = z.string().transform((value, ctx) => {
  const keys = new Map<string, Buffer>();
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [id, encoded] = entry.split(':');
    const key = Buffer.from(encoded ?? '', 'base64');
    if (!id || !/^[A-Za-z0-9_-]{1,16}$/.test(id) || key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'each entry must be <key id>:<base64 of 32 bytes>' });
      return z.NEVER;
    }
    keys.set(id, key);
  }
  if (keys.size === 0) {
    ctx.addIssue({ code: 'custom', message: 'at least one key is required' });
    return z.NEVER;
  }
  return keys;
});

const base64Key = z.string().transform((value, ctx) => {
  const key = Buffer.from(value, 'base64');
  if (key.length < 32) {
    ctx.addIssue({ code: 'custom', message: 'must be base64 of at least 32 bytes' });
    return z.NEVER;
  }
  return key;
});

/** Purposes that have an approved template to fall back on outside the 24-hour window. */
export const TEMPLATE_PURPOSES = [
  'reminder',
  'appointment_update',
  'payment_link',
  'document',
  'otp',
  'report',
] as const;

const templateSpec = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'template names are lower-case letters, digits and _'),
  /** Meta language code of the approved translation for each language the bot speaks. */
  languages: z.object({
    en: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/),
    hi: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/),
  }),
});

/** The approved templates, by purpose; WHATSAPP_TEMPLATES (JSON) replaces entries one purpose at a time. */
const defaultTemplates: Record<(typeof TEMPLATE_PURPOSES)[number], z.infer<typeof templateSpec>> = {
  reminder: { name: 'appointment_reminder', languages: { en: 'en', hi: 'hi' } },
  appointment_update: { name: 'appointment_update', languages: { en: 'en', hi: 'hi' } },
  payment_link: { name: 'payment_link', languages: { en: 'en', hi: 'hi' } },
  // Document header (the PDF) and one body parameter: what it is, from whom and when.
  document: { name: 'patient_document', languages: { en: 'en', hi: 'hi' } },
  // The owner's evening summary: one body parameter, the day's figures as one line.
  report: { name: 'daily_summary', languages: { en: 'en', hi: 'hi' } },
  // An authentication template: the code as the body parameter and on the copy-code button.
  otp: { name: 'portal_sign_in_code', languages: { en: 'en', hi: 'hi' } },
};

const templatesJson = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === '') return {};
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be JSON, e.g. {"reminder":{"name":"appointment_reminder","languages":{"en":"en","hi":"hi"}}}',
      });
      return z.NEVER;
    }
  })
  .pipe(z.partialRecord(z.enum(TEMPLATE_PURPOSES), templateSpec))
  .transform((overrides) => ({ ...defaultTemplates, ...overrides }));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PROCESS_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI'),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('cinic'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .default('cinic'),
  SANDBOX: booleanish.optional(),
  WHATSAPP_ACCESS_TOKEN: optionalText,
  WHATSAPP_PHONE_NUMBER_ID: optionalText,
  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_VERIFY_TOKEN: optionalText,
  WHATSAPP_API_URL: z.url().optional(),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v21.0'),
  // Meta's default throughput per business number is 80 messages/s; higher tiers raise it.
  WHATSAPP_RATE_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(80),
  // Gap between two messages to one patient, so they arrive (and show) in the order sent.
  WHATSAPP_PACING_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  WHATSAPP_TEMPLATES: templatesJson.default(defaultTemplates),
  RAZORPAY_KEY_ID: optionalText,
  RAZORPAY_KEY_SECRET: optionalText,
  RAZORPAY_WEBHOOK_SECRET: optionalText,
  RAZORPAY_API_URL: z.url().optional(),
  /** How long one Razorpay call may take before it is treated as failed and retried by its job. */
  RAZORPAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters'),
  DATA_ENCRYPTION_KEYS: keyring,
  DATA_ENCRYPTION_KEY_ID: optionalText,
  BLIND_INDEX_KEY: base64Key,
  // Keys the audit chain (HMAC-SHA256): kept out of the database, so whoever can write to it cannot re-hash a forgery.
  AUDIT_HMAC_KEYS: keyring.optional(),
  AUDIT_HMAC_KEY_ID: optionalText,
  // Encrypts backups (AES-256-GCM); separate from the data keys. Old ids stay listed to restore old backups.
  BACKUP_ENCRYPTION_KEYS: keyring.optional(),
  BACKUP_ENCRYPTION_KEY_ID: optionalText,
  // Nightly backup and restore drill, cron in Asia/Kolkata (clinic-independent: one for the installation).
  BACKUP_CRON: z.string().default('30 2 * * *'),
  BACKUP_DRILL_CRON: z.string().default('30 3 * * *'),
  BACKUP_RETAIN_DAILY: z.coerce.number().int().min(1).max(366).default(14),
  BACKUP_RETAIN_WEEKLY: z.coerce.number().int().min(0).max(520).default(8),
  BACKUP_RETAIN_MONTHLY: z.coerce.number().int().min(0).max(240).default(12),
  // A backup older than this (or a failed drill) raises the one backup alert.
  BACKUP_STALE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(26),
  // How often each clinic's chain head is anchored outside the database (write-once storage); at most hourly.
  AUDIT_ANCHOR_EVERY_MINUTES: z.coerce.number().int().min(1).max(60).default(60),
  // Object-lock retention of anchors on S3 (compliance mode): as long as the audit trail must be kept.
  AUDIT_ANCHOR_RETAIN_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100 * 365)
    .default(7 * 365),
  // Fractions are allowed so tests can expire sessions in seconds instead of sleeping for minutes.
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .positive()
    .max(7 * 24)
    .default(12),
  CORS_ORIGINS: optionalText,
  TRUST_PROXY: booleanish.default(false),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  CINIC_DATA_DIR: z.string().default('.data'),
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  S3_BUCKET: optionalText,
  S3_REGION: z.string().default('ap-south-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_PREFIX: optionalText,
  // SSE-KMS key for the bucket (documents are also envelope-encrypted by the app); the bucket default when empty.
  S3_KMS_KEY_ID: optionalText,
  // A TrueType font for text the standard PDF fonts cannot show (patient names in Devanagari on invoices).
  PDF_UNICODE_FONT: z.string().default('/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf'),
  // Signs the expiring links through which WhatsApp fetches a patient's PDF (GET /documents/:token).
  DOCUMENT_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Long enough for Meta to fetch the file on a retried send; short enough that a forwarded link dies.
  DOCUMENT_LINK_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(30 * 24)
    .default(72),
  CINIC_PRINT_URLS: booleanish.default(false),
  // Bearer token Prometheus sends to GET /metrics; without it production does not serve /metrics at all.
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Seed the demo clinic at boot when sandbox mode is on and the clinic has no doctors. */
  DEMO_SEED: booleanish.default(true),
  // Automation rules (src/modules/automation): attempts and the first backoff of a rule's job.
  AUTOMATION_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  AUTOMATION_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  AUTOMATION_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(20),
  /**
   * Sandbox only: each reminder arrives this many seconds after confirmation (the next one as much
   * later), so a person trying `npm start` sees them. Defaults to 30 in a development sandbox; 0 is off.
   */
  DEMO_REMINDER_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).optional(),
  // SMS fallback through Gupshup Enterprise (DLT): account, sender id (header), entity and template ids.
  SMS_API_URL: z.url().optional(),
  SMS_USER_ID: optionalText,
  SMS_PASSWORD: optionalText,
  SMS_SENDER_ID: z
    .string()
    .regex(/^[A-Z]{6}$/, 'a DLT sender id (header) is six capital letters')
    .optional(),
  SMS_DLT_ENTITY_ID: optionalText,
  /** JSON: DLT template id per SMS template and language, e.g. {"reminder":{"en":"1107…","hi":"1107…"}}. */
  SMS_DLT_TEMPLATES: optionalText,
});

/** DLT template ids by SMS template and language. */
export type SmsDltTemplates = Partial<Record<string, Partial<Record<'en' | 'hi', string>>>>;

// Made-up DLT ids for the sandbox stand-in (real ones are 19 digits issued by the DLT portal).
const SANDBOX_SMS_TEMPLATES: SmsDltTemplates = Object.fromEntries(
  ['reminder', 'hold_released', 'no_show', 'payment_link', 'otp'].map((key, index) => [
    key,
    { en: `110700000000000${index}01`, hi: `110700000000000${index}02` },
  ]),
);

function parseSmsTemplates(json: string | undefined, problems: string[]): SmsDltTemplates | undefined {
  if (json === undefined) return undefined;
  const schema = z.record(z.string(), z.object({ en: z.string().optional(), hi: z.string().optional() }));
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
  } catch {
    // reported below
  }
  problems.push('SMS_DLT_TEMPLATES: must be JSON like {"reminder":{"en":"1107…","hi":"1107…"}}');
  return undefined;
}

/** Raised when the environment is invalid; `problems` holds one line per bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function issuesOf(error: z.ZodError, env: Record<string, string | undefined>): string[] {
  return error.issues.map((issue) => {
    const key = issue.path.join('.') || '(environment)';
    const missing = issue.path.length === 1 && (env[String(issue.path[0])] ?? '') === '';
    return missing ? `${key} is required` : `${key}: ${issue.message}`;
  });
}

/** Whether sandbox mode is on: SANDBOX when given, else outside production without both providers' credentials. */
function sandboxOf(env: Record<string, unknown>): boolean {
  const isProduction = env.NODE_ENV === 'production';
  const given = env.SANDBOX;
  if (typeof given === 'boolean') return given;
  if (typeof given === 'string' && given !== '') return ['true', '1', 'yes'].includes(given);
  const whatsappCredentials = env.WHATSAPP_ACCESS_TOKEN && env.WHATSAPP_PHONE_NUMBER_ID;
  const razorpayCredentials = env.RAZORPAY_KEY_ID && env.RAZORPAY_KEY_SECRET;
  return !isProduction && !(whatsappCredentials && razorpayCredentials);
}

/**
 * The settings required by other settings (production, no sandbox, S3), read from the raw or the
 * parsed environment alike, so they are reported together with the syntax errors in ONE pass.
 */
function presenceProblems(env: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const has = (key: string) => env[key] !== undefined && env[key] !== '';
  const isProduction = env.NODE_ENV === 'production';
  const sandbox = sandboxOf(env);
  if (isProduction && sandbox) problems.push('SANDBOX cannot be on with NODE_ENV=production');
  if (!sandbox) {
    const required = [
      'WHATSAPP_ACCESS_TOKEN',
      'WHATSAPP_PHONE_NUMBER_ID',
      'WHATSAPP_APP_SECRET',
      'WHATSAPP_VERIFY_TOKEN',
      'RAZORPAY_KEY_ID',
      'RAZORPAY_KEY_SECRET',
      'RAZORPAY_WEBHOOK_SECRET',
    ];
    for (const key of required) if (!has(key)) problems.push(`${key} is required outside sandbox mode`);
  }
  if (isProduction)
    for (const key of ['AUDIT_HMAC_KEYS', 'BACKUP_ENCRYPTION_KEYS', 'DOCUMENT_LINK_SECRET'])
      if (!has(key)) problems.push(`${key} is required in production`);
  if (env.STORAGE_DRIVER === 's3' && !has('S3_BUCKET')) problems.push('S3_BUCKET is required when STORAGE_DRIVER=s3');
  return problems;
}

function buildConfig(env: z.infer<typeof envSchema>) {
  const problems: string[] = [];
  const isProduction = env.NODE_ENV === 'production';
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  const whatsappCredentials = env.WHATSAPP_ACCESS_TOKEN && env.WHATSAPP_PHONE_NUMBER_ID;
  const razorpayCredentials = env.RAZORPAY_KEY_ID && env.RAZORPAY_KEY_SECRET;
  const sandbox = env.SANDBOX ?? (!isProduction && !(whatsappCredentials && razorpayCredentials));

  problems.push(...presenceProblems(env));
  const currentKeyId = env.DATA_ENCRYPTION_KEY_ID ?? [...env.DATA_ENCRYPTION_KEYS.keys()].at(-1)!;
  if (!env.DATA_ENCRYPTION_KEYS.has(currentKeyId)) {
    problems.push(`DATA_ENCRYPTION_KEY_ID: "${currentKeyId}" is not in DATA_ENCRYPTION_KEYS`);
  }
  const auditKeyId = env.AUDIT_HMAC_KEY_ID ?? (env.AUDIT_HMAC_KEYS ? [...env.AUDIT_HMAC_KEYS.keys()].at(-1)! : 'd0');
  if (env.AUDIT_HMAC_KEYS && !env.AUDIT_HMAC_KEYS.has(auditKeyId)) {
    problems.push(`AUDIT_HMAC_KEY_ID: "${auditKeyId}" is not in AUDIT_HMAC_KEYS`);
  }
  const backupKeyId =
    env.BACKUP_ENCRYPTION_KEY_ID ??
    (env.BACKUP_ENCRYPTION_KEYS ? [...env.BACKUP_ENCRYPTION_KEYS.keys()].at(-1)! : 'd0');
  if (env.BACKUP_ENCRYPTION_KEYS && !env.BACKUP_ENCRYPTION_KEYS.has(backupKeyId)) {
    problems.push(`BACKUP_ENCRYPTION_KEY_ID: "${backupKeyId}" is not in BACKUP_ENCRYPTION_KEYS`);
  }
  if (env.DEMO_REMINDER_DELAY_SECONDS && !sandbox)
    problems.push('DEMO_REMINDER_DELAY_SECONDS is a sandbox-only setting');
  const smsTemplates = parseSmsTemplates(env.SMS_DLT_TEMPLATES, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  // Sandbox stand-ins live in this app; explicit secrets are honoured so signatures can be tested.
  const sandboxSecret = (name: string) => `sandbox-${name}-${env.SESSION_SECRET.slice(0, 8)}`;
  // Outside production a key of its own is derived from the whole session secret (one-way, so
  // neither reveals the other): document links guard PHI even in a developer's sandbox.
  const derivedSecret = (name: string) =>
    createHmac('sha256', env.SESSION_SECRET).update(`cinic:${name}`).digest('base64url');
  return {
    env: env.NODE_ENV,
    isProduction,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    logLevel: env.LOG_LEVEL,
    role: env.PROCESS_ROLE,
    sandbox,
    dataDir: path.resolve(env.CINIC_DATA_DIR),
    printUrls: env.CINIC_PRINT_URLS,
    metrics: { token: env.METRICS_TOKEN },
    demoSeed: env.DEMO_SEED,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    trustProxy: env.TRUST_PROXY,
    corsOrigins: env.CORS_ORIGINS ? env.CORS_ORIGINS.split(',').map((origin) => origin.trim()) : [],
    mongo: { uri: env.MONGODB_URI, dbName: env.MONGODB_DB },
    redis: { url: env.REDIS_URL, queuePrefix: env.QUEUE_PREFIX },
    whatsapp: {
      accessToken: env.WHATSAPP_ACCESS_TOKEN ?? 'sandbox-access-token',
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID ?? '100000000000001',
      appSecret: env.WHATSAPP_APP_SECRET ?? sandboxSecret('whatsapp'),
      verifyToken: env.WHATSAPP_VERIFY_TOKEN ?? sandboxSecret('verify'),
      apiUrl: (
        env.WHATSAPP_API_URL ?? (sandbox ? `${publicUrl}/sandbox/whatsapp/graph` : 'https://graph.facebook.com')
      ).replace(/\/$/, ''),
      apiVersion: env.WHATSAPP_API_VERSION,
      ratePerSecond: env.WHATSAPP_RATE_PER_SECOND,
      pacingMs: env.WHATSAPP_PACING_MS,
      templates: env.WHATSAPP_TEMPLATES,
    },
    razorpay: {
      keyId: env.RAZORPAY_KEY_ID ?? 'rzp_test_sandbox',
      keySecret: env.RAZORPAY_KEY_SECRET ?? sandboxSecret('razorpay-key'),
      webhookSecret: env.RAZORPAY_WEBHOOK_SECRET ?? sandboxSecret('razorpay-webhook'),
      apiUrl: (
        env.RAZORPAY_API_URL ?? (sandbox ? `${publicUrl}/sandbox/razorpay/api/v1` : 'https://api.razorpay.com/v1')
      ).replace(/\/$/, ''),
      timeoutMs: env.RAZORPAY_TIMEOUT_MS,
    },
    automation: {
      attempts: env.AUTOMATION_ATTEMPTS,
      backoffMs: env.AUTOMATION_BACKOFF_MS,
      concurrency: env.AUTOMATION_CONCURRENCY,
      demoReminderDelaySeconds:
        (env.DEMO_REMINDER_DELAY_SECONDS ?? (sandbox && env.NODE_ENV === 'development' ? 30 : 0)) || undefined,
    },
    sms: {
      apiUrl: (
        env.SMS_API_URL ??
        (sandbox ? `${publicUrl}/sandbox/sms/GatewayAPI/rest` : 'https://enterprise.smsgupshup.com/GatewayAPI/rest')
      ).replace(/\/$/, ''),
      userId: env.SMS_USER_ID ?? (sandbox ? '2000000001' : undefined),
      password: env.SMS_PASSWORD ?? (sandbox ? sandboxSecret('sms') : undefined),
      senderId: env.SMS_SENDER_ID ?? (sandbox ? 'CINICS' : undefined),
      entityId: env.SMS_DLT_ENTITY_ID ?? (sandbox ? '1101000000000000001' : undefined),
      templates: smsTemplates ?? (sandbox ? SANDBOX_SMS_TEMPLATES : {}),
    },
    admin: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
    storage: {
      driver: env.STORAGE_DRIVER,
      s3: {
        bucket: env.S3_BUCKET,
        region: env.S3_REGION,
        endpoint: env.S3_ENDPOINT,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        prefix: env.S3_PREFIX,
        kmsKeyId: env.S3_KMS_KEY_ID,
      },
    },
    backup: {
      // Outside production a missing backup key is derived from the session secret (one-way).
      keys:
        env.BACKUP_ENCRYPTION_KEYS ??
        new Map([['d0', createHmac('sha256', env.SESSION_SECRET).update('cinic:backup').digest()]]),
      keyId: backupKeyId,
      cron: env.BACKUP_CRON,
      drillCron: env.BACKUP_DRILL_CRON,
      retain: { daily: env.BACKUP_RETAIN_DAILY, weekly: env.BACKUP_RETAIN_WEEKLY, monthly: env.BACKUP_RETAIN_MONTHLY },
      staleMs: Math.round(env.BACKUP_STALE_HOURS * 60 * 60 * 1000),
    },
    audit: {
      anchorEveryMs: env.AUDIT_ANCHOR_EVERY_MINUTES * 60_000,
      anchorRetainDays: env.AUDIT_ANCHOR_RETAIN_DAYS,
    },
    documents: {
      unicodeFontPath: env.PDF_UNICODE_FONT,
      linkSecret: env.DOCUMENT_LINK_SECRET ?? derivedSecret('document-links'),
      linkTtlMs: Math.round(env.DOCUMENT_LINK_TTL_HOURS * 60 * 60 * 1000),
    },
    security: {
      sessionSecret: env.SESSION_SECRET,
      dataKeys: env.DATA_ENCRYPTION_KEYS,
      currentKeyId,
      blindIndexKey: env.BLIND_INDEX_KEY,
      // Outside production a missing audit key is derived from the session secret (never stored in the database).
      auditKeys:
        env.AUDIT_HMAC_KEYS ??
        new Map([['d0', createHmac('sha256', env.SESSION_SECRET).update('cinic:audit-chain').digest()]]),
      auditKeyId,
      sessionIdleMinutes: env.SESSION_IDLE_MINUTES,
      sessionAbsoluteHours: env.SESSION_ABSOLUTE_HOURS,
    },
  };
}

/** The validated configuration every module receives. */
export type Config = Readonly<ReturnType<typeof buildConfig>>;

/** Validates `env` and returns a frozen config, or throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Everything at once: the syntax errors and what other settings require (never two passes).
    const issues = issuesOf(parsed.error, env);
    const problems = [...issues, ...presenceProblems(env).filter((problem) => !issues.includes(problem))];
    if (
      problems.some((problem) => /^(SESSION_SECRET|DATA_ENCRYPTION_KEYS|BLIND_INDEX_KEY) is required/.test(problem))
    ) {
      problems.push('(npm start generates local secrets in .data/secrets.json; production must set them)');
    }
    throw new ConfigError(problems);
  }
  return Object.freeze(buildConfig(parsed.data));
}
