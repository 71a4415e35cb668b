// createDeps(config): the process's infrastructure (database, cache, cipher, logger, clock), built once
// and handed to buildApp. Tests build the same thing with their own database, cache and clock.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AttemptLimits } from './accounts/credential-attempts.ts';
import type { PasswordHashingOptions } from './accounts/password-hash.ts';
import type { Cache } from './cache/cache.ts';
import { MemoryCache } from './cache/memory-cache.ts';
import { RedisCache } from './cache/redis-cache.ts';
import { newRedisClient } from './cache/redis-client.ts';
import type { Config } from './config.ts';
import type { TrustProxy } from './http/trust-proxy.ts';
import type { PresenceTimings } from './inbox/presence-store.ts';
import { createLogger } from './logger.ts';
import type { Resolver } from './media/safe-download.ts';
import type { GraphClientOptions } from './meta/graph-client.ts';
import type { Readiness } from './ops/readiness.ts';
import { TokenCipher } from './secrets/token-cipher.ts';
import { createDatabase, type Database } from './storage/database.ts';
import { migrateToLatest } from './storage/migrate.ts';

export interface Deps {
  config: Readonly<Config>;
  logger: Logger;
  database: Database;
  cache: Cache;
  cipher: TokenCipher;
  now: () => number;
  /** The raw Redis client when REDIS_URL is set (the live bus uses it). */
  redis?: Redis;
  /** Whose X-Forwarded-For to believe; defaults to config.trustProxy (TRUST_PROXY). */
  trustProxy?: TrustProxy;
  /** Credential-attempt limits (default CONTRACT §3: 20/min per address, 10 failures/15 min per pair). */
  attemptLimits?: AttemptLimits;
  /** scrypt cost and concurrency (default N=2^17, 2 at once); tests lower the cost to stay fast. */
  passwordHashing?: PasswordHashingOptions;
  distDir?: string;
  /** Overrides for the Graph client (tests: short timeouts, no backoff sleep). */
  graphOptions?: Partial<
    Pick<GraphClientOptions, 'timeoutMs' | 'retryBaseMs' | 'sleep' | 'fetch' | 'onCall'>
  >;
  /** The OAuth callback's deadline (default CONNECT_DEADLINE_MS, 15 s); tests use a short one. */
  connectDeadlineMs?: number;
  /** Presence expiry (default 40 s viewing, 6 s typing); tests use short ones. */
  presenceTimings?: Partial<PresenceTimings>;
  /** false: background jobs do not poll; tests run them on demand. */
  runJobs?: boolean;
  /** How media downloads resolve host names (tests map names to addresses without a DNS server). */
  mediaResolver?: Resolver;
  /** Flipped by the process entry when shutdown begins, so /readyz answers 503 (absent: always ready). */
  readiness?: Readiness;
}

export async function createDeps(
  config: Readonly<Config>,
  logger = createLogger(config.logLevel),
): Promise<Deps> {
  const database = createDatabase(config.database);
  await migrateToLatest(database.db);
  let redis: Redis | undefined;
  let cache: Cache;
  if (config.redisUrl) {
    redis = newRedisClient(config.redisUrl, { maxRetriesPerRequest: 2 });
    redis.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis error'));
    cache = new RedisCache(redis);
  } else {
    cache = new MemoryCache();
  }
  return {
    config,
    logger,
    database,
    cache,
    cipher: new TokenCipher(config.keyring),
    now: Date.now,
    redis,
    trustProxy: config.trustProxy,
  };
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.cache.close();
  await deps.database.close();
}
