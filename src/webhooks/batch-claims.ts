// How the webhook processor (webhook-processor.ts) claims its batches: how many deliveries at a time —
// about one transaction's events, judged from the last claim (delivery-batch.ts, nextClaimSize) — and, on
// PostgreSQL, the next batch's claim made while the current one is applied. A claim leases its rows
// (delivery-repository.ts), so several processors share the work without doubling it.
import type { Database } from '../storage/database.ts';
import { nextClaimSize, type ReadDelivery } from './delivery-batch.ts';
import { claimDeliveries, type DeliveryRow } from './delivery-repository.ts';

const CLAIM_BATCH = { sqlite: 50, postgres: 200 } as const;
/**
 * The first claim, before any delivery's size is known: small, so that a backlog of large batched
 * deliveries (a burst after the thread went idle) is not brought into memory a thousand at a time.
 */
const FIRST_CLAIM = 100;
/**
 * PostgreSQL: the next batch is claimed, on a connection of its own, while this one is applied. In a
 * drain after a burst the claim took a quarter of the processor's wall time (1.3 s of 5.1 s for 35,000
 * deliveries), during which nothing was applied; overlapped, the drain rose 3 % (7 alternating pairs,
 * 5,547 against 5,386 events/s: the two cores were already busy). The claimed rows are leased as before;
 * a stop applies them (the processor's loop), a crash leaves them to their lease. SQLite's claim is
 * synchronous: nothing to overlap.
 */
const CLAIM_AHEAD = { sqlite: false, postgres: true } as const;

export interface BatchClaimsOptions {
  database: Database;
  now: () => number;
  /** The most deliveries one claim takes (default: per dialect, CLAIM_BATCH). */
  batchSize?: number;
  leaseMs?: number;
}

export class BatchClaims {
  /** Deliveries to claim next: about one transaction's events, as the last claim averaged them. */
  private limit: number | null = null;
  /** The next batch's claim, made while this one is applied (CLAIM_AHEAD). */
  private ahead: Promise<DeliveryRow[]> | null = null;

  constructor(private readonly o: BatchClaimsOptions) {}

  /** Whether a claim made ahead is still to be taken. */
  get waiting(): boolean {
    return this.ahead !== null;
  }

  /** The claim made ahead, or a new one. */
  next(): Promise<DeliveryRow[]> {
    const ahead = this.ahead;
    this.ahead = null;
    return ahead ?? this.claim();
  }

  /**
   * A batch was read: the next claim is sized from it and, where claims are made ahead and `ahead` allows
   * it (not while stopping), started now. A failure of that claim surfaces when next() is awaited.
   */
  read(batch: ReadDelivery[], maxEvents: number, ahead: boolean): void {
    if (batch.length === 0) return;
    this.limit = nextClaimSize(batch, maxEvents, this.batchSize());
    if (!ahead || !CLAIM_AHEAD[this.o.database.dialect]) return;
    const claim = this.claim();
    claim.catch(() => {});
    this.ahead = claim;
  }

  /** How many deliveries the next claim takes (and the intake file's next move, intake-file.ts). */
  get size(): number {
    return this.limit ?? Math.min(this.batchSize(), FIRST_CLAIM);
  }

  /** How long a claim's lease lasts. */
  get leaseMs(): number {
    return this.o.leaseMs ?? 60_000;
  }

  private batchSize(): number {
    return this.o.batchSize ?? CLAIM_BATCH[this.o.database.dialect];
  }

  private claim(): Promise<DeliveryRow[]> {
    return claimDeliveries(this.o.database, this.o.now(), { limit: this.size, leaseMs: this.leaseMs });
  }
}
