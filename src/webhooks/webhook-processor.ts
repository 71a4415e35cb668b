// Processes stored webhook deliveries after Meta got its 200: claims them with a lease (several
// instances share the work without doubling it — batch-claims.ts), reads and routes them a
// batch at a time (delivery-batch.ts), and applies each batch's events in Meta-timestamp order (R40) in
// one transaction that also marks its deliveries processed (batch-writes.ts; a large batch on PostgreSQL
// in lanes, processing-lanes.ts). Effects are idempotent (inbox-ingest.ts), so a crash between commit
// and anything after it is harmless. A body that cannot be read is quarantined; a delivery that keeps
// failing is retried with backoff, then set aside as `dead` (R45, delivery-retry.ts). Live events and
// profile lookups happen after the commit.
import type { Logger } from 'pino';
import type { InboxChanges } from '../inbox/inbox-changes.ts';
import { publishChanges } from '../inbox/inbox-publisher.ts';
import type { ParticipantProfiles } from '../inbox/participant-profiles.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { Database } from '../storage/database.ts';
import { derivedTransaction } from '../storage/derived-transaction.ts';
import { BatchClaims } from './batch-claims.ts';
import { type AppliedPart, applyPart, finishBatch } from './batch-writes.ts';
import { byEventCount, type ReadDelivery, readDelivery, routeBatch } from './delivery-batch.ts';
import type { DeliveryRow } from './delivery-repository.ts';
import * as deliveries from './delivery-repository.ts';
import { retryOrSetAside } from './delivery-retry.ts';
import type { DeliveryOutcome } from './delivery-table.ts';
import { IntakePressure } from './intake-pressure.ts';
import { splitIntoLanes } from './processing-lanes.ts';

export interface WebhookProcessorOptions {
  database: Database;
  logger: Logger;
  now: () => number;
  bus?: LiveBus;
  profiles?: ParticipantProfiles;
  /**
   * After each commit: publish the changes and look up missing names. Default: here, through `bus` and
   * `profiles`; a processor in a worker thread hands them to the main thread instead (processor-thread.ts).
   */
  committed?: (orgId: string, changes: InboxChanges) => Promise<void>;
  /**
   * With an intake file of its own (intake-file.ts): moves up to `limit` of its bodies into
   * webhook_deliveries, leased until `leasedUntil`, and returns them for this processor to apply.
   */
  intake?: { move(limit: number, leasedUntil: number): Promise<DeliveryRow[]> };
  /** Transactions applying a large batch side by side (default: per dialect, LANES). */
  lanes?: number;
  /** Events applied per transaction (default: per dialect, MAX_EVENTS_PER_TRANSACTION). */
  eventsPerTransaction?: number;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  pollMs?: number;
  /**
   * How many deliveries this instance's receiver has committed so far. When it takes many between two
   * processing transactions, acknowledging is saturating the event loop (inline) or the machine's cores
   * (a processor thread, and on PostgreSQL the server's backends working for it), and the processor
   * steps back for a moment: Meta's acks come first, the inbox catches up when the burst ends.
   */
  storedSoFar?: () => number;
  /**
   * How fast the receiver must be committing deliveries for the processor to step back, per second
   * (a processor thread); without it, a few deliveries in one turn are enough (intake-pressure.ts).
   */
  busyIntakePerS?: number;
  /** Observes each finished delivery (metrics): its outcome and the time since it was stored. */
  onFinished?: (outcome: DeliveryOutcome | 'retry', lagMs: number) => void;
  /** Observes each step back for a busy receiver (metrics): how long processing paused. */
  onGaveWay?: (pauseMs: number) => void;
}

/**
 * Deliveries are applied several to a transaction (one commit for all of them), up to this many events.
 * With SQLite a transaction holds the event loop until it ends, so it stays short enough for the
 * receiver's acknowledgements to keep flowing between transactions. PostgreSQL's does not (every
 * statement is a network round trip), and there the per-transaction statements are what costs, so its
 * transactions are larger.
 */
const MAX_EVENTS_PER_TRANSACTION = { sqlite: 100, postgres: 500 } as const;
/**
 * Transactions applying one batch side by side (processing-lanes.ts). SQLite has one writer at a time;
 * PostgreSQL's are separate server processes. A lane takes at least MIN_LANE_EVENTS: the small batches
 * of a steady trickle stay one transaction (one commit, no finishing transaction after it).
 */
