// The shared Cache for several instances. GETDEL (Redis ≥ 6.2) makes consume-once atomic across
// instances; SET NX PX makes locks and claims; MULTI(SET NX PX, INCR, PTTL) makes shared counters; a
// sorted set scored by each member's expiry makes sets whose members expire one by one.
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
    const results = await this.transaction(this.redis.multi().set(k, '0', 'PX', ttl, 'NX').incr(k).pttl(k));
    const count = Number(results[1]);
    const left = Number(results[2]);
    return { count, ttlMs: left > 0 ? left : ttl };
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async addMember(key: string, member: string, until: number, ttlMs: number): Promise<void> {
    const k = this.prefix + key;
    await this.transaction(
      this.redis
        .multi()
        .zadd(k, String(until), member)
        .pexpire(k, Math.max(1, Math.ceil(ttlMs))),
    );
  }

  async liveMembers(key: string, now: number): Promise<string[]> {
    const k = this.prefix + key;
    // Only scores at or below now go: a member whose time another instance just moved stays.
    const results = await this.transaction(
      this.redis.multi().zremrangebyscore(k, '-inf', String(now)).zrange(k, '0', '-1'),
    );
    return results[1] as string[];
  }

  async removeMember(key: string, member: string): Promise<void> {
    await this.redis.zrem(this.prefix + key, member);
  }

  async takeMembers(key: string, now: number): Promise<string[]> {
    const k = this.prefix + key;
    const results = await this.transaction(this.redis.multi().zrangebyscore(k, `(${now}`, '+inf').del(k));
    return results[0] as string[];
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Runs a MULTI; each command's answer, or the first error. */
  private async transaction(multi: ReturnType<Redis['multi']>): Promise<unknown[]> {
    const results = await multi.exec();
    if (!results) throw new Error('redis transaction was discarded');
    for (const [err] of results) if (err) throw err;
    return results.map(([, value]) => value);
  }
}
