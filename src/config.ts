// The only reader of the environment (CONTRACT §2). Parsed once with zod, frozen, and passed down in
// slices; nothing else in src/ touches process.env. A bad value throws ConfigError naming the variable,
// and main.ts exits non-zero before listening.
// One schema for every variable on purpose (about 300 lines): each variable's rule stands beside its name,
// and a second file would be a second place that reads the environment.
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './http/trust-proxy.ts';
import { loadOrCreateDevSecrets } from './secrets/dev-secrets.ts';
import { type Keyring, parseKeyring } from './secrets/keyring.ts';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

export interface MetaAppConfig {
  appId: string;
  appSecret: string;
  verifyToken: string;
}

export interface MetaConfig {
  /** null = sandbox mode: main.ts starts the emulator and fills this in from it. */
  app: MetaAppConfig | null;
  graphUrl: string;
  dialogUrl: string;
  apiVersion: string;
  scopes: string[];
  loginConfigId: string | null;
  webhookFields: string[];
}

export interface Config {
  production: boolean;
  port: number;
  host: string;
  publicUrl: string;
  /** `$PUBLIC_URL/integrations/meta-messaging/oauth/callback`, byte-identical in dialog and exchange (R5). */
  oauthRedirectUri: string;
  webhookCallbackUrl: string;
  database:
    | { kind: 'sqlite'; path: string }
    | {
        kind: 'postgres';
        url: string;
        /**
         * Name the statements used again, so PostgreSQL parses and plans them once per connection
         * (storage/postgres-prepared-statements.ts). Off for a pooler that hands one client's statements
         * to different servers (PgBouncer's transaction mode before 1.21). Default on.
         */
        preparedStatements?: boolean;
      };
  redisUrl: string | null;
  dataDir: string;
  meta: MetaConfig;
  keyring: Keyring;
  sessionSecret: string;
  emulatorPort: number;
  logLevel: string;
  /** Bearer token that unlocks GET /metrics; null = the endpoint answers 404. */
  metricsToken: string | null;
  /** How long SIGTERM keeps serving (readyz already 503) before the graceful close; 0 = close at once. */
  shutdownDrainMs: number;
  /** Which peers' X-Forwarded-For is believed (CONTRACT §2); false = none. */
  trustProxy: TrustProxy;
  /** SMTP_URL; null = no mail, the UI shows copyable links instead. */
  smtpUrl: string | null;
  /** MAIL_FROM, default `Parley <no-reply@PUBLIC_URL's host>`. */
  mailFrom: string;
  /** MEDIA_STORE: where media bytes live. */
  mediaStore: { kind: 'file'; dir: string } | { kind: 'database' };
  /** META_MEDIA_HOSTS: host suffixes (https, public addresses only) and IP literals media may come from. */
  mediaHosts: string[];
  /** HISTORY_IMPORT_DAYS: on connect, import conversations active in the last N days (0 = off). */
  historyImportDays: number;
  /** META_HUMAN_AGENT: replies 24 h–7 days after the person's last message go out tagged HUMAN_AGENT. */
  humanAgent: boolean;
  /**
   * WEBHOOK_PROCESSING: `thread` (default) processes stored deliveries in a worker thread with its own
   * database connection, off the receiver's event loop (with SQLite, the receiver then also commits to
   * an intake file of its own, `<database file>-intake`); `inline` on the main thread, in one file.
   */
  webhookProcessing: 'thread' | 'inline';
}

const DEFAULT_SCOPES =
  'pages_messaging,instagram_manage_messages,pages_show_list,instagram_basic,pages_manage_metadata,business_management,pages_read_engagement';
// Issue 13: reactions, edits, referrals (ads, m.me links) and standby (another app owns the thread) are
// shown in the thread, so they are subscribed too.
const DEFAULT_FIELDS =
  'messages,message_deliveries,message_reads,message_echoes,messaging_postbacks,message_reactions,message_edits,messaging_referrals,standby';
const DEFAULT_MEDIA_HOSTS = 'fbcdn.net,fbsbx.com,cdninstagram.com,facebook.com';

