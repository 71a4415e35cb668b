// The main thread's side of the processor worker (processor-worker.ts): the same kick / drain / start /
// stop as WebhookProcessor, with the processing done on the worker's own SQLite connection. Each commit
// the worker reports is published to the live bus and its nameless participants looked up here, where
// the bus, the Graph client and the keyring live. A worker that dies is started again by the next kick
// (its claimed deliveries are claimed again when their lease passes; processing is idempotent).
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { InboxChanges } from '../inbox/inbox-changes.ts';
import { publishChanges } from '../inbox/inbox-publisher.ts';
import type { ParticipantProfiles } from '../inbox/participant-profiles.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { Database } from '../storage/database.ts';
import type { DeliveryOutcome } from './delivery-table.ts';
import type {
  CommittedChanges,
  FromProcessor,
  ProcessorWorkerData,
  ToProcessor,
} from './processor-messages.ts';
import { PROCESSOR_NICE } from './thread-priority.ts';

const IDLE_EXIT_MS = 30_000;

// From the sources (tsx) the worker is TypeScript and needs the loader registered first
// (ts-worker-boot.mjs); in the bundle it is dist-server/processor-worker.mjs beside main.mjs.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const WORKER_URL = FROM_SOURCES
  ? new URL('./ts-worker-boot.mjs', import.meta.url)
  : new URL('./processor-worker.mjs', import.meta.url);
const ENTRY = new URL('./processor-worker.ts', import.meta.url).href;

/** What the app needs of a webhook processor, wherever it runs. */
export interface DeliveryProcessing {
  kick(): void;
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export interface ProcessorThreadOptions {
  database: Database;
  /** Where the worker connects: the same database, on a connection (or pool) of its own. */
  config: Config['database'];
  intakeFile: string | null;
  logger: Logger;
  logLevel: string;
  bus: LiveBus;
  profiles: ParticipantProfiles;
  eventsPerTransaction: number;
  /** Deliveries claimed at a time. */
  claimBatch: number;
  /** The worker thread's nice value (thread-priority.ts; default PROCESSOR_NICE). */
  nice?: number;
  pollMs?: number;
  /**
   * Started with the app and never ended for being idle. PostgreSQL: several instances share a burst,
   * and one whose thread is still starting when it arrives leaves it all to the others.
   */
  keepRunning?: boolean;
  /**
   * Deliveries the receiver has committed so far, sent with each kick: while they come in faster than
   * BUSY_INTAKE_PER_S (processor-worker.ts), the processor pauses between transactions
   * (WebhookProcessor.giveWay).
   */
  storedSoFar?: () => number;
  /** Whether any delivery is due (the worker is then started if it is not running). */
  hasWork: () => Promise<boolean>;
  onFinished?: (outcome: DeliveryOutcome | 'retry', lagMs: number) => void;
  /** Each pause the worker made for a busy receiver (storedSoFar), as WebhookProcessor's onGaveWay. */
  onGaveWay?: (pauseMs: number) => void;
}

export class ProcessorThread implements DeliveryProcessing {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>();
  private readonly background = new Set<Promise<unknown>>();
  private kickQueued = false;
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  private lastActive = 0;

  constructor(private readonly o: ProcessorThreadOptions) {}

  /** One message per event-loop turn however many deliveries were stored in it. */
  kick(): void {
    this.lastActive = Date.now();
    if (this.kickQueued) return;
    this.kickQueued = true;
    setImmediate(() => {
      this.kickQueued = false;
      this.post({ type: 'kick', stored: this.o.storedSoFar?.() ?? 0 });
    });
  }

  /** Processes every claimable delivery in the worker, then waits for the publishing it caused. */
  async drain(): Promise<number> {
    const n = await this.ask('drain');
    await Promise.allSettled([...this.background]);
    await this.o.profiles.idle();
    return n;
  }

  /**
   * The thread runs while there is work: started by a stored delivery (kick), by a due one found when
   * polling (a retry whose time came, another instance's expired lease, bodies left in the intake file),
   * and ended after IDLE_EXIT_MS without any — a V8 isolate of its own is some 30 MB of resident memory
   * that an idle server need not hold.
   */
  start(): void {
    this.started = true;
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.o.pollMs ?? 1000);
    this.timer.unref();
    if (this.o.keepRunning) this.running();
    else void this.poll();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const worker = this.worker;
    if (worker) await this.retire(worker);
    this.o.profiles.cancelWaiting();
    await Promise.allSettled([...this.background]);
  }

