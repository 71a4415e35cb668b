// The shared Cache for several instances. GETDEL (Redis ≥ 6.2) makes consume-once atomic across
// instances; SET NX PX makes locks and claims; MULTI(SET NX PX, INCR, PTTL) makes shared counters.
import type { Redis } from 'ioredis';
import type { Cache } from './cache.ts';
import { newRedisClient } from './redis-client.ts';

export class RedisCache implements Cache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'parley:',
  ) {}

  static connect(url: string, prefix?: string): RedisCache {
    // Fail fast instead of queueing commands forever while Redis is down: callers turn the error into
    // a visible failure, never a hang.
    const redis = newRedisClient(url, {
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      lazyConnect: false,
    });
    redis.on('error', () => {});
    return new RedisCache(redis, prefix);
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.prefix + key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (
      (await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK'
    );
  }

  async getAndDelete(key: string): Promise<string | null> {
    return this.redis.getdel(this.prefix + key);
  }

  async increment(key: string, ttlMs: number): Promise<{ count: number; ttlMs: number }> {
    const k = this.prefix + key;
    const ttl = Math.max(1, Math.ceil(ttlMs));
    // MULTI runs the three as one unit: the window starts with the first increment only (SET NX).
    const results = await this.redis.multi().set(k, '0', 'PX', ttl, 'NX').incr(k).pttl(k).exec();
    if (!results) throw new Error('redis increment transaction was discarded');
    for (const [err] of results) if (err) throw err;
    const count = Number(results[1]![1]);
    const left = Number(results[2]![1]);
    return { count, ttlMs: left > 0 ? left : ttl };
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