const port = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a port number (0-65535), got "${v}"`,
          path: [name],
        });
        return z.NEVER;
      }
      return n;
    });

const httpUrl = z
  .string()
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));

const commaList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine((list) => list.length > 0, 'must list at least one item')
  .refine((list) => list.every((s) => /^[a-z_]+$/.test(s)), 'items must be lower_snake_case names');

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: port('PORT', 3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: httpUrl.optional(),
  DATABASE_URL: z
    .string()
    .default('sqlite:data/parley.db')
    .refine(
      (v) => /^sqlite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v),
      'must be sqlite:PATH or postgres://…',
    ),
  REDIS_URL: z
    .string()
    .refine((v) => /^rediss?:\/\/.+/.test(v), 'must be redis://… or rediss://…')
    .optional(),
  META_APP_ID: z.string().regex(/^\d+$/, 'must be the numeric app id').optional(),
  META_APP_SECRET: z.string().min(8, 'is too short').optional(),
  META_WEBHOOK_VERIFY_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  META_GRAPH_URL: httpUrl.default('https://graph.facebook.com'),
  META_DIALOG_URL: httpUrl.default('https://www.facebook.com'),
  META_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v27.0')
    .default('v27.0'),
  META_OAUTH_SCOPES: commaList.default(DEFAULT_SCOPES.split(',')),
  META_LOGIN_CONFIG_ID: z.string().regex(/^\d+$/, 'must be numeric').optional(),
  META_WEBHOOK_FIELDS: commaList.default(DEFAULT_FIELDS.split(',')),
  ENCRYPTION_KEYS: z.string().optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  EMULATOR_PORT: port('EMULATOR_PORT', 3001),
  PARLEY_DATA_DIR: z.string().min(1).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int('must be whole milliseconds').min(0).max(120_000).optional(),
  TRUST_PROXY: z.string().optional(),
  SMTP_URL: z
    .string()
    .refine((v) => URL.canParse(v) && /^smtps?:$/.test(new URL(v).protocol), 'must be smtp://… or smtps://…')
    .optional(),
  MAIL_FROM: z.string().min(3).max(320).optional(),
  MEDIA_STORE: z
    .string()
    .default('file:data/media')
    .refine((v) => v === 'database' || /^file:.+/.test(v), 'must be file:PATH or database'),
  META_MEDIA_HOSTS: z
    .string()
    .default(DEFAULT_MEDIA_HOSTS)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((l) => l.length > 0, 'must list at least one host')
    .refine(
      (l) => l.every((h) => /^[a-z0-9.-]+$/.test(h) || /^[0-9a-f:.]+$/.test(h)),
      'items must be host names or IP addresses',
    ),
  HISTORY_IMPORT_DAYS: z.coerce.number().int('must be a whole number of days').min(0).max(365).default(30),
  META_HUMAN_AGENT: z.enum(['true', 'false']).optional(),
  WEBHOOK_PROCESSING: z.enum(['thread', 'inline']).default('thread'),
  DATABASE_PREPARED_STATEMENTS: z.enum(['on', 'off']).default('on'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);

export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const cleaned = Object.fromEntries(Object.keys(envSchema.shape).map((k) => [k, blank(env[k])]));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;

  const metaVars = [e.META_APP_ID, e.META_APP_SECRET, e.META_WEBHOOK_VERIFY_TOKEN];
  const metaSet = metaVars.filter((v) => v !== undefined).length;
  if (metaSet > 0 && metaSet < 3) {
    const missing = ['META_APP_ID', 'META_APP_SECRET', 'META_WEBHOOK_VERIFY_TOKEN'].filter(
      (_, i) => !metaVars[i],
    );
    throw new ConfigError(
      missing[0]!,
      'the Meta app needs all three of META_APP_ID, META_APP_SECRET and META_WEBHOOK_VERIFY_TOKEN (or none, for sandbox mode)',
    );
  }
  if (production) {
    if (!e.ENCRYPTION_KEYS) throw new ConfigError('ENCRYPTION_KEYS', 'is required when NODE_ENV=production');
    if (!e.SESSION_SECRET) throw new ConfigError('SESSION_SECRET', 'is required when NODE_ENV=production');
    if (!publicUrl.startsWith('https://'))
      throw new ConfigError('PUBLIC_URL', 'must be an https URL when NODE_ENV=production');
    // The app secret, tokens and client_secret travel to these hosts (R19): never in clear text.
    for (const name of ['META_GRAPH_URL', 'META_DIALOG_URL'] as const) {
      if (!e[name].startsWith('https://'))
        throw new ConfigError(name, 'must be an https URL when NODE_ENV=production');
    }
    if (metaSet === 0)
      throw new ConfigError(
        'META_APP_ID',
        'is required when NODE_ENV=production (sandbox mode is for development)',
      );
  }

  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  if (trustProxy instanceof Error) throw new ConfigError('TRUST_PROXY', trustProxy.message);

  const database: Config['database'] = e.DATABASE_URL.startsWith('sqlite:')
    ? { kind: 'sqlite', path: e.DATABASE_URL.slice('sqlite:'.length) }
    : { kind: 'postgres', url: e.DATABASE_URL, preparedStatements: e.DATABASE_PREPARED_STATEMENTS === 'on' };
  const dataDir = e.PARLEY_DATA_DIR ?? 'data';

  // Outside production, missing secrets are generated once into the data folder and reused, so a
  // newcomer's `npm start` needs no .env and restarts keep sessions and decryptable tokens.
  const dev = !e.ENCRYPTION_KEYS || !e.SESSION_SECRET ? loadOrCreateDevSecrets(dataDir) : null;
  let keyring: Keyring;
  try {
    keyring = parseKeyring(e.ENCRYPTION_KEYS ?? dev!.encryptionKeys, 'ENCRYPTION_KEYS');
  } catch (err) {
    throw new ConfigError(
      'ENCRYPTION_KEYS',
      err instanceof Error ? err.message.replace(/^ENCRYPTION_KEYS: /, '') : 'invalid',
    );
  }

  const config: Config = {
    production,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    oauthRedirectUri: `${publicUrl}/integrations/meta-messaging/oauth/callback`,
    webhookCallbackUrl: `${publicUrl}/integrations/meta-messaging/webhook`,
    database,
    redisUrl: e.REDIS_URL ?? null,
    dataDir,
    meta: {
      app:
        metaSet === 3
          ? {
              appId: e.META_APP_ID!,
              appSecret: e.META_APP_SECRET!,
              verifyToken: e.META_WEBHOOK_VERIFY_TOKEN!,
            }
          : null,
      graphUrl: e.META_GRAPH_URL,
      dialogUrl: e.META_DIALOG_URL,
      apiVersion: e.META_API_VERSION,
      scopes: e.META_OAUTH_SCOPES,
      loginConfigId: e.META_LOGIN_CONFIG_ID ?? null,
      webhookFields: e.META_WEBHOOK_FIELDS,
    },
    keyring,
    sessionSecret: e.SESSION_SECRET ?? dev!.sessionSecret,
    emulatorPort: e.EMULATOR_PORT,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN ?? null,
    // Behind a balancer (production) give it a few seconds to see readyz fail before we stop accepting.
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS ?? (production ? 5_000 : 0),
    trustProxy,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM ?? `Parley <no-reply@${new URL(publicUrl).hostname}>`,
    mediaStore:
      e.MEDIA_STORE === 'database'
        ? { kind: 'database' }
        : { kind: 'file', dir: e.MEDIA_STORE.slice('file:'.length) },
    mediaHosts: e.META_MEDIA_HOSTS,
    historyImportDays: e.HISTORY_IMPORT_DAYS,
    humanAgent: e.META_HUMAN_AGENT === 'true',
    webhookProcessing: e.WEBHOOK_PROCESSING,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): Readonly<T> {
  // Only plain objects and arrays: key material (KeyObject) is immutable already.
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