  private async poll(): Promise<void> {
    try {
      if (this.worker) {
        if (!this.o.keepRunning && this.waiting.size === 0 && Date.now() - this.lastActive > IDLE_EXIT_MS)
          await this.retire(this.worker);
        return;
      }
      if (this.started && (await this.o.hasWork())) this.kick();
    } catch (err) {
      this.o.logger.warn({ err }, 'webhook processor poll failed');
    }
  }

  /** Lets the worker finish what it claimed, then ends it (a kick meanwhile starts a new one). */
  private async retire(worker: Worker): Promise<void> {
    if (this.worker === worker) this.worker = null;
    // Detached, its exit no longer fails what it was asked: wait for its answer or its end.
    await Promise.race([this.ask('stop', worker).catch(() => 0), once(worker, 'exit')]);
    await worker.terminate();
  }

  private ask(type: 'drain' | 'stop', worker = this.running()): Promise<number> {
    const seq = ++this.seq;
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      worker.postMessage({ type, seq } satisfies ToProcessor);
    });
  }

  private post(m: ToProcessor): void {
    if (!this.started && m.type === 'kick' && !this.worker) return;
    this.running().postMessage(m);
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const data: ProcessorWorkerData = {
      database: this.o.config,
      intakeFile: this.o.intakeFile,
      logLevel: this.o.logLevel,
      pollMs: this.o.pollMs ?? 1000,
      eventsPerTransaction: this.o.eventsPerTransaction,
      claimBatch: this.o.claimBatch,
      nice: this.o.nice ?? PROCESSOR_NICE,
    };
    const worker = new Worker(WORKER_URL, {
      workerData: { ...data, entry: ENTRY },
      // A thread's heap grows like the main one unless told otherwise; processing holds one claimed
      // batch at a time (200 bodies, at most a few MB of JSON), so these bounds leave room to spare.
      resourceLimits: { maxYoungGenerationSizeMb: 3, maxOldGenerationSizeMb: 128 },
    });
    worker.on('message', (m: FromProcessor) => {
      this.lastActive = Date.now();
      this.heard(m);
    });
    const gone = (why: string) => {
      // A retired worker's exit is expected; its answers were already given.
      if (this.worker !== worker) return;
      this.worker = null;
      this.o.logger.error({ why }, 'webhook processor thread ended');
      for (const w of this.waiting.values()) w.reject(new Error(why));
      this.waiting.clear();
    };
    worker.on('error', (err) => gone(`failed: ${err.message}`));
    worker.on('exit', (code) => gone(`exited (${code})`));
    this.worker = worker;
    return worker;
  }

  private heard(m: FromProcessor): void {
    switch (m.type) {
      case 'committed': {
        const { orgId, needProfile } = m.changes;
        this.track(this.publish(m.changes));
        // Queued, not awaited: drain() waits for the lookups through profiles.idle().
        if (needProfile.length > 0) this.o.profiles.refresh(orgId, needProfile);
        return;
      }
      case 'finished':
        for (const f of m.list) this.o.onFinished?.(f.outcome, f.lagMs);
        return;
      case 'gave-way':
        this.o.onGaveWay?.(m.pauseMs);
        return;
      case 'done':
      case 'failed': {
        const w = this.waiting.get(m.seq);
        this.waiting.delete(m.seq);
        if (m.type === 'done') w?.resolve(m.n);
        else w?.reject(new Error(m.error));
      }
    }
  }

  private async publish(m: CommittedChanges): Promise<void> {
    const c = new InboxChanges();
    for (const row of m.created) c.messageCreated(row);
    for (const row of m.updated) c.messageUpdated(row);
    for (const id of m.conversations) c.conversationTouched(id);
    if (!c.empty && (this.o.bus.mayHaveListeners?.(m.orgId) ?? true))
      await publishChanges(this.o.database.db, this.o.bus, m.orgId, c);
  }

  private track(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => this.o.logger.warn({ err }, 'background inbox work failed'));
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }
}