const LANES = { sqlite: 1, postgres: 2 } as const;
const MIN_LANE_EVENTS = 200;
/**
 * While intake is busy (intake-pressure.ts) the processor pauses as long as its last transaction took:
 * the receiver gets at least half of the time, and processing goes on (one transaction per pause).
 */
const BUSY_SHARE = 1;
const RETENTION_MS = 7 * 24 * 3600_000;
const PRUNE_EVERY_MS = 10 * 60_000;

export class WebhookProcessor {
  private running: Promise<number> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly background = new Set<Promise<unknown>>();
  private lastPrune = 0;
  private readonly pressure: IntakePressure;
  private readonly claims: BatchClaims;
  /** Set by stop(): the batch in hand is finished, no new one is claimed (graceful shutdown). */
  private stopping = false;
  /**
   * The receiver was saturated at the last turn (intake-pressure.ts): one lane then, so that the cores a
   * second lane would take stay with the acknowledgements (the lanes drain the backlog once it ends).
   */
  private receiverBusy = false;

  constructor(private readonly o: WebhookProcessorOptions) {
    this.pressure = new IntakePressure(o.busyIntakePerS, o.storedSoFar?.() ?? 0, performance.now());
    this.claims = new BatchClaims(o);
  }

  /** Something was stored: process it soon, without making the caller wait. */
  kick(): void {
    this.process().catch((err: unknown) => this.o.logger.error({ err }, 'webhook processing failed'));
  }

  /** Processes every claimable delivery (and waits for the lookups they started); returns how many. */
  async drain(): Promise<number> {
    const n = await this.process();
    await Promise.allSettled([...this.background]);
    await this.o.profiles?.idle();
    return n;
  }

  /** Processes every claimable delivery; the profile lookups they start go on in the background. */
  private process(): Promise<number> {
    if (this.stopping) return this.running ?? Promise.resolve(0);
    this.again = true;
    this.running ??= this.loop();
    return this.running;
  }

  /** Polls for deliveries left behind (another instance's expired lease, a retry whose time came). */
  start(): void {
    this.stopping = false;
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.o.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Finishes the deliveries already claimed (and their lookups), claims no more, stops polling. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
    this.o.profiles?.cancelWaiting();
    await Promise.allSettled([...this.background]);
  }

  private async loop(): Promise<number> {
    let total = 0;
    try {
      await this.pruneNowAndThen();
      while (this.again && !this.stopping) {
        this.again = false;
        while (!this.stopping) {
          // The intake file's bodies arrive leased to this processor and are applied at once; then a
          // claim takes whatever else is due (a retry whose time came, rows left by a crash), so a busy
          // receiver never holds those back.
          const moved = this.o.intake
            ? await this.o.intake.move(this.claims.size, this.o.now() + this.claims.leaseMs)
            : [];
          if (moved.length > 0) total += await this.processBatch(moved);
          if (this.stopping) break;
          const n = await this.processBatch();
          total += n;
          if (n === 0 && moved.length === 0) break;
        }
      }
      // Stopping: a claim already made is applied, not left leased until its lease runs out.
      while (this.claims.waiting) total += await this.processBatch();
    } finally {
      // Synchronously after the last check of `again`: a drain() from now on starts a new loop.
      this.running = null;
    }
    return total;
  }

  /** Applies `leased` (rows moved in already leased), or else the next claim. */
  private async processBatch(leased?: DeliveryRow[]): Promise<number> {
    const claimed = leased ?? (await this.claims.next());
    const maxEvents = this.o.eventsPerTransaction ?? MAX_EVENTS_PER_TRANSACTION[this.o.database.dialect];
    const read = claimed.map(readDelivery);
    this.claims.read(read, maxEvents, !this.stopping);
    for (const group of byEventCount(read, maxEvents)) {
      const started = performance.now();
      if (group.length === 1 || !(await this.processTogether(group, { rethrow: true }))) {
        // One bad delivery must not hold back the others: alone, each succeeds or fails on its own.
        for (const one of group) await this.processTogether([one], { rethrow: false });
      }
      await this.giveWay(performance.now() - started);
    }
    return claimed.length;
  }

