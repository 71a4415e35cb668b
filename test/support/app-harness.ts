// Starts the real app on a real port for a test: buildApp over a test database, a cache (memory or
// Redis), an injectable clock and a captured log stream. Requests go over HTTP with fetch.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { AttemptLimits } from '../../src/accounts/credential-attempts.ts';
import type { PasswordHashingOptions } from '../../src/accounts/password-hash.ts';
import { type App, buildAppWithFeatures } from '../../src/app.ts';
import type { Cache } from '../../src/cache/cache.ts';
import { MemoryCache } from '../../src/cache/memory-cache.ts';
import { RedisCache } from '../../src/cache/redis-cache.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { TokenCipher } from '../../src/secrets/token-cipher.ts';
import { freePort } from './app-process.ts';
import { createTestDatabase, type DatabaseKind, REDIS_URL, type TestDatabase } from './databases.ts';

export class TestClock {
  constructor(public t = Date.UTC(2026, 10, 28, 12, 0, 0)) {}
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

export interface HarnessOptions {
  db: DatabaseKind;
  redis?: boolean;
  env?: Record<string, string>;
  /** Use the real clock (needed when an external party, like the emulator, checks time too). */
  realClock?: boolean;
  publicUrl?: string;
  /**
   * Credential-attempt limits. Default: effectively off, since suites sign up many users from 127.0.0.1;
   * tests of the limits pass real ones (or DEFAULT_ATTEMPT_LIMITS).
   */
  attemptLimits?: AttemptLimits;
  /** Default: scrypt N=2^14 (the production default 2^17 would make the suite crawl). */
  passwordHashing?: PasswordHashingOptions;
  /** Redis key prefix (default: random per harness); two harnesses with one prefix share counters. */
  cachePrefix?: string;
  /** Share another harness's database (two instances of one deployment); it is dropped by its owner. */
  sharedDb?: TestDatabase;
  /** Starts Meta for this app (normally the emulator), given the app's own URL. */
  meta?: (appUrl: string) => Promise<MetaUnderTest>;
  graphOptions?: Deps['graphOptions'];
  connectDeadlineMs?: number;
  /** Name resolution for media downloads (a test maps a listed name to a private address). */
  mediaResolver?: Deps['mediaResolver'];
  presenceTimings?: Deps['presenceTimings'];
}

export interface MetaUnderTest {
  url: string;
  appId: string;
  appSecret: string;
  verifyToken: string;
  close(): Promise<void>;
}

export interface Harness {
  url: string;
  app: FastifyInstance;
  deps: Deps;
  features: App;
  meta: MetaUnderTest | null;
  config: Readonly<Config>;
  testDb: TestDatabase;
  clock: TestClock;
  /** Every log line the app wrote, for secret-leak checks. */
  logs: string[];
  close(): Promise<void>;
}

export const TEST_HASH_COST = { N: 2 ** 14, r: 8, p: 1 };
const UNLIMITED_ATTEMPTS: AttemptLimits = {
  perAddress: { max: 1_000_000, windowMs: 60_000 },
  failedLogins: { max: 1_000_000, windowMs: 60_000 },
};

export const testEncryptionKey = () => `k1:${randomBytes(32).toString('base64')}`;

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const testDb = opts.sharedDb ?? (await createTestDatabase(opts.db));
  // Each harness keeps its media in a folder of its own, outside the worktree, removed by close()
  // unless the caller named another store.
  const mediaDir = join(tmpdir(), `parley-media-${randomBytes(6).toString('hex')}`);
  const env: Record<string, string> = {
    ENCRYPTION_KEYS: testEncryptionKey(),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'trace',
    MEDIA_STORE: `file:${mediaDir}`,
    ...(opts.env ?? {}),
  };
  const clock = new TestClock();
  const now = opts.realClock ? Date.now : clock.now;
  let redis: Redis | undefined;
  let cache: Cache;
  if (opts.redis) {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    cache = new RedisCache(redis, opts.cachePrefix ?? `parley-test-${randomBytes(4).toString('hex')}:`);
  } else {
    cache = new MemoryCache(now);
  }
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  // The app's PUBLIC_URL must name its own port (OAuth redirect_uri, webhook callback), so pick a free
  // port first and build the config around it.
  const reserved = `http://127.0.0.1:${await freePort()}`;
  const url = opts.publicUrl ?? reserved;
  const meta = opts.meta ? await opts.meta(url) : null;
  const metaEnv = meta
    ? {
        META_APP_ID: meta.appId,
        META_APP_SECRET: meta.appSecret,
        META_WEBHOOK_VERIFY_TOKEN: meta.verifyToken,
        META_GRAPH_URL: meta.url,
        META_DIALOG_URL: meta.url,
      }
    : {
        // No Meta in this suite: an app that exists but whose Graph host refuses connections.
        META_APP_ID: '1',
        META_APP_SECRET: 'unused-secret',
        META_WEBHOOK_VERIFY_TOKEN: 'unused-verify-token',
        META_GRAPH_URL: 'http://127.0.0.1:9',
        META_DIALOG_URL: 'http://127.0.0.1:9',
      };
  const config = loadConfig({ ...metaEnv, ...env, PORT: new URL(reserved).port, PUBLIC_URL: url });
  const deps: Deps = {
    config,
    logger: createLogger('trace', sink),
    database: testDb.database,
    cache,
    cipher: new TokenCipher(config.keyring),
    now,
    redis,
    attemptLimits: opts.attemptLimits ?? UNLIMITED_ATTEMPTS,
    passwordHashing: opts.passwordHashing ?? { cost: TEST_HASH_COST },
    distDir: 'dist',
    runJobs: false,
    graphOptions: { timeoutMs: 1_000, retryBaseMs: 5, ...(opts.graphOptions ?? {}) },
    connectDeadlineMs: opts.connectDeadlineMs,
    mediaResolver: opts.mediaResolver,
    presenceTimings: opts.presenceTimings,
  };
  const features = await buildAppWithFeatures(deps);
  const { app } = features;
  await app.listen({ port: config.port, host: '127.0.0.1' });
  return {
    url: reserved,
    app,
    deps,
    features,
    meta,
    config,
    testDb,
    clock,
    logs,
    close: async () => {
      await app.close();
      await meta?.close();
      await cache.close();
      if (!opts.sharedDb) await testDb.drop();
      if (opts.env?.MEDIA_STORE === undefined) rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}
