// Delivers webhook POSTs the way Meta does: the body serialised with Meta's escaping, signed over those
// exact bytes, retried on a non-2xx answer or a network error along the configured backoff, and logged
// attempt by attempt so tests and the playground can see what happened. Retry timers are real time.
import type { FastifyBaseLogger } from 'fastify';
import { metaJson } from './meta-json.ts';
import type { Scheduler } from './scheduler.ts';
import { hubSignature } from './webhook-signature.ts';

const ATTEMPT_TIMEOUT_MS = 10_000;

export interface DeliveryAttempt {
  at: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface DeliveryRecord {
  id: string;
  object: string;
  callback_url: string;
  /** Webhook fields of the events in this POST, e.g. ["messages"]. */
  fields: string[];
  entry_count: number;
  /** The exact bytes sent (Meta-escaped JSON); no credential is part of it. */
  body: string;
  state: 'pending' | 'retrying' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
}

export interface WebhookSenderDeps {
  appSecret: string;
  retryDelaysMs: () => number[];
  now: () => number;
  scheduler: Scheduler;
  log: FastifyBaseLogger;
}

export class WebhookSender {
  private deliveries: DeliveryRecord[] = [];
  private nextId = 1;
  private abort = new AbortController();

  constructor(private readonly deps: WebhookSenderDeps) {}

  /** Sends now; resolves with the record once the first attempt finished (retries continue after). */
  async send(
    callbackUrl: string,
    payload: { object: string; entry: unknown[] },
    fields: string[],
  ): Promise<DeliveryRecord> {
    const record: DeliveryRecord = {
      id: `dlv_${this.nextId++}`,
      object: payload.object,
      callback_url: callbackUrl,
      fields: [...new Set(fields)],
      entry_count: payload.entry.length,
      body: metaJson(payload),
      state: 'pending',
      attempts: [],
    };
    this.deliveries.push(record);
    await this.attempt(record, this.abort.signal);
    return { ...record, attempts: [...record.attempts] };
  }

  list(): DeliveryRecord[] {
    return this.deliveries.map((d) => ({ ...d, attempts: [...d.attempts] }));
  }

  /** Forgets the log and abandons in-flight attempts (pending retry timers belong to the scheduler). */
  reset(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.deliveries = [];
  }

  private async attempt(record: DeliveryRecord, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(record.callback_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': hubSignature(this.deps.appSecret, record.body),
          'user-agent': 'facebookexternalua',
        },
        body: record.body,
        redirect: 'manual',
        signal: AbortSignal.any([signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      if (signal.aborted) return;
      error = err instanceof Error ? describeFetchError(err) : String(err);
    }
    record.attempts.push({ at: this.deps.now(), status, error, duration_ms: Date.now() - started });
    if (status !== null && status >= 200 && status < 300) {
      record.state = 'delivered';
      return;
    }
    const delay = this.deps.retryDelaysMs()[record.attempts.length - 1];
    if (delay === undefined) {
      record.state = 'failed';
      this.deps.log.warn(
        { delivery: record.id, attempts: record.attempts.length },
        'webhook delivery gave up',
      );
      return;
    }
    record.state = 'retrying';
    this.deps.scheduler.after(delay, () => void this.attempt(record, signal));
  }
}

function describeFetchError(err: Error): string {
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}
