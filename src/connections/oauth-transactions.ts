// The OAuth `state` (R1–R3, R13): an opaque 256-bit random handle to a server-side transaction that
// holds org_id and user_id, bound to the browser that asked for it (a hash of its HttpOnly browser
// cookie), valid for 10 minutes and consumed atomically on first use. Each flow has its own
// transaction, so two tabs can run two flows at once. A finished flow leaves its outcome behind for
// the same 10 minutes, so a repeated hit of the callback (refresh, back button) shows that outcome
// instead of exchanging the already-used code again (R10).
import { createHash, randomBytes } from 'node:crypto';
import type { Cache } from '../cache/cache.ts';

export const TRANSACTION_TTL_MS = 10 * 60 * 1000;

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
const IN_PROGRESS = 'in-progress';

export class OAuthTransactions {
  constructor(
    private readonly cache: Cache,
    private readonly now: () => number,
  ) {}

  static newBrowserId(): string {
    return randomBytes(32).toString('base64url');
  }

  async start(orgId: string, userId: string, browserId: string): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    const tx: OAuthTransaction = {
      orgId,
      userId,
      browserHash: sha256(browserId),
      expiresAt: this.now() + TRANSACTION_TTL_MS,
    };
    await this.cache.set(txKey(sha256(state)), JSON.stringify(tx), TRANSACTION_TTL_MS);
    return state;
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
