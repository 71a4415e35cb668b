// What an operator watches (docs/deploying.md, "What to watch"): webhook acknowledgements by outcome and
// their latency, processing lag and backlog, Graph calls by endpoint and Meta code, connection statuses.
// One Registry per app instance, never prom-client's global one, so several apps in one process (tests)
// keep separate counts. Counters and histograms describe this instance; the gauges read the database at
// scrape time and so describe the whole deployment (every instance reports the same value).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../storage/database.ts';

export type WebhookAckOutcome =
  | 'stored'
  | 'invalid_signature'
  | 'storage_unavailable'
  | 'too_large'
  | 'bad_request'
  | 'error';

export type ProcessingOutcome = 'processed' | 'quarantined' | 'dead' | 'retry';

export interface GraphCallObservation {
  endpoint: string;
  status: number | 'transport';
  code: number | null;
  ms: number;
}

const CONNECTION_STATUSES = ['active', 'needs_attention', 'reauth_required'] as const;

/** Seconds; Meta allows 5 s, the target is p99 ≤ 1 s (F1). */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];
/** Seconds from receipt to processed; the target is p99 ≤ 5 s (F7), the alert a few minutes. */
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
const GRAPH_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class AppMetrics {
  readonly registry = new Registry();
  private readonly acks: Counter<'outcome'>;
  private readonly ackSeconds: Histogram<'outcome'>;
  private readonly lagSeconds: Histogram;
  private readonly finished: Counter<'outcome'>;
  private readonly paused: Counter;
  private readonly graphCalls: Counter<'endpoint' | 'status' | 'code'>;
  private readonly graphSeconds: Histogram<'endpoint'>;

  constructor(database: Database, now: () => number = Date.now) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
    this.acks = new Counter({
      name: 'parley_webhook_acks_total',
      help: 'Answers to signed webhook POSTs, by outcome (stored = 200 after the commit)',
      labelNames: ['outcome'],
      registers,
    });
    this.ackSeconds = new Histogram({
      name: 'parley_webhook_ack_seconds',
      help: 'Time from receiving a webhook POST to answering it',
      labelNames: ['outcome'],
      buckets: ACK_BUCKETS,
      registers,
    });
    this.lagSeconds = new Histogram({
      name: 'parley_webhook_processing_lag_seconds',
      help: 'Time from storing a webhook delivery to finishing its processing',
      buckets: LAG_BUCKETS,
      registers,
    });
    this.finished = new Counter({
      name: 'parley_webhook_deliveries_finished_total',
      help: 'Deliveries this instance processed, quarantined, set aside as dead, or released for a retry',
      labelNames: ['outcome'],
      registers,
    });
    this.paused = new Counter({
      name: 'parley_webhook_processing_paused_seconds_total',
      help: 'Time the webhook processor paused between transactions while the receiver was saturated',
      registers,
    });
    this.graphCalls = new Counter({
      name: 'parley_graph_calls_total',
      help: 'Graph API calls by endpoint, HTTP status (or transport) and Meta error code',
      labelNames: ['endpoint', 'status', 'code'],
      registers,
    });
    this.graphSeconds = new Histogram({
      name: 'parley_graph_call_seconds',
      help: 'Graph API call duration by endpoint',
      labelNames: ['endpoint'],
      buckets: GRAPH_BUCKETS,
      registers,
    });

    // The database gauges share one snapshot per scrape (prom-client collects every metric at once):
    // three small queries, and an outage shows as parley_database_up 0 instead of a failed scrape.
    const snapshot = sharedWhileInFlight(() => readSnapshot(database, now));
    new Gauge({
      name: 'parley_database_up',
      help: '1 when this instance reached its database at scrape time',
      registers,
      async collect() {
        this.set((await snapshot()) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'parley_connections',
      help: 'Meta connections by status (whole deployment)',
      labelNames: ['status'],
      registers,
      async collect() {
        const s = await snapshot();
        if (s) for (const status of CONNECTION_STATUSES) this.set({ status }, s.connections[status] ?? 0);
      },
    });
    new Gauge({
      name: 'parley_webhook_backlog_deliveries',
      help: 'Stored webhook deliveries not processed yet (whole deployment)',
      registers,
      async collect() {
        const s = await snapshot();
        if (s) this.set(s.backlog);
      },
    });
    new Gauge({
      name: 'parley_webhook_oldest_unprocessed_seconds',
      help: 'Age of the oldest stored webhook delivery not processed yet; 0 when there is none',
      registers,
      async collect() {
        const s = await snapshot();
        if (s) this.set(s.oldestAgeSeconds);
      },
    });
    new Gauge({
      name: 'parley_jobs_due',
      help: 'Background jobs (subscription retries, unsubscribes) whose run time has come (whole deployment)',
      registers,
      async collect() {
        const s = await snapshot();
        if (s) this.set(s.dueJobs);
      },
    });
  }

  webhookAck(statusCode: number, ms: number): void {
    const outcome = ackOutcome(statusCode);
    this.acks.inc({ outcome });
    this.ackSeconds.observe({ outcome }, ms / 1000);
  }

  deliveryFinished(outcome: ProcessingOutcome, lagMs: number): void {
    this.finished.inc({ outcome });
    if (outcome !== 'retry') this.lagSeconds.observe(Math.max(0, lagMs) / 1000);
  }

  /** The processor stepped back this long for a busy receiver (WebhookProcessor.giveWay). */
  processingPaused(pauseMs: number): void {
    this.paused.inc(pauseMs / 1000);
  }

  graphCall(call: GraphCallObservation): void {
    this.graphCalls.inc({
      endpoint: call.endpoint,
      status: String(call.status),
      code: call.code === null ? '' : String(call.code),
    });
    this.graphSeconds.observe({ endpoint: call.endpoint }, call.ms / 1000);
  }

  /** The Prometheus text exposition. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function ackOutcome(status: number): WebhookAckOutcome {
  if (status >= 200 && status < 300) return 'stored';
  if (status === 401) return 'invalid_signature';
  if (status === 413) return 'too_large';
  if (status === 503) return 'storage_unavailable';
  if (status >= 400 && status < 500) return 'bad_request';
  return 'error';
}

interface Snapshot {
  connections: Record<string, number>;
  backlog: number;
  oldestAgeSeconds: number;
  dueJobs: number;
}

async function readSnapshot(database: Database, now: () => number): Promise<Snapshot | null> {
  const db = database.db;
  try {
    const byStatus = await db
      .selectFrom('organization_meta_settings')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const pending = await db
      .selectFrom('webhook_deliveries')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('received_at').as('oldest')])
      .where('processed_at', 'is', null)
      .executeTakeFirstOrThrow();
    const t = now();
    const jobs = await db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_at', '<=', t)
      .executeTakeFirstOrThrow();
    return {
      connections: Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])),
      backlog: Number(pending.n),
      oldestAgeSeconds: pending.oldest === null ? 0 : Math.max(0, (t - Number(pending.oldest)) / 1000),
      dueJobs: Number(jobs.n),
    };
  } catch {
    return null;
  }
}

/**
 * One call of `read` serves every caller while it is in flight. prom-client collects all metrics of a
 * scrape at once, so the database gauges of one scrape share one snapshot, and the next scrape reads anew.
 */
function sharedWhileInFlight<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= read().finally(() => {
      pending = null;
    });
    return pending;
  };
}
