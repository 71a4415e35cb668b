// Fixed-window counters over the shared Cache (memory in one process, Redis across instances), and the
// error every limit throws. app.ts maps RateLimitedError to 429 `rate_limited` with Retry-After.
import { createHash } from 'node:crypto';
import type { Cache } from '../cache/cache.ts';

export interface Limit {
  max: number;
  windowMs: number;
}

export class RateLimitedError extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    // The login form shows this message as it is, so it says when trying again makes sense.
    super(`Too many attempts; try again in ${waitWords(seconds)}`);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = seconds;
  }
}

function waitWords(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Keys carry no email address or user id in clear: whoever can read Redis learns nothing from them. */
export const keyPart = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

export class WindowCounter {
  constructor(
    private readonly cache: Cache,
    private readonly name: string,
    readonly limit: Limit,
  ) {}

  /** Counts one hit for `key`; throws RateLimitedError once the window holds more than `max`. */
  async hit(key: string): Promise<void> {
    const { count, ttlMs } = await this.count(key);
    if (count > this.limit.max) throw new RateLimitedError(ttlMs);
  }

  /** Counts one hit and reports where the window stands, without refusing. */
  count(key: string): Promise<{ count: number; ttlMs: number }> {
    return this.cache.increment(this.key(key), this.limit.windowMs);
  }

  reset(key: string): Promise<void> {
    return this.cache.delete(this.key(key));
  }

  private key(key: string) {
    return `rl:${this.name}:${key}`;
  }
}
