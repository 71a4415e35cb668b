// Limits on password guessing (CONTRACT §3). Two independent limits:
//  - a budget per client address shared by every credential endpoint (login, signup, password reset,
//    invitation accept): checked in onRequest, before the body is read and long before any scrypt, so a
//    flood costs a counter increment, and spraying many accounts from one address stops at 20 a minute;
//  - failed logins per (address, account), counted on failures only. Keying by the pair, not by the
//    account alone, means an attacker elsewhere cannot lock the owner out: a correct password from
//    another address is never refused because of someone else's failures.
// The address is request.ip, which honours TRUST_PROXY. Counters live in the Cache, so with REDIS_URL
// every instance shares them.
import type { Cache } from '../cache/cache.ts';
import { keyPart, type Limit, RateLimitedError, WindowCounter } from '../http/rate-limit.ts';

export interface AttemptLimits {
  perAddress: Limit;
  failedLogins: Limit;
}

export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = {
  perAddress: { max: 20, windowMs: 60_000 },
  failedLogins: { max: 10, windowMs: 15 * 60_000 },
};

export class CredentialAttempts {
  private readonly perAddress: WindowCounter;
  private readonly failures: WindowCounter;

  constructor(
    private readonly cache: Cache,
    private readonly now: () => number,
    limits: AttemptLimits = DEFAULT_ATTEMPT_LIMITS,
  ) {
    this.perAddress = new WindowCounter(cache, 'attempt', limits.perAddress);
    this.failures = new WindowCounter(cache, 'login-failed', limits.failedLogins);
  }

  /** One attempt at a credential endpoint from `address`; RateLimitedError beyond the budget. */
  admit(address: string): Promise<void> {
    return this.perAddress.hit(address);
  }

  /** Refuses a login for this (address, account) while its failures are over the limit. */
  async assertLoginAllowed(address: string, email: string): Promise<void> {
    const until = Number(await this.cache.get(lockKey(address, email)));
    if (until > this.now()) throw new RateLimitedError(until - this.now());
  }

  async loginFailed(address: string, email: string): Promise<void> {
    const { count, ttlMs } = await this.failures.count(pairKey(address, email));
    // The lock records when the window ends, so a refusal can say how long to wait.
    if (count >= this.failures.limit.max) {
      await this.cache.set(lockKey(address, email), String(this.now() + ttlMs), ttlMs);
    }
  }

  /** The right password from this address: its earlier typos no longer count. */
  async loginSucceeded(address: string, email: string): Promise<void> {
    await this.failures.reset(pairKey(address, email));
  }
}

const pairKey = (address: string, email: string) => `${address}:${keyPart(email.trim().toLowerCase())}`;
const lockKey = (address: string, email: string) => `rl:login-locked:${pairKey(address, email)}`;
