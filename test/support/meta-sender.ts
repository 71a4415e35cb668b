// Plays Meta's webhook sender for durability tests: POSTs signed deliveries at a fixed arrival rate (open
// model: the schedule does not wait for answers), retries any delivery not answered 2xx — a 5xx, a refused
// or cut connection, a timeout — with the same bytes, as Meta does ("immediately, then with decreasing
// frequency"), and keeps the ledger the tests compare with the database: the first 2xx of each event.
import http from 'node:http';
import { hubSignature, WEBHOOK_PATH } from './webhook-client.ts';

export interface Delivery {
  id: number;
  body: string;
  /** The message ids (mid) of the events in the body. */
  mids: string[];
}

export interface Attempt {
  delivery: number;
  sentAt: number;
  answeredAt: number;
  /** HTTP status, or 0 when no answer came (refused, reset, timed out). */
  status: number;
}

export interface SenderOptions {
  url: string;
  secret: string;
  /** Delay before each retry; the last one repeats until the delivery is acknowledged or stop(). */
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

export class MetaLikeSender {
  /** mid → time of the first 2xx that covered it. */
  readonly acked = new Map<string, number>();
  readonly attempts: Attempt[] = [];
  readonly deliveries = new Map<number, Delivery>();
  private readonly done = new Set<number>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly o: SenderOptions) {}

  /** Starts delivering; retries in the background until acknowledged. */
  send(d: Delivery): void {
    this.deliveries.set(d.id, d);
    void this.attempt(d, 0);
  }

  /** Sends each delivery at its place in a constant arrival rate of `eventsPerSecond`. */
  async sendPaced(deliveries: Delivery[], eventsPerSecond: number): Promise<void> {
    const t0 = Date.now();
    let events = 0;
    for (const d of deliveries) {
      const due = t0 + (events / eventsPerSecond) * 1000;
      const wait = due - Date.now();
      if (wait > 5) await new Promise((r) => setTimeout(r, wait));
      if (this.stopped) return;
      this.send(d);
      events += d.mids.length;
    }
  }

  get unacknowledged(): Delivery[] {
    return [...this.deliveries.values()].filter((d) => !this.done.has(d.id));
  }

  /** Waits until every delivery got its 2xx, or the deadline passes; returns those still missing. */
  async settle(deadline: number): Promise<Delivery[]> {
    while (this.unacknowledged.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.unacknowledged;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.agent.destroy();
  }

  private async attempt(d: Delivery, n: number): Promise<void> {
    if (this.stopped || this.done.has(d.id)) return;
    const sentAt = Date.now();
    const status = await this.post(d.body);
    this.attempts.push({ delivery: d.id, sentAt, answeredAt: Date.now(), status });
    if (status >= 200 && status < 300) {
      this.done.add(d.id);
      const t = Date.now();
      for (const mid of d.mids) if (!this.acked.has(mid)) this.acked.set(mid, t);
      return;
    }
    if (this.stopped) return;
    const delays = this.o.retryDelaysMs ?? [100, 250, 500, 1000, 2000];
    const delay = delays[Math.min(n, delays.length - 1)]!;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(d, n + 1);
    }, delay);
    this.timers.add(timer);
  }

  private post(body: string): Promise<number> {
    return postSigned({ ...this.o, body, agent: this.agent });
  }
}

/**
 * One POST of a delivery as Meta sends it (its signature, user agent and timeout); resolves with the
 * HTTP status, or 0 when no answer came (refused, reset, timed out). Never rejects.
 */
export function postSigned(o: {
  url: string;
  secret: string;
  body: string;
  agent: http.Agent;
  timeoutMs?: number;
}): Promise<number> {
  const url = new URL(WEBHOOK_PATH, o.url);
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent: o.agent,
        timeout: o.timeoutMs ?? 10_000,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(o.body),
          'x-hub-signature-256': hubSignature(o.secret, o.body),
          'user-agent': 'facebookexternalua',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(o.body);
  });
}
