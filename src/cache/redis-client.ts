// ioredis is required when a Redis client is first made (REDIS_URL set), not when the app starts: a
// single instance on the embedded default never loads it, which keeps its resident memory down
// (issue 15).
import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';

export function newRedisClient(url: string, options: RedisOptions): Redis {
  const { Redis: Client } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  return new Client(url, options);
}
