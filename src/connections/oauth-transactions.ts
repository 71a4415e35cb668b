// The OAuth `state` (R1–R3, R13): an opaque 256-bit random handle to a server-side transaction that
// holds org_id and user_id, bound to the browser that asked for it (a hash of its HttpOnly browser
// cookie), valid for 10 minutes and consumed atomically on first use. Each flow has its own
// transaction, so two tabs can run two flows at once. A finished flow leaves its outcome behind for
// the same 10 minutes, so a repeated hit of the callback (refresh, back button) shows that outcome
// instead of exchanging the already-used code again (R10).
// Bounds, so one signed-in manager cannot fill the cache: at most OAUTH_STARTS per user per 10 minutes
// (beyond: RateLimitedError, 429), and at most MAX_LIVE_PER_USER live transactions per user — a new one
// beyond that ends the oldest, so several tabs (R13) keep working and nobody is ever locked out.
import { createHash, randomBytes } from 'node:crypto';
import type { Cache } from '../cache/cache.ts';
import { keyPart, type Limit, WindowCounter } from '../http/rate-limit.ts';

export const TRANSACTION_TTL_MS = 10 * 60 * 1000;
export const OAUTH_STARTS: Limit = { max: 10, windowMs: 10 * 60 * 1000 };
export const MAX_LIVE_PER_USER = 5;

export interface OAuthTransaction {
  orgId: string;
  userId: string;
  browserHash: string;
  expiresAt: number;
}

export type Consumed =
  | { kind: 'fresh'; tx: OAuthTransaction; stateHash: string }
  | { kind: 'finished'; redirect: string }
  | { kind: 'invalid' };

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const txKey = (stateHash: string) => `oauth:tx:${stateHash}`;
const doneKey = (stateHash: string) => `oauth:done:${stateHash}`;
/** Each user's live transactions sit in MAX_LIVE_PER_USER slots, reused in turn (oldest first). */
const seqKey = (userId: string) => `oauth:seq:${keyPart(userId)}`;
const slotKey = (userId: string, slot: number) => `oauth:slot:${keyPart(userId)}:${slot}`;
const IN_PROGRESS = 'in-progress';

export class OAuthTransactions {
  private readonly starts: WindowCounter;
  private readonly livePerUser: number;

  constructor(
    private readonly cache: Cache,
    private readonly now: () => number,
    limits: { starts: Limit; livePerUser: number } = { starts: OAUTH_STARTS, livePerUser: MAX_LIVE_PER_USER },
  ) {
    this.starts = new WindowCounter(cache, 'oauth-start', limits.starts);
    this.livePerUser = limits.livePerUser;
  }

  static newBrowserId(): string {
    return randomBytes(32).toString('base64url');
  }

  async start(orgId: string, userId: string, browserId: string): Promise<string> {
    await this.starts.hit(keyPart(userId));
    const state = randomBytes(32).toString('base64url');
    const tx: OAuthTransaction = {
      orgId,
      userId,
      browserHash: sha256(browserId),
      expiresAt: this.now() + TRANSACTION_TTL_MS,
    };
    const stateHash = sha256(state);
    await this.cache.set(txKey(stateHash), JSON.stringify(tx), TRANSACTION_TTL_MS);
    await this.takeSlot(userId, stateHash);
    return state;
  }

  /** Puts this transaction in the user's next slot; the one it held before (the oldest) is ended. */
  private async takeSlot(userId: string, stateHash: string): Promise<void> {
    const { count } = await this.cache.increment(seqKey(userId), 24 * TRANSACTION_TTL_MS);
    const slot = slotKey(userId, count % this.livePerUser);
    const evicted = await this.cache.getAndDelete(slot);
    if (evicted) await this.cache.delete(txKey(evicted));
    await this.cache.set(slot, stateHash, TRANSACTION_TTL_MS);
  }

  async consume(state: string | undefined, browserId: string | null): Promise<Consumed> {
    if (!state || state.length > 200 || !browserId) return { kind: 'invalid' };
    const stateHash = sha256(state);
    const browserHash = sha256(browserId);
    const raw = await this.cache.getAndDelete(txKey(stateHash));
    if (raw) {
      const tx = JSON.parse(raw) as OAuthTransaction;
      // A state from another browser is spent too: it was leaked, and must not be tried again.
      if (tx.browserHash !== browserHash || tx.expiresAt <= this.now()) return { kind: 'invalid' };
      await this.cache.set(
        doneKey(stateHash),
        JSON.stringify({ browserHash, redirect: IN_PROGRESS }),
        TRANSACTION_TTL_MS,
      );
      return { kind: 'fresh', tx, stateHash };
    }
    return this.awaitOutcome(stateHash, browserHash);
  }

  async finish(stateHash: string, browserId: string, redirect: string): Promise<void> {
    await this.cache.set(
      doneKey(stateHash),
      JSON.stringify({ browserHash: sha256(browserId), redirect }),
      TRANSACTION_TTL_MS,
    );
  }

  /** A second hit while the first is still exchanging waits for its outcome (bounded). */
  private async awaitOutcome(stateHash: string, browserHash: string): Promise<Consumed> {
    for (let i = 0; i < 150; i++) {
      const raw = await this.cache.get(doneKey(stateHash));
      if (!raw) return { kind: 'invalid' };
      const done = JSON.parse(raw) as { browserHash: string; redirect: string };
      if (done.browserHash !== browserHash) return { kind: 'invalid' };
      if (done.redirect !== IN_PROGRESS) return { kind: 'finished', redirect: done.redirect };
      await new Promise((r) => setTimeout(r, 100));
    }
    return { kind: 'invalid' };
  }
}