  /**
   * Between transactions, lets the receiver (and everything else on this event loop) have a turn — with
   * SQLite a transaction runs synchronously to its end — and a longer one while intake is saturated: as
   * long as the last transaction took, so processing keeps at most half of the time.
   */
  private async giveWay(spentMs: number): Promise<void> {
    this.receiverBusy = this.pressure.busy(this.o.storedSoFar?.() ?? 0, performance.now());
    if (!this.receiverBusy) return new Promise((resolve) => setImmediate(resolve));
    const pauseMs = Math.max(5, BUSY_SHARE * spentMs);
    this.o.onGaveWay?.(pauseMs);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }

  /**
   * Applies several deliveries together: their events merged per organization in Meta's timestamp order,
   * in one transaction that also marks every delivery finished — or, for a large batch on PostgreSQL, in
   * lanes side by side and then a transaction that finishes them (processing-lanes.ts). Returns false
   * when a transaction failed (rethrow) — the caller then retries the deliveries one by one.
   */
  private async processTogether(group: ReadDelivery[], opts: { rethrow: boolean }): Promise<boolean> {
    const { database, logger } = this.o;
    const now = this.o.now();
    const batch = await routeBatch(database.db, group);
    const laneCount = this.receiverBusy ? 1 : (this.o.lanes ?? LANES[database.dialect]);
    const lanes = splitIntoLanes(batch.byOrg, laneCount, MIN_LANE_EVENTS);
    /** Parts whose transaction committed: their changes are published even if another part failed. */
    const committed: AppliedPart[] = [];
    try {
      if (lanes.length === 1) {
        committed.push(
          await derivedTransaction(database, async (tx) => {
            const part = await applyPart(tx, batch.byOrg, now);
            await finishBatch(tx, batch, [part], now);
            return part;
          }),
        );
      } else {
        const parts = await Promise.allSettled(
          lanes.map((lane) => derivedTransaction(database, (tx) => applyPart(tx, lane, now))),
        );
        for (const p of parts) if (p.status === 'fulfilled') committed.push(p.value);
        for (const p of parts) if (p.status === 'rejected') throw p.reason;
        await derivedTransaction(database, (tx) => finishBatch(tx, batch, committed, now));
      }
    } catch (err) {
      await this.publish(committed);
      if (opts.rethrow) return false;
      await retryOrSetAside(
        { ...this.o, now: this.o.now(), maxAttempts: this.o.maxAttempts ?? 10 },
        group[0]!.row,
        err,
      );
      return true;
    }
    for (const q of batch.quarantined) {
      logger.warn({ deliveryId: q.row.id, problem: q.problem }, 'webhook delivery quarantined');
      this.o.onFinished?.('quarantined', now - q.row.received_at);
    }
    for (const d of group) if (d.parsed.ok) this.o.onFinished?.('processed', now - d.row.received_at);
    const skipped = batch.skipped.length + committed.reduce((n, p) => n + p.skipped.length, 0);
    if (skipped > 0)
      logger.info({ deliveries: batch.processedIds.length, skipped }, 'webhook events dropped');
    await this.publish(committed);
    return true;
  }

  /** After a commit: live events for what changed, and lookups of the people without a name. */
  private async publish(parts: AppliedPart[]): Promise<void> {
    const { logger } = this.o;
    for (const [orgId, c] of parts.flatMap((p) => [...p.changes])) {
      if (this.o.committed) {
        if (!c.empty || c.needProfile.size > 0) this.track(this.o.committed(orgId, c));
        continue;
      }
      if (!c.empty && this.o.bus) {
        await publishChanges(this.o.database.db, this.o.bus, orgId, c).catch((err: unknown) =>
          logger.warn({ orgId, err }, 'live events not published'),
        );
      }
      if (c.needProfile.size > 0) this.o.profiles?.refresh(orgId, c.needProfile);
    }
  }

  private track(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => this.o.logger.warn({ err }, 'background inbox work failed'));
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  private async pruneNowAndThen(): Promise<void> {
    const now = this.o.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await deliveries.pruneFinished(this.o.database.db, now - RETENTION_MS).catch(() => 0);
  }
}
